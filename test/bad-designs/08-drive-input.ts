import { UInt, defineModule, input, output } from '../../hdl-gen/index.ts';

/** Driving an input port. (Currently reported as "input 'a' cannot be assigned here", without the declaration.) */
export const design = defineModule({
  name: 'DriveInput',
  io: () => ({
    a: input(UInt(8)), // @decl
    y: output(UInt(8)),
  }),
  body: (_m, io) => {
    io.a.set(0); // @set
    io.y.set(io.a);
  },
});

export const params = {};

/** The exact ElaborationError message. */
export const expected = [
  "test/bad-designs/08-drive-input.ts:11:10: error[multiple-drivers]: 'a' is an input port: it is driven from outside the module and cannot be assigned",
  "  test/bad-designs/08-drive-input.ts:7:8: note: 'a' is declared here",
  '  help: assign a wire or output port instead, and read this value',
].join('\n');
