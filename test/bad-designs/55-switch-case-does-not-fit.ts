import { UInt, defineModule, input, output } from '../../hdl-gen/index.ts';

/** A case value that the selector can never take. */
export const design = defineModule({
  name: 'SwitchCaseDoesNotFit',
  io: () => ({ s: input(UInt(2)), y: output(UInt(4)) }),
  body: (m, io) => {
    io.y.set(0);
    m.switch(io.s)
      .is(3, () => io.y.set(1))
      .is(4, () => io.y.set(2)); // @is
  },
});

export const params = {};

/** The exact ElaborationError message. */
export const expected = [
  'test/bad-designs/55-switch-case-does-not-fit.ts:11:8: error[width-mismatch]: literal 4 does not fit UInt<2>',
  '  help: use a wider type, or a value in range for UInt<2>',
].join('\n');
