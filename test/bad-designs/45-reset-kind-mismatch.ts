import { UInt, defineModule, input, output } from '../../hdl-gen/index.ts';

const SyncReg = defineModule({
  name: 'SyncReg',
  io: () => ({ d: input(UInt(4)), q: output(UInt(4)) }),
  body: (m, io) => io.q.set(m.regNext('r', io.d, { init: 0 })),
});

/** The child's synchronous active-high reset is bound to an asynchronous active-low one. */
export const design = defineModule({
  name: 'ResetKindMismatch',
  io: () => ({ d: input(UInt(4)), q: output(UInt(4)) }),
  body: (m, io) => {
    const arst = m.domain('arst', { clock: 'clk_a', reset: 'rst_a_n', resetKind: 'async', resetActiveLow: true });
    const u = m.instance('u', SyncReg, {}, { domains: { sync: arst } }); // @inst
    u.io.d.set(io.d);
    io.q.set(u.io.q);
  },
});

export const params = {};

/** The exact ElaborationError message. */
export const expected = [
  "test/bad-designs/45-reset-kind-mismatch.ts:15:17: error[api-misuse]: domain 'sync' of 'SyncReg' has a sync active-high reset, the bound domain 'arst' an async active-low one",
  '  help: bind a domain with the same reset kind and polarity',
].join('\n');
