import { UInt, defineModule, input, output } from '../../hdl-gen/index.ts';

/** A reset value for a register in a domain that has no reset. */
export const design = defineModule({
  name: 'RegInitWithoutReset',
  io: () => ({ d: input(UInt(4)), q: output(UInt(4)) }),
  body: (m, io) => {
    const fast = m.domain('fast', { clock: 'clk_fast' });
    const r = m.reg('r', UInt(4), { init: 0, domain: fast }); // @reg
    r.set(io.d);
    io.q.set(r);
  },
});

export const params = {};

/** The exact ElaborationError message. */
export const expected = [
  "test/bad-designs/29-reg-init-without-reset.ts:9:17: error[api-misuse]: register 'r' has a reset value but domain 'fast' has no reset",
  '  help: drop init, or give the domain a reset',
].join('\n');
