import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  bf16Value,
  f16Value,
  parseSafetensors,
  readSafetensors,
  serializeSafetensors,
  tensorBits16,
  tensorFromBits16,
  tensorFromValues,
  tensorValues,
  writeSafetensors,
  type Tensor,
} from '../../../hdl-gen/tensors/safetensors.ts';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'hdlgen-st-'));

/** A file assembled by hand from the format description (no padding, tensors in reverse order). */
function handMade(header: string, data: number[]): Uint8Array {
  const h = Buffer.from(header, 'utf8');
  const out = Buffer.alloc(8 + h.length + data.length);
  out.writeBigUInt64LE(BigInt(h.length), 0);
  h.copy(out, 8);
  Buffer.from(data).copy(out, 8 + h.length);
  return out;
}

function errorOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect((e as Error).name).toBe('UserError');
    return (e as Error).message;
  }
  throw new Error('expected an error');
}

describe('safetensors reader', () => {
  it('reads a hand-made file (little-endian data, offsets relative to the data, metadata)', () => {
    const bytes = handMade(
      '{"b":{"dtype":"U16","shape":[2],"data_offsets":[4,8]},"__metadata__":{"format":"pt"},"a":{"dtype":"F32","shape":[1,1],"data_offsets":[0,4]}}  ',
      [0x00, 0x00, 0xc0, 0x3f, 0x34, 0x12, 0xff, 0xff],
    );
    const st = parseSafetensors(bytes, 'x.safetensors');
    expect(st.metadata).toEqual({ format: 'pt' });
    expect([...st.tensors.keys()]).toEqual(['b', 'a']);
    expect([...tensorValues(st.tensors.get('a')!)]).toEqual([1.5]);
    expect(st.tensors.get('a')!.shape).toEqual([1, 1]);
    expect([...tensorBits16(st.tensors.get('b')!)]).toEqual([0x1234, 0xffff]);
    expect([...tensorValues(st.tensors.get('b')!)]).toEqual([0x1234, 0xffff]);
  });

  it('accepts empty tensors and files without tensors', () => {
    expect(parseSafetensors(handMade('{}', []), 'e').tensors.size).toBe(0);
    const st = parseSafetensors(handMade('{"z":{"dtype":"F32","shape":[0,3],"data_offsets":[0,0]}}', []), 'e');
    expect(st.tensors.get('z')!.data.length).toBe(0);
  });

  const bad: [string, () => Uint8Array, string][] = [
    ['a file shorter than the length field', () => new Uint8Array(5), 'f.st: truncated: 5 bytes, but a safetensors file starts with an 8-byte header length'],
    ['a header longer than the file', () => handMade('{}', []).subarray(0, 9), 'f.st: truncated: the header is 2 bytes but only 1 follow the length field'],
    ['a huge header length', () => Buffer.from([0, 0, 0, 0, 0, 0, 0, 1]), 'f.st: header length 72057594037927936 exceeds the 100000000-byte limit (not a safetensors file?)'],
    ['bad JSON', () => handMade('{"a":', []), 'f.st: header is not valid JSON: '],
    ['a non-object header', () => handMade('[1]', []), 'f.st: header is not a JSON object'],
    ['an unknown dtype', () => handMade('{"w":{"dtype":"F8","shape":[1],"data_offsets":[0,1]}}', [0]), `f.st: tensor 'w': unknown dtype "F8"`],
    ['a negative dimension', () => handMade('{"w":{"dtype":"U8","shape":[-1],"data_offsets":[0,1]}}', [0]), "f.st: tensor 'w': shape must be an array of non-negative integers, got [-1]"],
    ['missing offsets', () => handMade('{"w":{"dtype":"U8","shape":[1]}}', [0]), "f.st: tensor 'w': data_offsets must be [begin, end] with non-negative integers, got undefined"],
    ['a size that does not match the shape', () => handMade('{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}', [0, 0, 0, 0]), "f.st: tensor 'w': data_offsets [0, 4] hold 4 bytes, but F32 [2] needs 8"],
    ['truncated data', () => handMade('{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}', [0, 0, 0, 0]), "f.st: tensor 'w': data_offsets [0, 8] are out of range: the file has 4 data bytes (truncated?)"],
    [
      'overlapping tensors',
      () => handMade('{"a":{"dtype":"U16","shape":[2],"data_offsets":[0,4]},"b":{"dtype":"U16","shape":[2],"data_offsets":[2,6]}}', [0, 0, 0, 0, 0, 0]),
      "f.st: tensor 'b': data_offsets [2, 6] overlap tensor 'a' (which ends at 4)",
    ],
    ['a hole', () => handMade('{"a":{"dtype":"U16","shape":[1],"data_offsets":[2,4]}}', [0, 0, 0, 0]), "f.st: tensor 'a': data_offsets [2, 4] leave a hole of 2 bytes at the start of the data"],
    ['trailing bytes', () => handMade('{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}}', [0, 0]), 'f.st: 1 bytes after the last tensor are not part of any tensor'],
    ['non-string metadata', () => handMade('{"__metadata__":{"n":1}}', []), 'f.st: __metadata__.n must be a string, got 1'],
    ['invalid UTF-8', () => handMade('{"\u00e9":1}', []).map((b, i) => (i === 10 ? 0xff : b)), 'f.st: header is not valid UTF-8'],
  ];
  for (const [what, make, msg] of bad) {
    it(`rejects ${what}, naming the file and tensor`, () => {
      expect(errorOf(() => parseSafetensors(make(), 'f.st'))).toContain(msg);
    });
  }

  it('names a missing file', () => {
    expect(errorOf(() => readSafetensors(path.join(tmp, 'nope.safetensors')))).toBe(`${path.join(tmp, 'nope.safetensors')}: no such file`);
  });
});

