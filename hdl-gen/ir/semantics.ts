import type { IrNode } from './ir.ts';

/**
 * The meaning of every combinational IR operator, on unsigned BigInt bit patterns of the node
 * widths. The simulator uses it; the emitter must print SystemVerilog with exactly this meaning.
 */
export function mask(width: number): bigint {
  return (1n << BigInt(width)) - 1n;
}

/** The two's complement value of a `width`-bit pattern. */
export function toSigned(v: bigint, width: number): bigint {
  const w = BigInt(width);
  return v >> (w - 1n) ? v - (1n << w) : v;
}

export function evalOp(n: IrNode, a: readonly bigint[], argWidths: readonly number[]): bigint {
  const m = mask(n.width);
  switch (n.op) {
    case 'wire':
      return a[0];
    case 'const':
      return n.value!;
    case 'not':
      return ~a[0] & m;
    case 'and':
      return a[0] & a[1];
    case 'or':
      return a[0] | a[1];
    case 'xor':
      return a[0] ^ a[1];
    case 'add':
      return (a[0] + a[1]) & m;
    case 'sub':
      return (a[0] - a[1]) & m;
    case 'mul':
      return (a[0] * a[1]) & m;
    case 'neg':
      return -a[0] & m;
    case 'eq':
      return a[0] === a[1] ? 1n : 0n;
    case 'ne':
      return a[0] !== a[1] ? 1n : 0n;
    case 'lt':
    case 'le':
    case 'gt':
    case 'ge': {
      const [x, y] = n.signedOp ? [toSigned(a[0], argWidths[0]), toSigned(a[1], argWidths[1])] : [a[0], a[1]];
      const r = n.op === 'lt' ? x < y : n.op === 'le' ? x <= y : n.op === 'gt' ? x > y : x >= y;
      return r ? 1n : 0n;
    }
    case 'shl':
      return (a[0] << BigInt(n.amount!)) & m;
    case 'dshl':
      return a[1] >= BigInt(n.width) ? 0n : (a[0] << a[1]) & m;
    case 'shr':
      return shiftRight(a[0], BigInt(n.amount!), n.width, !!n.signedOp);
    case 'dshr':
      return shiftRight(a[0], a[1], n.width, !!n.signedOp);
    case 'andr':
      return a[0] === mask(argWidths[0]) ? 1n : 0n;
    case 'orr':
      return a[0] !== 0n ? 1n : 0n;
    case 'xorr': {
      let v = a[0];
      let p = 0n;
      while (v) {
        p ^= v & 1n;
        v >>= 1n;
      }
      return p;
    }
    case 'mux':
      return a[0] ? a[1] : a[2];
    case 'slice':
      return (a[0] >> BigInt(n.lo!)) & m;
    case 'concat': {
      let v = 0n;
      for (let i = 0; i < a.length; i++) v = (v << BigInt(argWidths[i])) | a[i];
      return v;
    }
    case 'zext':
      return a[0];
    case 'sext':
      return toSigned(a[0], argWidths[0]) & m;
    default:
      throw new Error(`evalOp: '${n.op}' is not a combinational operator`);
  }
}

function shiftRight(v: bigint, amount: bigint, width: number, arithmetic: boolean): bigint {
  const m = mask(width);
  if (!arithmetic) return amount >= BigInt(width) ? 0n : v >> amount;
  const s = toSigned(v, width);
  return (s >> (amount >= BigInt(width) ? BigInt(width) : amount)) & m;
}
