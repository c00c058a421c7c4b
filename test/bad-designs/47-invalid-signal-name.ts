import { UInt, defineModule, input, output } from '../../hdl-gen/index.ts';

/** A name that cannot be an SV identifier. */
export const design = defineModule({
  name: 'InvalidSignalName',
  io: () => ({ a: input(UInt(4)), y: output(UInt(4)) }),
  body: (m, io) => {
    const w = m.wire('data-out', UInt(4)); // @wire
    w.set(io.a);
    io.y.set(w);
  },
});

export const params = {};

/** The exact ElaborationError message. */
export const expected = [
  "test/bad-designs/47-invalid-signal-name.ts:8:17: error[name-collision]: 'data-out' is not a valid signal name",
  '  help: use letters, digits and underscores, starting with a letter',
].join('\n');
