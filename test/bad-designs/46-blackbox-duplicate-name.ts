import { UInt, defineBlackbox, defineModule, output } from '../../hdl-gen/index.ts';

const RamA = defineBlackbox({ name: 'vendor_ram', io: () => ({ q: output(UInt(8)) }) }); // @first
const RamB = defineBlackbox({ name: 'vendor_ram', io: () => ({ q: output(UInt(16)) }) }); // @second

/** Two different blackboxes named 'vendor_ram'. */
export const design = defineModule({
  name: 'BlackboxDuplicateName',
  io: () => ({ a: output(UInt(8)), b: output(UInt(16)) }),
  body: (m, io) => {
    io.a.set(m.instance('ram_a', RamA, {}).io.q);
    io.b.set(m.instance('ram_b', RamB, {}).io.q);
  },
});

export const params = {};

/** The exact ElaborationError message. */
export const expected = [
  "test/bad-designs/46-blackbox-duplicate-name.ts:4:14: error[name-collision]: two different blackboxes are named 'vendor_ram'",
  '  test/bad-designs/46-blackbox-duplicate-name.ts:3:14: note: the other definition',
  '  help: give each blackbox a distinct name',
].join('\n');
