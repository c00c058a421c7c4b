import { UInt, defineModule, output } from '../../hdl-gen/index.ts';

/** io entries must be input(...) or output(...). */
export const design = defineModule({ // @def
  name: 'IoEntryNotAPort',
  io: () => ({ a: UInt(4) as never, y: output(UInt(4)) }),
  body: (_m, io) => io.y.set(0),
});

export const params = {};

/** The exact ElaborationError message. */
export const expected = [
  "test/bad-designs/48-io-entry-not-a-port.ts:4:23: error[api-misuse]: io entry 'a' of 'IoEntryNotAPort' is not a port",
  '  help: declare ports with input(type) or output(type)',
].join('\n');
