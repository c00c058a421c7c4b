import { UInt, defineModule, input, output } from '../../hdl-gen/index.ts';

/** An output nothing drives. */
export const design = defineModule({
  name: 'OutputUndriven',
  io: () => ({
    a: input(UInt(8)),
    y: output(UInt(8)),
    z: output(UInt(8)), // @z
  }),
  body: (_m, io) => {
    io.y.set(io.a);
  },
});

export const params = {};

/** The exact ElaborationError message. */
export const expected = [
  "test/bad-designs/09-output-undriven.ts:9:8: error[undriven]: output port 'z' of module 'OutputUndriven' is never driven",
  '  help: drive it with .set(...) on every path (a default assignment before any m.when is simplest)',
].join('\n');
