import { UInt, defineModule, input, output } from '../../hdl-gen/index.ts';

/** zext cannot make a value narrower. */
export const design = defineModule({
  name: 'ZextNarrowing',
  io: () => ({ a: input(UInt(8)), y: output(UInt(4)) }),
  body: (_m, io) => {
    io.y.set(io.a.zext(4)); // @zext
  },
});

export const params = {};

/** The exact ElaborationError message. */
export const expected = [
  'test/bad-designs/50-zext-narrowing.ts:8:19: error[width-mismatch]: zext(4) cannot narrow UInt<8>',
  '  help: use trunc() to drop bits explicitly',
].join('\n');
