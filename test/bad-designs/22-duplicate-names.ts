import { UInt, defineModule, input, output } from '../../hdl-gen/index.ts';

/** A register with the same name as a wire. */
export const design = defineModule({
  name: 'DuplicateNames',
  io: () => ({ a: input(UInt(4)), y: output(UInt(4)) }),
  body: (m, io) => {
    const w = m.wire('state', UInt(4)); // @wire
    w.set(io.a);
    const r = m.reg('state', UInt(4), { init: 0 }); // @reg
    r.set(w);
    io.y.set(r);
  },
});

export const params = {};

/** The exact ElaborationError message. */
export const expected = [
  "test/bad-designs/22-duplicate-names.ts:10:17: error[name-collision]: register 'state' in module 'DuplicateNames' has the same name as the wire declared earlier",
  "  test/bad-designs/22-duplicate-names.ts:8:17: note: the wire 'state' is declared here",
  '  help: rename one of them',
].join('\n');
