import { UInt, defineModule, input, output } from '../../hdl-gen/index.ts';

/** A negative shift amount. */
export const design = defineModule({
  name: 'NegativeShift',
  io: () => ({ a: input(UInt(8)), y: output(UInt(8)) }),
  body: (_m, io) => {
    io.y.set(io.a.shr(-2)); // @shr
  },
});

export const params = {};

/** The exact ElaborationError message. */
export const expected = [
  'test/bad-designs/57-negative-shift.ts:8:19: error[type-error]: shr: shift amount must be a non-negative integer, got -2',
  '  help: pass a whole number of bits, or a UInt signal for a dynamic shift',
].join('\n');
