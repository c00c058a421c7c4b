import { UInt, defineModule, input, output, replicate } from '../../hdl-gen/index.ts';

/** replicate needs at least one copy. */
export const design = defineModule({
  name: 'ReplicateZeroTimes',
  io: () => ({ a: input(UInt(2)), y: output(UInt(2)) }),
  body: (_m, io) => {
    io.y.set(replicate(io.a, 0)); // @rep
  },
});

export const params = {};

/** The exact ElaborationError message. */
export const expected = [
  'test/bad-designs/60-replicate-zero-times.ts:8:14: error[api-misuse]: replicate needs a positive count, got 0',
  '  help: pass how many copies to make',
].join('\n');
