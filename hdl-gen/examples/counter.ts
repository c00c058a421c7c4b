import { Bool, UInt, defineModule, input, output } from '../index.ts';

/** A free-running counter with enable and a wrap flag. */
export const Counter = defineModule({
  name: 'Counter',
  io: (p: { width: number }) => ({
    en: input(Bool()),
    count: output(UInt(p.width)),
    wrap: output(Bool()),
  }),
  body: (m, io, p) => {
    const value = m.reg('value', UInt(p.width), { init: 0 });
    m.when(io.en, () => value.set(value.add(1)));
    io.count.set(value);
    io.wrap.set(io.en.and(value.eq((1n << BigInt(p.width)) - 1n)));
  },
});
