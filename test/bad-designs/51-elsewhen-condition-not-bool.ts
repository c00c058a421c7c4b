import { Bool, UInt, defineModule, input, output } from '../../hdl-gen/index.ts';

/** An elsewhen condition must be one bit. */
export const design = defineModule({
  name: 'ElsewhenConditionNotBool',
  io: () => ({ c: input(Bool()), n: input(UInt(3)), y: output(UInt(2)) }),
  body: (m, io) => {
    io.y.set(0);
    m.when(io.c, () => io.y.set(1))
      .elsewhen(io.n, () => io.y.set(2)); // @elsewhen
  },
});

export const params = {};

/** The exact ElaborationError message. */
export const expected = [
  'test/bad-designs/51-elsewhen-condition-not-bool.ts:10:8: error[width-mismatch]: elsewhen: condition must be a Bool, got UInt<3>',
  '  help: reduce it to one bit, e.g. x.ne(0) or x.orR()',
].join('\n');
