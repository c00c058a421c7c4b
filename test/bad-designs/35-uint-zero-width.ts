import { UInt, defineModule, input, output } from '../../hdl-gen/index.ts';

/** UInt(0) is not a type. */
export const design = defineModule({
  name: 'UIntZeroWidth',
  io: (p: { width: number }) => ({
    a: input(UInt(p.width)), // @uint
    y: output(UInt(1)),
  }),
  body: (_m, io) => io.y.set(0),
});

export const params = { width: 0 };

/** The exact ElaborationError message. */
export const expected = [
  'test/bad-designs/35-uint-zero-width.ts:7:14: error[type-error]: UInt width must be an integer from 1 to 65536, got 0',
  '  help: pass a whole number of bits, e.g. UInt(8)',
].join('\n');
