import { UInt, defineModule, input, output } from '../../hdl-gen/index.ts';

const Adder = defineModule({
  name: 'Adder',
  io: () => ({ a: input(UInt(4)), b: input(UInt(4)), s: output(UInt(4)) }),
  body: (_m, io) => io.s.set(io.a.add(io.b)),
});

/** Input 'b' of the child instance is left unconnected. */
export const design = defineModule({
  name: 'InstanceInputUndriven',
  io: () => ({ x: input(UInt(4)), y: output(UInt(4)) }),
  body: (m, io) => {
    const u = m.instance('u_add', Adder, {}); // @inst
    u.io.a.set(io.x);
    io.y.set(u.io.s);
  },
});

export const params = {};

/** The exact ElaborationError message. */
export const expected = [
  "test/bad-designs/13-instance-input-undriven.ts:14:17: error[undriven]: input 'b' of instance 'u_add' in module 'InstanceInputUndriven' is never driven",
  '  help: drive it with .set(...) on every path (a default assignment before any m.when is simplest)',
].join('\n');
