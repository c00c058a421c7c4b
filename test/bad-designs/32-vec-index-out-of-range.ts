import { UInt, Vec, defineModule, input, output } from '../../hdl-gen/index.ts';

/** Element 4 of a 4-element vector. */
export const design = defineModule({
  name: 'VecIndexOutOfRange',
  io: () => ({ v: input(Vec(UInt(8), 4)), y: output(UInt(8)) }),
  body: (_m, io) => {
    io.y.set(io.v.at(4)); // @at
  },
});

export const params = {};

/** The exact ElaborationError message. */
export const expected = [
  'test/bad-designs/32-vec-index-out-of-range.ts:8:19: error[width-mismatch]: index 4 is out of range for Vec<UInt<8>, 4>',
  '  help: use an index from 0 to 3',
].join('\n');
