import { UInt, defineModule, input, output } from '../../hdl-gen/index.ts';

/** slice(8, 4) of an 8-bit value. */
export const design = defineModule({
  name: 'SliceOutOfRange',
  io: () => ({ a: input(UInt(8)), y: output(UInt(5)) }),
  body: (_m, io) => {
    io.y.set(io.a.slice(8, 4)); // @slice
  },
});

export const params = {};

/** The exact ElaborationError message. */
export const expected = [
  'test/bad-designs/04-slice-out-of-range.ts:8:19: error[width-mismatch]: slice(8, 4) is out of range for UInt<8>',
  '  help: use 0 <= lo <= hi <= 7',
].join('\n');
