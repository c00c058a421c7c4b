import { SInt, UInt, defineModule, elaborate, input, output } from '../../../hdl-gen/index.ts';
import { Counter } from '../../../hdl-gen/examples/counter.ts';
import type { IrDesign } from '../../../hdl-gen/ir/ir.ts';

/** Small designs for the Verilator driver tests. */

export const Mul16 = defineModule({
  name: 'VlMul16',
  io: () => ({ a: input(UInt(16)), b: input(UInt(16)), p: output(UInt(32)) }),
  body: (m, io) => {
    io.p.set(io.a.mulExpand(io.b));
  },
});

export const Add130 = defineModule({
  name: 'VlAdd130',
  io: () => ({ a: input(UInt(130)), b: input(UInt(130)), s: output(UInt(131)) }),
  body: (m, io) => {
    io.s.set(io.a.addExpand(io.b));
  },
});

/** Every Verilator storage class (CData, SData, IData, QData, VlWide) and byte-rounding boundary. */
export const WIDTHS = [1, 7, 8, 9, 16, 17, 31, 32, 33, 48, 53, 54, 63, 64, 65, 96, 127, 128, 130, 200, 256] as const;

export const Inverters = defineModule({
  name: 'VlInverters',
  io: () => {
    const ports: Record<string, ReturnType<typeof input> | ReturnType<typeof output>> = {};
    for (const w of WIDTHS) {
      ports[`i${w}`] = input(UInt(w));
      ports[`o${w}`] = output(UInt(w));
    }
    ports.s = input(SInt(12));
    ports.sneg = output(SInt(12));
    return ports;
  },
  body: (m, io) => {
    const any = io as Record<string, any>;
    for (const w of WIDTHS) any[`o${w}`].set(any[`i${w}`].not());
    any.sneg.set(any.s.neg());
  },
});

export const counterDesign = (): IrDesign => elaborate(Counter, { width: 8 });
export const mulDesign = (): IrDesign => elaborate(Mul16, {});
export const addDesign = (): IrDesign => elaborate(Add130, {});
export const invertersDesign = (): IrDesign => elaborate(Inverters, {});

/** The counter's cycle model: output i is sampled before clock edge i (see VerilatorSim). */
export function counterModel(width: number) {
  const max = (1n << BigInt(width)) - 1n;
  let count = 0n;
  return (inp: Readonly<Record<string, bigint>>) => {
    const out = { count, wrap: inp.en === 1n && count === max ? 1n : 0n };
    if (inp.rst === 1n) count = 0n;
    else if (inp.en === 1n) count = count === max ? 0n : count + 1n;
    return out;
  };
}

/** Values biased towards carry corner cases (0, all ones, single bits), else uniform. */
export function edgy(rng: { next32(): number; bits(w: number): bigint; range(lo: number, hi: number): number }, width: number): bigint {
  const all = (1n << BigInt(width)) - 1n;
  switch (rng.next32() & 15) {
    case 0:
      return 0n;
    case 1:
      return all;
    case 2:
      return 1n << BigInt(rng.range(0, width - 1));
    case 3:
      return all ^ (1n << BigInt(rng.range(0, width - 1)));
    default:
      return rng.bits(width);
  }
}
