import { UInt, defineModule, input, output } from '../../hdl-gen/index.ts';

/** 'logic' is a SystemVerilog keyword. */
export const design = defineModule({
  name: 'SvKeywordName',
  io: () => ({ a: input(UInt(4)), y: output(UInt(4)) }),
  body: (m, io) => {
    const w = m.wire('logic', UInt(4)); // @w
    w.set(io.a);
    io.y.set(w);
  },
});

export const params = {};

/** The exact ElaborationError message. */
export const expected = [
  "test/bad-designs/21-sv-keyword-name.ts:8:17: error[name-collision]: wire name 'logic' is a SystemVerilog keyword",
  "  help: rename it, e.g. 'logic_r'",
].join('\n');
