import { UInt, defineModule, input, output } from '../../hdl-gen/index.ts';

/** A register enable must be one bit. */
export const design = defineModule({
  name: 'RegEnableNotBool',
  io: () => ({ d: input(UInt(4)), en: input(UInt(2)), q: output(UInt(4)) }),
  body: (m, io) => {
    const r = m.reg('r', UInt(4), { init: 0, enable: io.en }); // @reg
    r.set(io.d);
    io.q.set(r);
  },
});

export const params = {};

/** The exact ElaborationError message. */
export const expected = [
  "test/bad-designs/56-reg-enable-not-bool.ts:8:17: error[width-mismatch]: register 'r' enable: condition must be a Bool, got UInt<2>",
  '  help: reduce it to one bit, e.g. x.ne(0) or x.orR()',
].join('\n');
