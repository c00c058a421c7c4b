import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors.ts';

/**
 * A small reader/writer for the safetensors format (https://github.com/huggingface/safetensors):
 *
 *   [8 bytes: N, little-endian u64] [N bytes: UTF-8 JSON header] [data bytes]
 *
 * The header maps tensor names to `{ "dtype", "shape", "data_offsets": [begin, end] }` (offsets
 * relative to the start of the data bytes) and may hold `"__metadata__": { string: string }`.
 * Tensor data is little-endian, row-major. The reader validates like the reference implementation:
 * known dtype, non-negative integer shape, `end - begin == product(shape) * dtype size`, tensors
 * contiguous without overlaps or holes, covering the data exactly; every problem is a UserError
 * naming the file (and the tensor). The writer pads the header with spaces to a multiple of 8 and
 * orders tensors by dtype size (largest first) then name, so every tensor is naturally aligned.
 */

export type Dtype = 'F64' | 'F32' | 'F16' | 'BF16' | 'I64' | 'I32' | 'I16' | 'I8' | 'U64' | 'U32' | 'U16' | 'U8' | 'BOOL';

export const DTYPE_BYTES: Readonly<Record<Dtype, number>> = { F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4, I16: 2, I8: 1, U64: 8, U32: 4, U16: 2, U8: 1, BOOL: 1 };

export interface Tensor {
  readonly dtype: Dtype;
  readonly shape: readonly number[];
  /** Raw little-endian bytes, product(shape) * DTYPE_BYTES[dtype] long. */
  readonly data: Uint8Array;
}

export interface Safetensors {
  /** Tensors in file order. */
  readonly tensors: Map<string, Tensor>;
  readonly metadata: Record<string, string>;
}

/** The largest header accepted (the reference implementation's limit). */
export const MAX_HEADER_BYTES = 100_000_000;

const isDtype = (d: unknown): d is Dtype => typeof d === 'string' && Object.hasOwn(DTYPE_BYTES, d);

