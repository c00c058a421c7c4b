import { UInt, defineModule, input, output } from '../../hdl-gen/index.ts';

/** A 4-bit value assigned to an 8-bit output: no implicit extension. */
export const design = defineModule({
  name: 'AssignNarrower',
  io: () => ({ a: input(UInt(4)), y: output(UInt(8)) }),
  body: (_m, io) => {
    io.y.set(io.a); // @set
  },
});

export const params = {};

/** The exact ElaborationError message. */
export const expected = [
  'test/bad-designs/07-assign-narrower.ts:8:10: error[width-mismatch]: cannot assign UInt<4> to UInt<8> (no implicit extension)',
  '  help: widen explicitly with zext(8), sext(8) or resize(8)',
].join('\n');
