import { UInt, defineModule, input, output } from '../../hdl-gen/index.ts';

const FastDelay = defineModule({
  name: 'FastDelay',
  io: () => ({ d: input(UInt(4)), q: output(UInt(4)) }),
  body: (m, io) => {
    const fast = m.domain('fast', { clock: 'clk_fast' }); // @dom
    io.q.set(m.regNext('r', io.d, { domain: fast }));
  },
});

/** The child's 'fast' domain is not bound to a domain of the parent. */
export const design = defineModule({
  name: 'UnboundClockDomain',
  io: () => ({ d: input(UInt(4)), q: output(UInt(4)) }),
  body: (m, io) => {
    const u = m.instance('delay', FastDelay, {}); // @inst
    u.io.d.set(io.d);
    io.q.set(u.io.q);
  },
});

export const params = {};

/** The exact ElaborationError message. */
export const expected = [
  "test/bad-designs/30-unbound-clock-domain.ts:17:17: error[api-misuse]: instance 'delay' of 'FastDelay' uses clock domain 'fast', which is not bound",
  "  test/bad-designs/30-unbound-clock-domain.ts:7:20: note: domain 'fast' is defined here",
  '  help: pass { domains: { fast: someDomain } } to m.instance',
].join('\n');
