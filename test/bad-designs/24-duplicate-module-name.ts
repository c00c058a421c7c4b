import { UInt, defineModule, output } from '../../hdl-gen/index.ts';

const ZeroA = defineModule({ name: 'Const', io: () => ({ y: output(UInt(1)) }), body: (_m, io) => io.y.set(0) }); // @first
const OneB = defineModule({ name: 'Const', io: () => ({ y: output(UInt(1)) }), body: (_m, io) => io.y.set(1) }); // @second

/** Two different module definitions are both named 'Const'. */
export const design = defineModule({
  name: 'DuplicateModuleName',
  io: () => ({ y: output(UInt(1)), z: output(UInt(1)) }),
  body: (m, io) => {
    io.y.set(m.instance('zero', ZeroA, {}).io.y);
    io.z.set(m.instance('one', OneB, {}).io.y);
  },
});

export const params = {};

/** The exact ElaborationError message. */
export const expected = [
  "test/bad-designs/24-duplicate-module-name.ts:4:14: error[name-collision]: two different modules would both be named 'Const'",
  "  test/bad-designs/24-duplicate-module-name.ts:3:15: note: 'Const' was first defined here",
  '  help: give the definitions distinct names, or a moduleName() that includes every parameter',
].join('\n');
