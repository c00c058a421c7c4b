import type { PortLayout } from './harness.ts';

/**
 * Packing of port values into harness records: each port takes ceil(width / 8) bytes,
 * little-endian. Values are bigints (numbers are accepted when they are safe integers); a signed
 * port also accepts negative values down to -2^(width-1), sent as two's complement. Values read
 * back are always the raw unsigned bits.
 */

const TWO32 = 2 ** 32;

export class PortValueError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PortValueError';
  }
}

function badValue(p: PortLayout, v: unknown, where: string): never {
  const shown = typeof v === 'bigint' ? `${v}n` : String(v);
  throw new PortValueError(`port '${p.name}' (${p.signed ? 'signed ' : ''}${p.width} bits): value ${shown}${where} is out of range or not an integer`);
}

/** The unsigned bits of `v` for port `p` (throws PortValueError when `v` does not fit). */
export function toBits(p: PortLayout, v: bigint | number, where = ''): bigint {
  let b: bigint;
  if (typeof v === 'bigint') b = v;
  else if (typeof v === 'number' && Number.isSafeInteger(v)) b = BigInt(v);
  else badValue(p, v, where);
  const w = BigInt(p.width);
  if (b >= 0n && b >> w === 0n) return b;
  if (b < 0n && p.signed && b >= -(1n << (w - 1n))) return BigInt.asUintN(p.width, b);
  badValue(p, v, where);
}

/** Writes one value at buf[off .. off + p.bytes). */
export function writeValue(p: PortLayout, v: bigint | number, buf: Uint8Array, off: number, where = ''): void {
  let x = toBits(p, v, where);
  for (let k = 0; k < p.bytes; k++) {
    buf[off + k] = Number(x & 0xffn);
    x >>= 8n;
  }
}

/** Reads one value from buf[off .. off + p.bytes). */
export function readValue(p: PortLayout, buf: Uint8Array, off: number): bigint {
  let x = 0n;
  for (let k = p.bytes - 1; k >= 0; k--) x = (x << 8n) | BigInt(buf[off + k]);
  return x;
}

/**
 * Writes `count` values of port `p` (values[start .. start+count), or `fill` for all when values is
 * null) into records of `recBytes` bytes starting at buf[base]. The hot path of bulk runs.
 */
export function encodeColumn(
  p: PortLayout,
  values: readonly (bigint | number)[] | null,
  fill: bigint,
  start: number,
  count: number,
  buf: Uint8Array,
  base: number,
  recBytes: number,
): void {
  const nb = p.bytes;
  let off = base + p.offset;
  if (values === null) {
    const one = new Uint8Array(nb);
    writeValue(p, fill, one, 0);
    for (let i = 0; i < count; i++, off += recBytes) for (let k = 0; k < nb; k++) buf[off + k] = one[k];
    return;
  }
  if (p.width <= 32) {
    const max = 2 ** p.width - 1;
    for (let i = 0; i < count; i++, off += recBytes) {
      const v = values[start + i];
      let x = Number(v);
      // Number(bigint) is exact below 2^53; out-of-range or non-integer values take the slow path.
      if (!(x >= 0 && x <= max && (typeof v === 'bigint' || (typeof v === 'number' && Number.isInteger(x))))) x = Number(toBits(p, v, ` at vector ${start + i}`));
      buf[off] = x & 0xff;
      if (nb > 1) {
        buf[off + 1] = (x >>> 8) & 0xff;
        if (nb > 2) {
          buf[off + 2] = (x >>> 16) & 0xff;
          if (nb > 3) buf[off + 3] = (x >>> 24) & 0xff;
        }
      }
    }
    return;
  }
  if (p.width <= 53) {
    const max = 2 ** p.width - 1;
    for (let i = 0; i < count; i++, off += recBytes) {
      const v = values[start + i];
      let x = Number(v);
      if (!(x >= 0 && x <= max && (typeof v === 'bigint' || (typeof v === 'number' && Number.isInteger(x))))) x = Number(toBits(p, v, ` at vector ${start + i}`));
      const lo = x % TWO32;
      let hi = (x - lo) / TWO32;
      buf[off] = lo & 0xff;
      buf[off + 1] = (lo >>> 8) & 0xff;
      buf[off + 2] = (lo >>> 16) & 0xff;
      buf[off + 3] = (lo >>> 24) & 0xff;
      for (let k = 4; k < nb; k++) {
        buf[off + k] = hi & 0xff;
        hi >>>= 8;
      }
    }
    return;
  }
  const w = BigInt(p.width);
  for (let i = 0; i < count; i++, off += recBytes) {
    const v = values[start + i];
    let x = typeof v === 'bigint' && v >= 0n && v >> w === 0n ? v : toBits(p, v, ` at vector ${start + i}`);
    let k = 0;
    for (; k + 4 <= nb; k += 4) {
      const word = Number(BigInt.asUintN(32, x));
      x >>= 32n;
      buf[off + k] = word & 0xff;
      buf[off + k + 1] = (word >>> 8) & 0xff;
      buf[off + k + 2] = (word >>> 16) & 0xff;
      buf[off + k + 3] = (word >>> 24) & 0xff;
    }
    if (k < nb) {
      let word = Number(x);
      for (; k < nb; k++) {
        buf[off + k] = word & 0xff;
        word >>>= 8;
      }
    }
  }
}

/** Reads `count` values of port `p` from records at buf[base...] into out[start ...]. */
export function decodeColumn(p: PortLayout, buf: Uint8Array, base: number, recBytes: number, count: number, out: bigint[], start: number): void {
  const nb = p.bytes;
  let off = base + p.offset;
  if (nb <= 4) {
    for (let i = 0; i < count; i++, off += recBytes) {
      let x = buf[off];
      if (nb > 1) {
        x |= buf[off + 1] << 8;
        if (nb > 2) {
          x |= buf[off + 2] << 16;
          if (nb > 3) x = (x | (buf[off + 3] << 24)) >>> 0;
        }
      }
      out[start + i] = BigInt(x);
    }
    return;
  }
  if (p.width <= 53) {
    for (let i = 0; i < count; i++, off += recBytes) {
      const lo = (buf[off] | (buf[off + 1] << 8) | (buf[off + 2] << 16) | (buf[off + 3] << 24)) >>> 0;
      let hi = 0;
      for (let k = nb - 1; k >= 4; k--) hi = hi * 256 + buf[off + k];
      out[start + i] = BigInt(hi * TWO32 + lo);
    }
    return;
  }
  for (let i = 0; i < count; i++, off += recBytes) {
    let k = nb;
    let x = 0n;
    // Top partial word first, then whole 32-bit words downwards.
    const top = nb % 4;
    if (top) {
      let word = 0;
      for (let j = nb - 1; j >= nb - top; j--) word = word * 256 + buf[off + j];
      x = BigInt(word);
      k = nb - top;
    }
    for (k -= 4; k >= 0; k -= 4) {
      const word = (buf[off + k] | (buf[off + k + 1] << 8) | (buf[off + k + 2] << 16) | (buf[off + k + 3] << 24)) >>> 0;
      x = (x << 32n) | BigInt(word);
    }
    out[start + i] = x;
  }
}
