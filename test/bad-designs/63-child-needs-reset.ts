import { UInt, defineModule, input, output } from '../../hdl-gen/index.ts';

const Counter = defineModule({
  name: 'Counter4',
  io: () => ({ q: output(UInt(4)) }),
  body: (m, io) => {
    const r = m.reg('r', UInt(4), { init: 0 });
    r.set(r.add(1));
    io.q.set(r);
  },
});

/** The child's domain has a reset, the bound domain has none. */
export const design = defineModule({
  name: 'ChildNeedsReset',
  io: () => ({ d: input(UInt(4)), q: output(UInt(4)) }),
  body: (m, io) => {
    const free = m.domain('free', { clock: 'clk_free' });
    io.q.set(m.instance('cnt', Counter, {}, { domains: { sync: free } }).io.q); // @inst
  },
});

export const params = {};

/** The exact ElaborationError message. */
export const expected = [
  "test/bad-designs/63-child-needs-reset.ts:19:16: error[api-misuse]: domain 'sync' of 'Counter4' needs a reset, but the bound domain 'free' has none",
  '  help: bind a domain that has a reset',
].join('\n');