export function elementCount(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

// ---- reading ------------------------------------------------------------------------------------

/** Reads and validates a safetensors file. */
export function readSafetensors(file: string): Safetensors {
  let buf: Buffer;
  try {
    buf = readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserError(code === 'ENOENT' ? `${file}: no such file` : `${file}: cannot read: ${(e as Error).message}`);
  }
  return parseSafetensors(buf, file);
}

/** Parses safetensors bytes; `file` names the source in error messages. Tensor data are copies. */
export function parseSafetensors(bytes: Uint8Array, file: string): Safetensors {
  const fail = (msg: string): never => {
    throw new UserError(`${file}: ${msg}`);
  };
  if (bytes.length < 8) fail(`truncated: ${bytes.length} bytes, but a safetensors file starts with an 8-byte header length`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n64 = dv.getBigUint64(0, true);
  if (n64 > BigInt(MAX_HEADER_BYTES)) fail(`header length ${n64} exceeds the ${MAX_HEADER_BYTES}-byte limit (not a safetensors file?)`);
  const n = Number(n64);
  if (8 + n > bytes.length) fail(`truncated: the header is ${n} bytes but only ${bytes.length - 8} follow the length field`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n));
  } catch {
    return fail('header is not valid UTF-8');
  }
  if (!text.startsWith('{')) fail('header is not a JSON object');
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (e) {
    return fail(`header is not valid JSON: ${(e as Error).message}`);
  }
  if (!header || typeof header !== 'object' || Array.isArray(header)) return fail('header is not a JSON object');
  const dataStart = 8 + n;
  const dataLen = bytes.length - dataStart;
  const metadata: Record<string, string> = {};
  const entries: { name: string; dtype: Dtype; shape: number[]; begin: number; end: number }[] = [];
  for (const [name, info] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (!info || typeof info !== 'object' || Array.isArray(info)) fail('__metadata__ must be an object of strings');
      for (const [k, v] of Object.entries(info as Record<string, unknown>)) {
        if (typeof v !== 'string') fail(`__metadata__.${k} must be a string, got ${JSON.stringify(v)}`);
        metadata[k] = v as string;
      }
      continue;
    }
    const where = `tensor '${name}'`;
    if (!info || typeof info !== 'object' || Array.isArray(info)) fail(`${where}: entry must be an object with dtype, shape and data_offsets`);
    const { dtype, shape, data_offsets: offsets } = info as Record<string, unknown>;
    if (!isDtype(dtype)) fail(`${where}: unknown dtype ${JSON.stringify(dtype)} (known: ${Object.keys(DTYPE_BYTES).join(', ')})`);
    if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) fail(`${where}: shape must be an array of non-negative integers, got ${JSON.stringify(shape)}`);
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && o >= 0)) {
      fail(`${where}: data_offsets must be [begin, end] with non-negative integers, got ${JSON.stringify(offsets)}`);
    }
    const [begin, end] = offsets as number[];
    const dt = dtype as Dtype;
    const sh = shape as number[];
    if (end < begin) fail(`${where}: data_offsets [${begin}, ${end}] end before they begin`);
    const want = elementCount(sh) * DTYPE_BYTES[dt];
    if (!Number.isSafeInteger(want)) fail(`${where}: shape ${JSON.stringify(sh)} is too large`);
    if (end - begin !== want) fail(`${where}: data_offsets [${begin}, ${end}] hold ${end - begin} bytes, but ${dt} ${JSON.stringify(sh)} needs ${want}`);
    if (end > dataLen) fail(`${where}: data_offsets [${begin}, ${end}] are out of range: the file has ${dataLen} data bytes (truncated?)`);
    entries.push({ name, dtype: dt, shape: sh, begin, end });
  }
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let pos = 0;
  let prev: string | null = null;
  for (const e of sorted) {
    if (e.begin < pos) fail(`tensor '${e.name}': data_offsets [${e.begin}, ${e.end}] overlap tensor '${prev}' (which ends at ${pos})`);
    if (e.begin > pos) fail(`tensor '${e.name}': data_offsets [${e.begin}, ${e.end}] leave a hole of ${e.begin - pos} bytes ${prev ? `after tensor '${prev}'` : 'at the start of the data'}`);
    pos = e.end;
    prev = e.name;
  }
  if (pos !== dataLen) fail(`${dataLen - pos} bytes after the last tensor are not part of any tensor`);
  const tensors = new Map<string, Tensor>();
  for (const e of entries) tensors.set(e.name, { dtype: e.dtype, shape: e.shape, data: bytes.slice(dataStart + e.begin, dataStart + e.end) });
  return { tensors, metadata };
}

// ---- writing ------------------------------------------------------------------------------------

/** Serializes tensors (and string metadata) to safetensors bytes. */
export function serializeSafetensors(tensors: ReadonlyMap<string, Tensor> | Readonly<Record<string, Tensor>>, metadata: Readonly<Record<string, string>> = {}): Uint8Array {
  const list = (tensors instanceof Map ? [...tensors.entries()] : Object.entries(tensors)) as [string, Tensor][];
  for (const [name, t] of list) {
    if (name === '__metadata__') throw new UserError(`'__metadata__' cannot be a tensor name`);
    checkTensor(name, t);
  }
  list.sort(([na, a], [nb, b]) => DTYPE_BYTES[b.dtype] - DTYPE_BYTES[a.dtype] || (na < nb ? -1 : na > nb ? 1 : 0));
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length) {
    for (const [k, v] of Object.entries(metadata)) if (typeof v !== 'string') throw new UserError(`metadata '${k}' must be a string`);
    header.__metadata__ = metadata;
  }
  let off = 0;
  for (const [name, t] of list) {
    header[name] = { dtype: t.dtype, shape: [...t.shape], data_offsets: [off, off + t.data.length] };
    off += t.data.length;
  }
  let json = Buffer.from(JSON.stringify(header), 'utf8');
  const pad = (8 - (json.length % 8)) % 8;
  if (pad) json = Buffer.concat([json, Buffer.alloc(pad, 0x20)]);
  const out = new Uint8Array(8 + json.length + off);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  let p = 8 + json.length;
  for (const [, t] of list) {
    out.set(t.data, p);
    p += t.data.length;
  }
  return out;
}

