import { UInt, defineModule, input, output } from '../../hdl-gen/index.ts';

/** when/elsewhen without otherwise: the output has no value when neither condition holds. */
export const design = defineModule({
  name: 'LatchElsewhen',
  io: () => ({
    s: input(UInt(2)),
    y: output(UInt(8)), // @decl
  }),
  body: (m, io) => {
    m.when(io.s.eq(0), () => io.y.set(10))
      .elsewhen(io.s.eq(1), () => io.y.set(20)); // @elsewhen
  },
});

export const params = {};

/** The exact ElaborationError message. */
export const expected = [
  "test/bad-designs/18-latch-elsewhen.ts:12:8: error[latch]: output port 'y' of module 'LatchElsewhen' is assigned on only some paths of this when: it would infer a latch",
  "  test/bad-designs/18-latch-elsewhen.ts:8:8: note: 'y' is declared here",
  "  help: give 'y' a default with .set(...) before the when, or assign it in an otherwise branch",
].join('\n');
