import { UInt, Vec, defineModule, input, output } from '../../hdl-gen/index.ts';

/** A vector of no elements. */
export const design = defineModule({
  name: 'VecZeroLength',
  io: (p: { lanes: number }) => ({
    v: input(Vec(UInt(8), p.lanes)), // @vec
    y: output(UInt(1)),
  }),
  body: (_m, io) => io.y.set(0),
});

export const params = { lanes: 0 };

/** The exact ElaborationError message. */
export const expected = [
  'test/bad-designs/61-vec-zero-length.ts:7:14: error[type-error]: Vec length must be a positive integer, got 0',
  '  help: give the number of elements, e.g. Vec(UInt(8), 4)',
].join('\n');