describe('safetensors writer', () => {
  it('writes the reference layout: LE length, JSON header padded with spaces to 8 bytes, aligned data', () => {
    const bytes = serializeSafetensors({ a: tensorFromValues('F32', [2], [1, -2]) });
    const n = Number(Buffer.from(bytes).readBigUInt64LE(0));
    const header = Buffer.from(bytes.subarray(8, 8 + n)).toString('utf8');
    const json = '{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}';
    expect(json.length).toBe(54);
    expect(header).toBe(json + '  ');
    expect(n % 8).toBe(0);
    expect([...bytes.subarray(8 + n)]).toEqual([0, 0, 0x80, 0x3f, 0, 0, 0, 0xc0]);
  });

  it('round-trips every dtype with metadata, ordering tensors by alignment then name', () => {
    const tensors: Record<string, Tensor> = {
      u8: tensorFromValues('U8', [3], [0, 7, 255]),
      i8: tensorFromValues('I8', [2], [-128, 127]),
      bool: tensorFromValues('BOOL', [2], [1, 0]),
      u16: tensorFromValues('U16', [2, 2], [0, 1, 0x8000, 0xffff]),
      i16: tensorFromValues('I16', [1], [-1]),
      f16: tensorFromBits16('F16', [4], [0x3c00, 0x0001, 0xfc00, 0x7bff]),
      bf16: tensorFromBits16('BF16', [3], [0x3f80, 0xc018, 0x0001]),
      i32: tensorFromValues('I32', [2], [-(2 ** 31), 2 ** 31 - 1]),
      u32: tensorFromValues('U32', [1], [2 ** 32 - 1]),
      f32: tensorFromValues('F32', [2, 1], [0.1, -3e38]),
      f64: tensorFromValues('F64', [1], [Math.PI]),
      i64: tensorFromValues('I64', [1], [-(2 ** 53) + 1]),
      u64: tensorFromValues('U64', [1], [2 ** 53 - 1]),
      empty: tensorFromValues('F32', [0], []),
    };
    const file = path.join(tmp, 'all.safetensors');
    writeSafetensors(file, tensors, { source: 'test', 'puzzlemoe.tau': '0.4' });
    const st = readSafetensors(file);
    expect(st.metadata).toEqual({ source: 'test', 'puzzlemoe.tau': '0.4' });
    expect([...st.tensors.keys()]).toEqual(['f64', 'i64', 'u64', 'empty', 'f32', 'i32', 'u32', 'bf16', 'f16', 'i16', 'u16', 'bool', 'i8', 'u8']);
    for (const [name, t] of Object.entries(tensors)) {
      const r = st.tensors.get(name)!;
      expect(r.dtype, name).toBe(t.dtype);
      expect(r.shape, name).toEqual(t.shape);
      expect([...r.data], name).toEqual([...t.data]);
    }
    expect([...tensorValues(st.tensors.get('f16')!)]).toEqual([1, 2 ** -24, -Infinity, 65504]);
    expect([...tensorValues(st.tensors.get('bf16')!)]).toEqual([1, -2.375, 2 ** -133]);
    expect([...tensorValues(st.tensors.get('f32')!)]).toEqual([Math.fround(0.1), Math.fround(-3e38)]);
    expect([...tensorValues(st.tensors.get('i32')!)]).toEqual([-(2 ** 31), 2 ** 31 - 1]);
    expect([...tensorValues(st.tensors.get('i64')!)]).toEqual([-(2 ** 53) + 1]);
    expect([...tensorValues(st.tensors.get('f64')!)]).toEqual([Math.PI]);
    // the data of every tensor starts at a multiple of its element size (from the file start)
    const n = Number(readFileSync(file).readBigUInt64LE(0));
    const header = JSON.parse(readFileSync(file).subarray(8, 8 + n).toString('utf8'));
    for (const [name, info] of Object.entries(header)) {
      if (name === '__metadata__') continue;
      const t = tensors[name];
      const size = t.data.length / Math.max(1, t.shape.reduce((a, b) => a * b, 1));
      expect((8 + n + (info as { data_offsets: number[] }).data_offsets[0]) % (size || 1), name).toBe(0);
    }
  });

  it('decodes 16-bit float encodings exactly', () => {
    expect(f16Value(0x7e00)).toBeNaN();
    expect(f16Value(0x8000)).toBe(-0);
    expect(f16Value(0x3555)).toBe(1365 * 2 ** -12);
    expect(bf16Value(0x7fc0)).toBeNaN();
    expect(bf16Value(0xff80)).toBe(-Infinity);
    expect(bf16Value(0x3c50)).toBe(0.0126953125);
  });

  it('rejects bad tensors and unsafe 64-bit values', () => {
    expect(errorOf(() => serializeSafetensors({ a: { dtype: 'F32', shape: [2], data: new Uint8Array(4) } }))).toBe("tensor 'a': 4 data bytes, but F32 [2] needs 8");
    expect(errorOf(() => serializeSafetensors({ __metadata__: tensorFromValues('U8', [0], []) }))).toBe("'__metadata__' cannot be a tensor name");
    expect(errorOf(() => tensorFromValues('U8', [1], [256]))).toBe('tensorFromValues: 256 does not fit U8');
    const big: Tensor = { dtype: 'U64', shape: [1], data: new Uint8Array(8).fill(0xff) };
    expect(errorOf(() => tensorValues(big, 'x'))).toBe('x[0]: 18446744073709551615 is not a safe integer');
  });

  it('writes atomically: a failed write leaves no file and no temporary', () => {
    const dir = mkdtempSync(path.join(tmp, 'atomic-'));
    const file = path.join(dir, 'out.safetensors');
    writeSafetensors(file, { a: tensorFromValues('U8', [1], [1]) });
    writeSafetensors(file, { b: tensorFromValues('U8', [1], [2]) }); // replaces
    expect([...readSafetensors(file).tensors.keys()]).toEqual(['b']);
    expect(readdirSync(dir)).toEqual(['out.safetensors']);
    const missing = path.join(dir, 'no-such-dir', 'x.safetensors');
    expect(errorOf(() => writeSafetensors(missing, { a: tensorFromValues('U8', [1], [1]) }))).toMatch(/^.*x\.safetensors: cannot write: ENOENT/);
    expect(existsSync(missing)).toBe(false);
    expect(readdirSync(dir)).toEqual(['out.safetensors']);
  });
});