function checkTensor(name: string, t: Tensor): void {
  if (!isDtype(t.dtype)) throw new UserError(`tensor '${name}': unknown dtype ${JSON.stringify(t.dtype)}`);
  if (!t.shape.every((d) => Number.isSafeInteger(d) && d >= 0)) throw new UserError(`tensor '${name}': bad shape ${JSON.stringify(t.shape)}`);
  const want = elementCount(t.shape) * DTYPE_BYTES[t.dtype];
  if (t.data.length !== want) throw new UserError(`tensor '${name}': ${t.data.length} data bytes, but ${t.dtype} ${JSON.stringify(t.shape)} needs ${want}`);
}

/**
 * Writes a file atomically: the bytes go to a temporary file in the same directory, which is then
 * renamed over `file`; on any failure the temporary file is removed and `file` is untouched.
 */
export function writeFileAtomic(file: string, bytes: Uint8Array | string): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    writeFileSync(tmp, bytes);
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new UserError(`${file}: cannot write: ${(e as Error).message}`);
  }
}

/** Serializes and writes atomically. */
export function writeSafetensors(file: string, tensors: ReadonlyMap<string, Tensor> | Readonly<Record<string, Tensor>>, metadata: Readonly<Record<string, string>> = {}): void {
  writeFileAtomic(file, serializeSafetensors(tensors, metadata));
}

// ---- values -------------------------------------------------------------------------------------

const FLOAT_DTYPES: readonly Dtype[] = ['F64', 'F32', 'F16', 'BF16'];

export function isFloatDtype(d: Dtype): boolean {
  return FLOAT_DTYPES.includes(d);
}

/** Exact value of an IEEE binary16 encoding. */
export function f16Value(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return sign * f * 2 ** -24;
  if (e === 31) return f ? NaN : sign * Infinity;
  return sign * (1024 + f) * 2 ** (e - 25);
}

const scratch = new DataView(new ArrayBuffer(4));
/** Exact value of a bfloat16 encoding. */
export function bf16Value(h: number): number {
  scratch.setUint32(0, (h & 0xffff) * 65536);
  return scratch.getFloat32(0);
}

/**
 * The tensor's values as numbers: exact for every float dtype and for integers up to 32 bits;
 * 64-bit integers must be safe integers. F32/F16/BF16 give a Float32Array (all values are exactly
 * fp32), the others a Float64Array.
 */
export function tensorValues(t: Tensor, name = 'tensor'): Float32Array | Float64Array {
  const n = elementCount(t.shape);
  const dv = new DataView(t.data.buffer, t.data.byteOffset, t.data.byteLength);
  const b = DTYPE_BYTES[t.dtype];
  const f32 = t.dtype === 'F32' || t.dtype === 'F16' || t.dtype === 'BF16';
  const out = f32 ? new Float32Array(n) : new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const o = i * b;
    switch (t.dtype) {
      case 'F64':
        out[i] = dv.getFloat64(o, true);
        break;
      case 'F32':
        out[i] = dv.getFloat32(o, true);
        break;
      case 'F16':
        out[i] = f16Value(dv.getUint16(o, true));
        break;
      case 'BF16':
        out[i] = bf16Value(dv.getUint16(o, true));
        break;
      case 'I64':
      case 'U64': {
        const v = t.dtype === 'I64' ? dv.getBigInt64(o, true) : dv.getBigUint64(o, true);
        if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) throw new UserError(`${name}[${i}]: ${v} is not a safe integer`);
        out[i] = Number(v);
        break;
      }
      case 'I32':
        out[i] = dv.getInt32(o, true);
        break;
      case 'U32':
        out[i] = dv.getUint32(o, true);
        break;
      case 'I16':
        out[i] = dv.getInt16(o, true);
        break;
      case 'U16':
        out[i] = dv.getUint16(o, true);
        break;
      case 'I8':
        out[i] = dv.getInt8(o);
        break;
      case 'U8':
      case 'BOOL':
        out[i] = dv.getUint8(o);
        break;
    }
  }
  return out;
}

