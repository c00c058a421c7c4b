import { UInt, defineModule, input, output } from '../../hdl-gen/index.ts';

/** A when condition must be one bit. */
export const design = defineModule({
  name: 'WhenConditionNotBool',
  io: () => ({ count: input(UInt(4)), y: output(UInt(1)) }),
  body: (m, io) => {
    io.y.set(0);
    m.when(io.count, () => io.y.set(1)); // @when
  },
});

export const params = {};

/** The exact ElaborationError message. */
export const expected = [
  'test/bad-designs/36-when-condition-not-bool.ts:9:7: error[width-mismatch]: when: condition must be a Bool, got UInt<4>',
  '  help: reduce it to one bit, e.g. x.ne(0) or x.orR()',
].join('\n');
