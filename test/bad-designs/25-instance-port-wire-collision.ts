import { UInt, defineModule, input, output } from '../../hdl-gen/index.ts';

const Pass = defineModule({ name: 'Pass', io: () => ({ x: input(UInt(2)), y: output(UInt(2)) }), body: (_m, io) => io.y.set(io.x) });

/** Instance 'u' makes a wire 'u_x' for its port x, and the module already has a wire 'u_x'. */
export const design = defineModule({
  name: 'InstancePortWireCollision',
  io: () => ({ a: input(UInt(2)), y: output(UInt(2)) }),
  body: (m, io) => {
    const w = m.wire('u_x', UInt(2)); // @wire
    w.set(io.a);
    const u = m.instance('u', Pass, {}); // @inst
    u.io.x.set(w);
    io.y.set(u.io.y);
  },
});

export const params = {};

/** The exact ElaborationError message. */
export const expected = [
  "test/bad-designs/25-instance-port-wire-collision.ts:12:17: error[name-collision]: port wire of instance 'u_x' in module 'InstancePortWireCollision' has the same name as the wire declared earlier",
  "  test/bad-designs/25-instance-port-wire-collision.ts:10:17: note: the wire 'u_x' is declared here",
  '  help: rename one of them',
].join('\n');
