/**
 * A `W`-bit value for typed testbenches: a bigint branded with its width, so poking an 8-bit
 * value into a 16-bit port (or into a port that does not exist) fails to type-check.
 */
export type Bits<W extends number> = bigint & { readonly __bits: W };

/** Makes a `W`-bit value; throws when `value` does not fit (negative values are two's complement). */
export function bits<W extends number>(width: W, value: bigint | number): Bits<W> {
  const v = BigInt(value);
  const w = BigInt(width);
  if (v >= 1n << w || v < -(1n << (w - 1n))) throw new RangeError(`${value} does not fit in ${width} bits`);
  return (v < 0n ? v + (1n << w) : v) as Bits<W>;
}

/** Anything that can be poked and peeked by port name (IrSimulator, VerilatorSim). */
export interface PortAccess {
  poke(port: string, value: bigint | number): void;
  peek(port: string): bigint;
}

/** Typed view of a simulator: port names and widths checked at compile time. */
export class TypedPorts<I extends { [K in keyof I]: Bits<number> }, O extends { [K in keyof O]: Bits<number> }> {
  constructor(readonly sim: PortAccess) {}
  poke<K extends keyof I & string>(port: K, value: I[K]): void {
    this.sim.poke(port, value);
  }
  peek<K extends keyof O & string>(port: K): O[K] {
    return this.sim.peek(port) as O[K];
  }
}
