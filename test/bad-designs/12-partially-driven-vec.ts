import { UInt, Vec, defineModule, output } from '../../hdl-gen/index.ts';

/**
 * Elements 1 and 3 are driven, 0 and 2 are not: 8 of 16 bits are undriven.
 * (Currently reported as "(4 of its 16 bits)": only the first hole is counted.)
 */
export const design = defineModule({
  name: 'PartiallyDrivenVec',
  io: () => ({
    v: output(Vec(UInt(4), 4)), // @v
  }),
  body: (_m, io) => {
    io.v.at(1).set(1);
    io.v.at(3).set(3);
  },
});

export const params = {};

/** The exact ElaborationError message. */
export const expected = [
  "test/bad-designs/12-partially-driven-vec.ts:10:8: error[undriven]: output port 'v' of module 'PartiallyDrivenVec' is never driven (8 of its 16 bits)",
  '  help: drive it with .set(...) on every path (a default assignment before any m.when is simplest)',
].join('\n');
