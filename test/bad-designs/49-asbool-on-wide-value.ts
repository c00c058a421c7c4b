import { Bool, UInt, defineModule, input, output } from '../../hdl-gen/index.ts';

/** asBool() needs one bit. */
export const design = defineModule({
  name: 'AsBoolOnWideValue',
  io: () => ({ a: input(UInt(4)), y: output(Bool()) }),
  body: (_m, io) => {
    io.y.set(io.a.asBool()); // @asbool
  },
});

export const params = {};

/** The exact ElaborationError message. */
export const expected = [
  'test/bad-designs/49-asbool-on-wide-value.ts:8:19: error[width-mismatch]: asBool() needs a 1-bit value, got UInt<4>',
  '  help: use orR() for "any bit set", or ne(0)',
].join('\n');
