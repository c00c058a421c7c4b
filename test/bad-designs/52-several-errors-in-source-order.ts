import { UInt, defineModule, input, output } from '../../hdl-gen/index.ts';

/** Several independent problems: all are reported in one error, in source order. */
export const design = defineModule({
  name: 'SeveralErrors',
  io: () => ({
    a: input(UInt(4)),
    y: output(UInt(4)),
    z: output(UInt(4)), // @z
  }),
  body: (m, io) => {
    const w = m.wire('w', UInt(4)); // @w
    io.y.set(w); // @first
    io.y.set(io.a); // @second
    const k = m.wire('int', UInt(4)); // @int
    k.set(io.a);
  },
});

export const params = {};

/** The exact ElaborationError message. */
export const expected = [
  "test/bad-designs/52-several-errors-in-source-order.ts:9:8: error[undriven]: output port 'z' of module 'SeveralErrors' is never driven",
  '  help: drive it with .set(...) on every path (a default assignment before any m.when is simplest)',
  "test/bad-designs/52-several-errors-in-source-order.ts:12:17: error[undriven]: wire 'w' of module 'SeveralErrors' is never driven",
  '  help: drive it with .set(...) on every path (a default assignment before any m.when is simplest)',
  "test/bad-designs/52-several-errors-in-source-order.ts:14:10: error[multiple-drivers]: 'y' is driven twice in the same block",
  '  test/bad-designs/52-several-errors-in-source-order.ts:13:10: note: first driven here',
  '  help: keep one assignment, or make the later one conditional with m.when(...)',
  "test/bad-designs/52-several-errors-in-source-order.ts:15:17: error[name-collision]: wire name 'int' is a SystemVerilog keyword",
  "  help: rename it, e.g. 'int_r'",
].join('\n');
