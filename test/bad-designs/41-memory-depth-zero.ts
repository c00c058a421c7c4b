import { UInt, defineModule, output } from '../../hdl-gen/index.ts';

/** A memory of no words. */
export const design = defineModule({
  name: 'MemoryDepthZero',
  io: () => ({ q: output(UInt(8)) }),
  body: (m, io) => {
    m.memory('empty', { type: UInt(8), depth: 0 }); // @mem
    io.q.set(0);
  },
});

export const params = {};

/** The exact ElaborationError message. */
export const expected = [
  "test/bad-designs/41-memory-depth-zero.ts:8:7: error[api-misuse]: memory 'empty' depth must be a positive integer, got 0",
  '  help: give the number of words',
].join('\n');
