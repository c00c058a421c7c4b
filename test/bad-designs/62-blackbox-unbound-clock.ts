import { Bool, UInt, defineBlackbox, defineModule, input, output } from '../../hdl-gen/index.ts';

const Pll = defineBlackbox({ name: 'pll_out', io: () => ({ ref: input(Bool()), q: output(UInt(1)) }), clocks: { ref: 'ref' } });

/** The blackbox needs a 'ref' domain that the parent does not bind. */
export const design = defineModule({
  name: 'BlackboxUnboundClock',
  io: () => ({ y: output(UInt(1)) }),
  body: (m, io) => {
    io.y.set(m.instance('pll', Pll, {}).io.q); // @inst
  },
});

export const params = {};

/** The exact ElaborationError message. */
export const expected = [
  "test/bad-designs/62-blackbox-unbound-clock.ts:10:16: error[api-misuse]: blackbox 'pll_out' clock 'ref' needs domain 'ref', which is not bound",
  '  help: pass { domains: { ref: someDomain } }',
].join('\n');