/** The raw 16-bit encodings of a 2-byte dtype (F16, BF16, I16, U16). */
export function tensorBits16(t: Tensor, name = 'tensor'): Uint16Array {
  if (DTYPE_BYTES[t.dtype] !== 2) throw new UserError(`${name}: expected a 16-bit dtype, got ${t.dtype}`);
  const n = elementCount(t.shape);
  const dv = new DataView(t.data.buffer, t.data.byteOffset, t.data.byteLength);
  const out = new Uint16Array(n);
  for (let i = 0; i < n; i++) out[i] = dv.getUint16(2 * i, true);
  return out;
}

/** A tensor of 16-bit encodings (F16, BF16, U16, I16 bit patterns). */
export function tensorFromBits16(dtype: 'F16' | 'BF16' | 'U16' | 'I16', shape: readonly number[], bits: ArrayLike<number>): Tensor {
  const n = elementCount(shape);
  if (bits.length !== n) throw new UserError(`tensorFromBits16: ${bits.length} values for shape ${JSON.stringify(shape)}`);
  const data = new Uint8Array(2 * n);
  const dv = new DataView(data.buffer);
  for (let i = 0; i < n; i++) dv.setUint16(2 * i, bits[i] & 0xffff, true);
  return { dtype, shape: [...shape], data };
}

/**
 * A tensor from numbers for F64, F32 (rounded to nearest by the platform) and integer dtypes
 * (values must be integers in range). For F16/BF16 use tensorFromBits16 with the encodings.
 */
export function tensorFromValues(dtype: Exclude<Dtype, 'F16' | 'BF16'>, shape: readonly number[], values: ArrayLike<number>): Tensor {
  const n = elementCount(shape);
  if (values.length !== n) throw new UserError(`tensorFromValues: ${values.length} values for shape ${JSON.stringify(shape)}`);
  const b = DTYPE_BYTES[dtype];
  const data = new Uint8Array(b * n);
  const dv = new DataView(data.buffer);
  const int = (v: number, lo: number, hi: number) => {
    if (!Number.isInteger(v) || v < lo || v > hi) throw new UserError(`tensorFromValues: ${v} does not fit ${dtype}`);
    return v;
  };
  for (let i = 0; i < n; i++) {
    const v = values[i];
    const o = i * b;
    switch (dtype) {
      case 'F64':
        dv.setFloat64(o, v, true);
        break;
      case 'F32':
        dv.setFloat32(o, v, true);
        break;
      case 'I64':
        dv.setBigInt64(o, BigInt(int(v, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER)), true);
        break;
      case 'U64':
        dv.setBigUint64(o, BigInt(int(v, 0, Number.MAX_SAFE_INTEGER)), true);
        break;
      case 'I32':
        dv.setInt32(o, int(v, -(2 ** 31), 2 ** 31 - 1), true);
        break;
      case 'U32':
        dv.setUint32(o, int(v, 0, 2 ** 32 - 1), true);
        break;
      case 'I16':
        dv.setInt16(o, int(v, -32768, 32767), true);
        break;
      case 'U16':
        dv.setUint16(o, int(v, 0, 65535), true);
        break;
      case 'I8':
        dv.setInt8(o, int(v, -128, 127));
        break;
      case 'U8':
        dv.setUint8(o, int(v, 0, 255));
        break;
      case 'BOOL':
        dv.setUint8(o, int(v, 0, 1));
        break;
    }
  }
  return { dtype, shape: [...shape], data };
}
