import { UInt, defineModule, input, output } from '../../hdl-gen/index.ts';

const Inverter = defineModule({
  name: 'Inverter',
  io: () => ({ a: input(UInt(4)), y: output(UInt(4)) }),
  body: (_m, io) => io.y.set(io.a.not()),
});

/** Driving the output of a child instance. (Currently "instance output 'u_y' cannot be assigned here", without the declaration.) */
export const design = defineModule({
  name: 'DriveChildOutput',
  io: () => ({ a: input(UInt(4)), y: output(UInt(4)) }),
  body: (m, io) => {
    const u = m.instance('u', Inverter, {}); // @inst
    u.io.a.set(io.a);
    u.io.y.set(io.a); // @set
    io.y.set(u.io.y);
  },
});

export const params = {};

/** The exact ElaborationError message. */
export const expected = [
  "test/bad-designs/16-drive-child-output.ts:16:12: error[multiple-drivers]: 'u_y' is an output of a child instance: it is driven by its source and cannot be assigned",
  "  test/bad-designs/16-drive-child-output.ts:14:17: note: 'u_y' is declared here",
  '  help: assign a wire or output port instead, and read this value',
].join('\n');
