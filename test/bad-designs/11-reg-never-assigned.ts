import { UInt, defineModule, output } from '../../hdl-gen/index.ts';

/** A register without a next value. */
export const design = defineModule({
  name: 'RegNeverAssigned',
  io: () => ({ y: output(UInt(8)) }),
  body: (m, io) => {
    const r = m.reg('count', UInt(8), { init: 0 }); // @r
    io.y.set(r);
  },
});

export const params = {};

/** The exact ElaborationError message. */
export const expected = [
  "test/bad-designs/11-reg-never-assigned.ts:8:17: error[undriven]: register 'count' of module 'RegNeverAssigned' is never driven",
  '  help: assign its next value with .set(...), or remove it',
].join('\n');
