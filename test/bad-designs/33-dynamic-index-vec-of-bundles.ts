import { Bool, Bundle, UInt, Vec, defineModule, input, output } from '../../hdl-gen/index.ts';

/** Dynamic indexing is only for vectors of ground types. */
export const design = defineModule({
  name: 'DynamicIndexVecOfBundles',
  io: () => ({ v: input(Vec(Bundle({ valid: Bool(), data: UInt(8) }), 4)), i: input(UInt(2)), y: output(UInt(8)) }),
  body: (_m, io) => {
    const e = io.v.at(io.i); // @at
    io.y.set(e.fields.data);
  },
});

export const params = {};

/** The exact ElaborationError message. */
export const expected = [
  'test/bad-designs/33-dynamic-index-vec-of-bundles.ts:8:20: error[api-misuse]: dynamic indexing is supported on vectors of ground types only',
  '  help: index with a number, or flatten the element with asBits()',
].join('\n');
