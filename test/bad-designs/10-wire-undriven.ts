import { UInt, defineModule, input, output } from '../../hdl-gen/index.ts';

/** A wire that is read but never driven. */
export const design = defineModule({
  name: 'WireUndriven',
  io: () => ({ a: input(UInt(8)), y: output(UInt(8)) }),
  body: (m, io) => {
    const t = m.wire('t', UInt(8)); // @t
    io.y.set(io.a.and(t));
  },
});

export const params = {};

/** The exact ElaborationError message. */
export const expected = [
  "test/bad-designs/10-wire-undriven.ts:8:17: error[undriven]: wire 't' of module 'WireUndriven' is never driven",
  '  help: drive it with .set(...) on every path (a default assignment before any m.when is simplest)',
].join('\n');
