import { UInt, defineModule, input, output } from '../../hdl-gen/index.ts';

/** trunc cannot widen. */
export const design = defineModule({
  name: 'TruncWider',
  io: () => ({ a: input(UInt(4)), y: output(UInt(8)) }),
  body: (_m, io) => {
    io.y.set(io.a.trunc(8)); // @trunc
  },
});

export const params = {};

/** The exact ElaborationError message. */
export const expected = [
  'test/bad-designs/58-trunc-wider.ts:8:19: error[width-mismatch]: trunc(8) needs 1 <= width <= 4 for UInt<4>',
  '  help: use zext()/sext()/resize() to widen',
].join('\n');
