/**
 * Nibble-plane memory layout of stored words (spec: "Memory layout for the draft pass").
 *
 * A vector of n stored words w[0..n-1] (one weight row; n = K, the reduction length) is padded to
 * G = ceil(n / 4) groups of 4 with the stored word 0x0000 (+0: draft code 0, verify weight +0), and
 * laid out as 4G 16-bit words:
 *
 *   words [0, G)      draft plane:    word g     = D_g
 *   words [G, 4G)     residual plane: words G+3g, G+3g+1, G+3g+2 = R_g.0, R_g.1, R_g.2
 *
 * for group g holding weights w0..w3 = w[4g .. 4g+3]:
 *
 *   D_g   = w0[15:12] | w1[15:12] << 4 | w2[15:12] << 8 | w3[15:12] << 12
 *           (weight j's draft nibble in bits 4j+3 : 4j; weight 0 in bits 3:0)
 *   L     = w0[11:0] | w1[11:0] << 12 | w2[11:0] << 24 | w3[11:0] << 36   (48 bits)
 *   R_g.0 = L[15:0], R_g.1 = L[31:16], R_g.2 = L[47:32]
 *
 * The draft pass reads the draft plane only (a quarter of the bytes, contiguous); the verify pass
 * reads D_g and R_g.* and reassembles w_j = D_g[4j+3:4j] << 12 | L[12j+11:12j]. A matrix is laid out
 * row by row (each row padded separately, so every row starts on a group boundary): row i of a
 * rows x n matrix occupies words [4G*i, 4G*(i+1)) of the packed matrix.
 */

export const GROUP = 4;

/** Number of groups (draft words) for n weights. */
export function groupsFor(n: number): number {
  return Math.ceil(n / GROUP);
}

/** Packed length (words) of n weights: 4 * ceil(n / 4). */
export function packedLength(n: number): number {
  return GROUP * groupsFor(n);
}

function checkLength(n: number, what: string): void {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`${what} must be a non-negative integer, got ${n}`);
}

/** Lays out one vector of stored words in nibble planes (padding with 0x0000 to a multiple of 4). */
export function toNibblePlanes(words: ArrayLike<number>): Uint16Array {
  const n = words.length;
  const G = groupsFor(n);
  const out = new Uint16Array(4 * G);
  packInto(words, 0, n, out, 0);
  return out;
}

function packInto(words: ArrayLike<number>, start: number, n: number, out: Uint16Array, base: number): void {
  const G = groupsFor(n);
  for (let g = 0; g < G; g++) {
    let d = 0;
    // The 48-bit residual as three 16-bit words, built from the 12-bit parts.
    const lo: number[] = [0, 0, 0, 0];
    for (let j = 0; j < GROUP; j++) {
      const idx = 4 * g + j;
      const w = idx < n ? words[start + idx] : 0;
      if (!Number.isInteger(w) || w < 0 || w > 0xffff) throw new RangeError(`stored word ${start + idx} must be a 16-bit integer, got ${w}`);
      d |= (w >>> 12) << (4 * j);
      lo[j] = w & 0xfff;
    }
    const L0 = lo[0] | ((lo[1] & 0xf) << 12); // L[15:0]
    const L1 = (lo[1] >>> 4) | ((lo[2] & 0xff) << 8); // L[31:16]
    const L2 = (lo[2] >>> 8) | (lo[3] << 4); // L[47:32]
    out[base + g] = d;
    out[base + G + 3 * g] = L0;
    out[base + G + 3 * g + 1] = L1;
    out[base + G + 3 * g + 2] = L2;
  }
}

/** Inverse of `toNibblePlanes`: the first n stored words of a packed vector of length 4*ceil(n/4). */
export function fromNibblePlanes(packed: ArrayLike<number>, n: number): Uint16Array {
  checkLength(n, 'weight count');
  if (packed.length !== packedLength(n)) {
    throw new RangeError(`packed vector of ${n} weights must have ${packedLength(n)} words, got ${packed.length}`);
  }
  const out = new Uint16Array(n);
  unpackFrom(packed, 0, n, out, 0);
  return out;
}

function unpackFrom(packed: ArrayLike<number>, base: number, n: number, out: Uint16Array, start: number): void {
  const G = groupsFor(n);
  for (let g = 0; g < G; g++) {
    const d = packed[base + g];
    const L0 = packed[base + G + 3 * g];
    const L1 = packed[base + G + 3 * g + 1];
    const L2 = packed[base + G + 3 * g + 2];
    const lo = [L0 & 0xfff, (L0 >>> 12) | ((L1 & 0xff) << 4), (L1 >>> 8) | ((L2 & 0xf) << 8), L2 >>> 4];
    for (let j = 0; j < GROUP; j++) {
      const idx = 4 * g + j;
      if (idx >= n) break;
      out[start + idx] = (((d >>> (4 * j)) & 0xf) << 12) | lo[j];
    }
  }
}

/** The draft plane of a packed vector of n weights (words [0, G)). */
export function draftPlane(packed: ArrayLike<number>, n: number): Uint16Array {
  const G = groupsFor(n);
  return Uint16Array.from({ length: G }, (_, g) => packed[g]);
}

/** The 4 draft nibbles (weights w0..w3) of a draft word. */
export function draftWordNibbles(d: number): [number, number, number, number] {
  return [d & 0xf, (d >>> 4) & 0xf, (d >>> 8) & 0xf, (d >>> 12) & 0xf];
}

/** Lays out a rows x cols matrix of stored words (row-major) row by row: rows x 4*ceil(cols/4) words. */
export function matrixToNibblePlanes(words: ArrayLike<number>, rows: number, cols: number): Uint16Array {
  checkLength(rows, 'rows');
  checkLength(cols, 'cols');
  if (words.length !== rows * cols) throw new RangeError(`matrix of ${rows} x ${cols} needs ${rows * cols} words, got ${words.length}`);
  const P = packedLength(cols);
  const out = new Uint16Array(rows * P);
  for (let i = 0; i < rows; i++) packInto(words, i * cols, cols, out, i * P);
  return out;
}

/** Inverse of `matrixToNibblePlanes`. */
export function matrixFromNibblePlanes(packed: ArrayLike<number>, rows: number, cols: number): Uint16Array {
  checkLength(rows, 'rows');
  checkLength(cols, 'cols');
  const P = packedLength(cols);
  if (packed.length !== rows * P) throw new RangeError(`packed matrix of ${rows} x ${cols} must have ${rows * P} words, got ${packed.length}`);
  const out = new Uint16Array(rows * cols);
  for (let i = 0; i < rows; i++) unpackFrom(packed, i * P, cols, out, i * cols);
  return out;
}
