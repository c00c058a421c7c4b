import { gzipSync } from 'node:zlib';
import { generators } from '../../hdl-gen/designs/registry.ts';
import { serializeSafetensors, tensorFromBits16, tensorFromValues, type Tensor } from '../../hdl-gen/tensors/safetensors.ts';
import { RTL_FP_OP_NAMES } from '../fp/rtl-ops.ts';
import { MUTATION_HOOKS } from '../mutate/hooks.ts';

/**
 * The bad-input corpus run through the real CLI (`node bin/hdlgen.js ...`, one process per case,
 * in a fresh directory holding the case's files): configurations, vector files, tensors, CLI
 * arguments and tool failures. Each case gives the exact stderr (one `hdlgen: error: ...` message,
 * or commander's usage error), the exit code, and the run must change no file of the directory
 * (earlier outputs such as `out/` and `packed.safetensors` intact, nothing half-written).
 *
 * The eDSL half of the corpus (every check pass, misuse of every API; exact messages with source
 * locations) lives in test/bad-designs/ and is run in-process by test/bad-designs/corpus.test.ts;
 * verif/bad/edsl-corpus.ts lists it for the reliability report.
 */

export type BadCaseCategory = 'config' | 'vectors' | 'tensors' | 'cli' | 'tools';

export interface BadCase {
  readonly name: string;
  readonly category: BadCaseCategory;
  /** Files created in the case's directory before the run (paths relative to it). */
  readonly files: Readonly<Record<string, string | Uint8Array>>;
  /** `hdlgen` arguments. */
  readonly argv: readonly string[];
  /** Extra environment variables; `{dir}` in a value stands for the case's directory. */
  readonly env?: Readonly<Record<string, string>>;
  /** Files the failing run is meant to write (e.g. a report explaining the failure); nothing else may change. */
  readonly writes?: readonly string[];
  /** The exact stderr. */
  readonly expected: string;
  /** Default 1. */
  readonly exitCode?: number;
  /** A commander usage error: `expected` is its first line, commander's help text follows. */
  readonly usage?: boolean;
}

// ---- helpers ---------------------------------------------------------------------------------

/** This Node's own JSON.parse message (its wording differs between Node versions). */
function jsonError(text: string): string {
  try {
    JSON.parse(text);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error(`valid JSON: ${text}`);
}

/** An earlier generation's output that a failed `gen` must leave alone. */
const PREVIOUS_OUT = { 'out/manifest.json': '{"previous":"generation"}\n', 'out/counter/Counter_width8.sv': '// previous output\n' };
const PREVIOUS_PACKED = { 'packed.safetensors': 'previous packed output\n' };

const json = (v: unknown) => JSON.stringify(v, null, 2) + '\n';
const config = (designs: unknown) => json({ designs });
const gen = (file: string, extra: string[] = []) => ['gen', '--config', file, '--out', 'out', '--quiet', ...extra];

/** F32 matrices experts.{e}.w1.weight with the given rows. */
function experts(values: readonly (readonly number[])[], shape: [number, number] = [1, 2]): Uint8Array {
  const t: Record<string, Tensor> = {};
  values.forEach((v, e) => (t[`experts.${e}.w1.weight`] = tensorFromValues('F32', shape, v)));
  return serializeSafetensors(t);
}
function norms(count: number, values: readonly number[] = [1, 1]): Uint8Array {
  const t: Record<string, Tensor> = {};
  for (let e = 0; e < count; e++) t[`experts.${e}.w1.input_norm`] = tensorFromValues('F32', [values.length], values);
  return serializeSafetensors(t);
}
const pack = ['puzzlemoe', 'pack', '--in', 'experts.safetensors', '--calib', 'norms.safetensors', '--pairs', 'sequential', '--out', 'packed.safetensors', '--quiet'];

/** A valid safetensors file, then damaged. */
const goodTensors = serializeSafetensors({ w: tensorFromBits16('F16', [2, 2], [0x3c00, 0x4000, 0xbc00, 0x0001]) });
function withHeader(header: string, data = new Uint8Array(0)): Uint8Array {
  const h = new TextEncoder().encode(header);
  const out = new Uint8Array(8 + h.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(h.length), true);
  out.set(h, 8);
  out.set(data, 8 + h.length);
  return out;
}
const speqPack = (file: string) => ['speq', 'pack', '--in', file, '--out', 'packed.safetensors', '--quiet'];

const OK_VECTORS = '3c00 3c00 3c00 00\n';
const checkVectors = (file: string, op = 'f16_mul', extra: string[] = []) => ['check-vectors', '--op', op, '--file', file, ...extra];

// ---- the cases ---------------------------------------------------------------------------------

export const BAD_CASES: readonly BadCase[] = [
  // configurations (hdlgen gen --config FILE): nothing of out/ may change
  { name: 'config: unknown top-level key', category: 'config', files: { ...PREVIOUS_OUT, 'c.json': json({ designs: [{ name: 'c', generator: 'counter', params: { width: 8 } }], desings: [] }) }, argv: gen('c.json'), expected: "hdlgen: error: c.json: (top level): unknown key 'desings'\n" },
  { name: 'config: unknown key in a design', category: 'config', files: { ...PREVIOUS_OUT, 'c.json': config([{ name: 'c', generator: 'counter', prams: { width: 8 } }]) }, argv: gen('c.json'), expected: "hdlgen: error: c.json: designs[0]: unknown key 'prams'\n" },
  { name: 'config: unknown parameter', category: 'config', files: { ...PREVIOUS_OUT, 'c.json': config([{ name: 'c', generator: 'counter', params: { width: 8, depth: 4 } }]) }, argv: gen('c.json'), expected: "hdlgen: error: c.json: designs[0].params: unknown key 'depth'\n" },
  { name: 'config: parameter of the wrong type', category: 'config', files: { ...PREVIOUS_OUT, 'c.json': config([{ name: 'c', generator: 'counter', params: { width: '8' } }]) }, argv: gen('c.json'), expected: 'hdlgen: error: c.json: designs[0].params.width: Expected number, received string\n' },
  { name: 'config: 0 lanes', category: 'config', files: { ...PREVIOUS_OUT, 'c.json': config([{ name: 'd', generator: 'puzzlemoe-decode', params: { lanes: 0 } }]) }, argv: gen('c.json'), expected: 'hdlgen: error: c.json: designs[0].params.lanes: Number must be greater than or equal to 1\n' },
  { name: 'config: 1000-bit float format', category: 'config', files: { ...PREVIOUS_OUT, 'c.json': config([{ name: 'f', generator: 'fp-add', params: { format: 'f1000' } }]) }, argv: gen('c.json'), expected: "hdlgen: error: c.json: designs[0].params.format: Invalid enum value. Expected 'f16' | 'bf16' | 'f32', received 'f1000'\n" },
  { name: 'config: 1000-bit counter (impossible size)', category: 'config', files: { ...PREVIOUS_OUT, 'c.json': config([{ name: 'c', generator: 'counter', params: { width: 1000 } }]) }, argv: gen('c.json'), expected: 'hdlgen: error: c.json: designs[0].params.width: Number must be less than or equal to 64\n' },
  { name: 'config: fractional width', category: 'config', files: { ...PREVIOUS_OUT, 'c.json': config([{ name: 'c', generator: 'counter', params: { width: 7.5 } }]) }, argv: gen('c.json'), expected: 'hdlgen: error: c.json: designs[0].params.width: Expected integer, received float\n' },
  { name: 'config: FIFO depth not a power of two', category: 'config', files: { ...PREVIOUS_OUT, 'c.json': config([{ name: 'q', generator: 'fifo', params: { width: 8, depth: 6 } }]) }, argv: gen('c.json'), expected: 'hdlgen: error: c.json: designs[0].params.depth: must be a power of two\n' },
  { name: 'config: missing required parameter', category: 'config', files: { ...PREVIOUS_OUT, 'c.json': config([{ name: 'q', generator: 'fifo', params: { width: 8 } }]) }, argv: gen('c.json'), expected: 'hdlgen: error: c.json: designs[0].params.depth: Required\n' },
  { name: 'config: too many pipeline stages', category: 'config', files: { ...PREVIOUS_OUT, 'c.json': config([{ name: 'm', generator: 'fp-mul', params: { format: 'f16', stages: 9 } }]) }, argv: gen('c.json'), expected: 'hdlgen: error: c.json: designs[0].params.stages: Number must be less than or equal to 3\n' },
  { name: 'config: unsupported conversion', category: 'config', files: { ...PREVIOUS_OUT, 'c.json': config([{ name: 'cv', generator: 'fp-convert', params: { from: 'f16', to: 'bf16' } }]) }, argv: gen('c.json'), expected: 'hdlgen: error: c.json: designs[0].params: supported conversions: f16 -> f32, bf16 -> f32, f32 -> f16, f32 -> bf16\n' },
  { name: 'config: exponent offset out of range', category: 'config', files: { ...PREVIOUS_OUT, 'c.json': config([{ name: 'd', generator: 'puzzlemoe-decode', params: { lanes: 2, exponentOffset: 300 } }]) }, argv: gen('c.json'), expected: 'hdlgen: error: c.json: designs[0].params.exponentOffset: Number must be less than or equal to 223\n' },
  { name: 'config: unknown generator', category: 'config', files: { ...PREVIOUS_OUT, 'c.json': config([{ name: 'x', generator: 'fp-div', params: {} }]) }, argv: gen('c.json'), expected: `hdlgen: error: c.json: designs[0].generator: unknown generator 'fp-div'; known generators: ${generators.map((g) => g.name).join(', ')}\n` },
  { name: 'config: duplicate design names', category: 'config', files: { ...PREVIOUS_OUT, 'c.json': config([{ name: 'c', generator: 'counter', params: { width: 8 } }, { name: 'c', generator: 'counter', params: { width: 4 } }]) }, argv: gen('c.json'), expected: "hdlgen: error: c.json: designs[1].name: 'c' is used by an earlier design; names must be unique\n" },
  { name: 'config: design name with a space', category: 'config', files: { ...PREVIOUS_OUT, 'c.json': config([{ name: 'my counter', generator: 'counter', params: { width: 8 } }]) }, argv: gen('c.json'), expected: 'hdlgen: error: c.json: designs[0].name: must start with a letter and use letters, digits, - and _\n' },
  { name: 'config: no designs', category: 'config', files: { ...PREVIOUS_OUT, 'c.json': config([]) }, argv: gen('c.json'), expected: 'hdlgen: error: c.json: designs: list at least one design\n' },
  { name: 'config: not an object', category: 'config', files: { ...PREVIOUS_OUT, 'c.json': '[]\n' }, argv: gen('c.json'), expected: 'hdlgen: error: c.json: (top level): Expected object, received array\n' },
  { name: 'config: invalid JSON', category: 'config', files: { ...PREVIOUS_OUT, 'c.json': '{ "designs": [ ], }\n' }, argv: gen('c.json'), expected: `hdlgen: error: c.json: not valid JSON: ${jsonError('{ "designs": [ ], }\n')}\n` },
  { name: 'config: file does not exist', category: 'config', files: PREVIOUS_OUT, argv: gen('missing.json'), expected: "hdlgen: error: config file 'missing.json' does not exist\n" },
  { name: 'config: TypeScript config without a default export', category: 'config', files: { ...PREVIOUS_OUT, 'c.ts': 'export const designs = [];\n' }, argv: gen('c.ts'), expected: 'hdlgen: error: c.ts: a TypeScript config must have a default export\n' },
  { name: 'config: --only names no design', category: 'config', files: { ...PREVIOUS_OUT, 'c.json': config([{ name: 'c', generator: 'counter', params: { width: 8 } }]) }, argv: gen('c.json', ['--only', 'fifo']), expected: "hdlgen: error: --only: no design named 'fifo' in the config; designs: c\n" },

  // vector files (hdlgen check-vectors)
  { name: 'vectors: file does not exist', category: 'vectors', files: {}, argv: checkVectors('none.txt'), expected: 'hdlgen: error: none.txt: cannot open vector file (ENOENT)\n' },
  { name: 'vectors: too few fields', category: 'vectors', files: { 'v.txt': OK_VECTORS + '3c00 3c00 00\n' }, argv: checkVectors('v.txt'), expected: 'hdlgen: error: v.txt:2: expected 4 fields (2 operands, result, flags) for f16_mul, got 3\n' },
  { name: 'vectors: too many fields', category: 'vectors', files: { 'v.txt': '3c00 3c00 3c00 3c00 00\n' }, argv: checkVectors('v.txt'), expected: 'hdlgen: error: v.txt:1: expected 4 fields (2 operands, result, flags) for f16_mul, got 5\n' },
  { name: 'vectors: non-hex operand', category: 'vectors', files: { 'v.txt': '# header\n3c00 3g00 3c00 00\n' }, argv: checkVectors('v.txt'), expected: "hdlgen: error: v.txt:2: operand 2 '3g00' is not hexadecimal\n" },
  { name: 'vectors: operand too wide', category: 'vectors', files: { 'v.txt': '13c00 3c00 3c00 00\n' }, argv: checkVectors('v.txt'), expected: 'hdlgen: error: v.txt:1: operand 1 0x13c00 does not fit in 16 bits\n' },
  { name: 'vectors: field count of a one-operand operation', category: 'vectors', files: { 'v.txt': '3c00 3c00 3c00 00\n' }, argv: checkVectors('v.txt', 'f32_to_f16'), expected: 'hdlgen: error: v.txt:1: expected 3 fields (1 operand, result, flags) for f32_to_f16, got 4\n' },
  { name: 'vectors: result too wide', category: 'vectors', files: { 'v.txt': '3c00 3c00 13c00 00\n' }, argv: checkVectors('v.txt'), expected: 'hdlgen: error: v.txt:1: result 0x13c00 does not fit in 16 bits\n' },
  { name: 'vectors: non-hex flags', category: 'vectors', files: { 'v.txt': '3c00 3c00 3c00 zz\n' }, argv: checkVectors('v.txt'), expected: "hdlgen: error: v.txt:1: flags 'zz' is not hexadecimal\n" },
  { name: 'vectors: flags outside the 5 flag bits', category: 'vectors', files: { 'v.txt': '3c00 3c00 3c00 40\n' }, argv: checkVectors('v.txt'), expected: 'hdlgen: error: v.txt:1: flags 0x40 does not fit in 5 bits\n' },
  { name: 'vectors: 0x prefix is not a hex field', category: 'vectors', files: { 'v.txt': '0x3c00 3c00 3c00 00\n' }, argv: checkVectors('v.txt'), expected: "hdlgen: error: v.txt:1: operand 1 '0x3c00' is not hexadecimal\n" },
  { name: 'vectors: empty file', category: 'vectors', files: { 'v.txt': '# nothing here\n\n' }, argv: checkVectors('v.txt'), expected: 'hdlgen: error: v.txt: no test vectors in the file\n' },
  { name: 'vectors: truncated gzip', category: 'vectors', files: { 'v.txt.gz': gzipSync(OK_VECTORS.repeat(200)).subarray(0, 30) }, argv: checkVectors('v.txt.gz'), expected: 'hdlgen: error: v.txt.gz:1: cannot read vector file (gzip): unexpected end of file\n' },
  { name: 'vectors: unknown operation', category: 'vectors', files: { 'v.txt': OK_VECTORS }, argv: checkVectors('v.txt', 'f8_mul'), expected: `error: option '--op <name>' argument 'f8_mul' is invalid. Allowed choices are ${RTL_FP_OP_NAMES.join(', ')}.\n`, usage: true },
  { name: 'vectors: a wrong expected result', category: 'vectors', files: { 'v.txt': OK_VECTORS + '3c00 4000 4200 00\n' }, argv: checkVectors('v.txt'), expected: 'hdlgen: error: 1 of 2 vectors failed (golden model)\n' },

  // tensors (puzzlemoe pack, speq pack, puzzlemoe decode): packed.safetensors must stay as it was
  { name: 'tensors: NaN weight', category: 'tensors', files: { ...PREVIOUS_PACKED, 'experts.safetensors': experts([[0.5, NaN], [0.25, 0.125]]), 'norms.safetensors': norms(2) }, argv: pack, expected: "hdlgen: error: experts.safetensors: experts.0.w1.weight[0, 1]: weight is NaN\n" },
  { name: 'tensors: infinite weight', category: 'tensors', files: { ...PREVIOUS_PACKED, 'experts.safetensors': experts([[0.5, 0.25], [-Infinity, 0.125]]), 'norms.safetensors': norms(2) }, argv: pack, expected: "hdlgen: error: experts.safetensors: experts.1.w1.weight[0, 0]: weight is -Infinity\n" },
  { name: 'tensors: unpackable magnitude (>= 2^17)', category: 'tensors', files: { ...PREVIOUS_PACKED, 'experts.safetensors': experts([[0.5, 200000], [0.25, 0.125]]), 'norms.safetensors': norms(2) }, argv: pack, expected: "hdlgen: error: experts.safetensors: experts.0.w1.weight[0, 1]: merged magnitude 199680 (bf16 0x4843, exponent 144) is >= 2^17 and cannot be packed: with exponent offset 112 the largest exponent is 143\n" },
  { name: 'tensors: negative calibration norm', category: 'tensors', files: { ...PREVIOUS_PACKED, 'experts.safetensors': experts([[0.5, 0.25], [0.25, 0.125]]), 'norms.safetensors': norms(2, [1, -1]) }, argv: pack, expected: "hdlgen: error: norms.safetensors: experts.0.w1.input_norm[1]: a channel norm must be >= 0, got -1\n" },
  { name: 'tensors: expert shapes differ', category: 'tensors', files: { ...PREVIOUS_PACKED, 'experts.safetensors': serializeSafetensors({ 'experts.0.w1.weight': tensorFromValues('F32', [1, 2], [1, 2]), 'experts.1.w1.weight': tensorFromValues('F32', [2, 1], [1, 2]) }), 'norms.safetensors': norms(2) }, argv: pack, expected: "hdlgen: error: experts.safetensors: tensor 'experts.1.w1.weight' has shape [2, 1] but its pair partner 'experts.0.w1.weight' has [1, 2]\n" },
  { name: 'tensors: odd number of experts', category: 'tensors', files: { ...PREVIOUS_PACKED, 'experts.safetensors': experts([[1, 2], [3, 4], [5, 6]]), 'norms.safetensors': norms(3) }, argv: pack, expected: "hdlgen: error: experts.safetensors: --pairs sequential: 3 experts cannot all be paired (expert 2 is left over)\n" },
  { name: 'tensors: truncated safetensors', category: 'tensors', files: { ...PREVIOUS_PACKED, 'in.safetensors': goodTensors.subarray(0, goodTensors.length - 3) }, argv: speqPack('in.safetensors'), expected: "hdlgen: error: in.safetensors: tensor 'w': data_offsets [0, 8] are out of range: the file has 5 data bytes (truncated?)\n" },
  { name: 'tensors: shorter than the length field', category: 'tensors', files: { ...PREVIOUS_PACKED, 'in.safetensors': new Uint8Array([1, 2, 3]) }, argv: speqPack('in.safetensors'), expected: "hdlgen: error: in.safetensors: truncated: 3 bytes, but a safetensors file starts with an 8-byte header length\n" },
  { name: 'tensors: header is not JSON', category: 'tensors', files: { ...PREVIOUS_PACKED, 'in.safetensors': withHeader('{"w": [1, 2') }, argv: speqPack('in.safetensors'), expected: `hdlgen: error: in.safetensors: header is not valid JSON: ${jsonError('{"w": [1, 2')}\n` },
  { name: 'tensors: unknown dtype', category: 'tensors', files: { ...PREVIOUS_PACKED, 'in.safetensors': withHeader('{"w":{"dtype":"F8","shape":[2],"data_offsets":[0,2]}}', new Uint8Array(2)) }, argv: speqPack('in.safetensors'), expected: "hdlgen: error: in.safetensors: tensor 'w': unknown dtype \"F8\" (known: F64, F32, F16, BF16, I64, I32, I16, I8, U64, U32, U16, U8, BOOL)\n" },
  { name: 'tensors: data offsets past the end', category: 'tensors', files: { ...PREVIOUS_PACKED, 'in.safetensors': withHeader('{"w":{"dtype":"F16","shape":[4],"data_offsets":[0,8]}}', new Uint8Array(4)) }, argv: speqPack('in.safetensors'), expected: "hdlgen: error: in.safetensors: tensor 'w': data_offsets [0, 8] are out of range: the file has 4 data bytes (truncated?)\n" },
  { name: 'tensors: NaN in an F16 tensor (speq)', category: 'tensors', files: { ...PREVIOUS_PACKED, 'in.safetensors': serializeSafetensors({ w: tensorFromBits16('F16', [2], [0x3c00, 0x7e00]) }) }, argv: speqPack('in.safetensors'), expected: "hdlgen: error: in.safetensors: tensor 'w': weight at index 1 is NaN (0x7E00); SPEQ needs finite weights\n" },
  { name: 'tensors: safetensors file does not exist', category: 'tensors', files: PREVIOUS_PACKED, argv: speqPack('none.safetensors'), expected: "hdlgen: error: none.safetensors: no such file\n" },
  { name: 'tensors: packed word not hex (decode)', category: 'tensors', files: { 'w.txt': '7450\n74z0\n' }, argv: ['puzzlemoe', 'decode', '--in', 'w.txt'], expected: "hdlgen: error: w.txt:2: '74z0' is not a 16-bit hex word\n" },
  { name: 'tensors: packed word wider than 16 bits (decode)', category: 'tensors', files: { 'w.txt': '0x17450\n' }, argv: ['puzzlemoe', 'decode', '--in', 'w.txt'], expected: "hdlgen: error: w.txt:1: '0x17450' is not a 16-bit hex word\n" },
  { name: 'tensors: pairs file with a bad line', category: 'tensors', files: { ...PREVIOUS_PACKED, 'experts.safetensors': experts([[0.5, 0.25], [0.25, 0.125]]), 'norms.safetensors': norms(2), 'pairs.txt': '0 one\n' }, argv: [...pack.slice(0, 6), '--pairs', 'pairs.txt', ...pack.slice(8)], expected: "hdlgen: error: pairs.txt:1: expected two expert indices like '0 1', got '0 one'\n" },

  // CLI arguments
  { name: 'cli: unknown command', category: 'cli', files: {}, argv: ['generate'], expected: "error: unknown command 'generate'\n", usage: true },
  { name: 'cli: missing required option', category: 'cli', files: {}, argv: ['check-vectors', '--op', 'f16_mul'], expected: "error: required option '--file <file>' not specified\n", usage: true },
  { name: 'cli: --lanes not an integer', category: 'cli', files: { 'w.txt': '7450\n' }, argv: ['puzzlemoe', 'decode', '--in', 'w.txt', '--lanes', 'two'], expected: "hdlgen: error: --lanes: 'two' is not an integer\n" },
  { name: 'cli: mutate an unknown design', category: 'cli', files: {}, argv: ['mutate', '--design', 'fp-div'], expected: `hdlgen: error: mutate: no verification hook for design 'fp-div'; designs with one: ${MUTATION_HOOKS.map((h) => h.design).join(', ')}\n` },
  { name: 'cli: mutate with a bad sample size', category: 'cli', files: {}, argv: ['mutate', '--design', 'fp-mul-f16', '--sample', '0'], expected: "hdlgen: error: --sample: '0' is not an integer >= 1\n" },

  // tool failures
  {
    name: 'tools: nextpnr timing miss',
    category: 'tools',
    files: {},
    argv: ['fpga', 'ice40', '--design', 'counter', '--freq', '900', '--quiet', '--no-self-test'],
    expected: "hdlgen: error: timing not met for 'counter' on ice40-up5k-sg48: Fmax 137.02 MHz < requested 900 MHz; no bitstream written (report: build/counter/ice40-up5k-sg48/report.json); lower --freq or pass --allow-timing-fail\n",
    writes: ['netlist.json', 'netlist.v', 'nextpnr-report.json', 'nextpnr.log', 'report.json', 'yosys-stat.json', 'yosys.log'].map((f) => `build/counter/ice40-up5k-sg48/${f}`),
  },
  {
    name: 'tools: Yosys error',
    category: 'tools',
    files: { 'bin/yosys': '#!/bin/sh\nif [ "$1" = "-V" ]; then echo "Yosys 0.23 (stand-in)"; exit 0; fi\necho "ERROR: Out of memory (stand-in Yosys)" >&2\nexit 1\n' },
    argv: ['fpga', 'ice40', '--design', 'counter', '--yosys', 'system', '--quiet', '--no-self-test'],
    env: { PATH: `{dir}/bin:${process.env.PATH ?? ''}` },
    expected: "hdlgen: error: yosys failed on 'counter':\nERROR: Out of memory (stand-in Yosys)\n",
  },
  { name: 'tools: Verilator missing', category: 'tools', files: { 'v.txt': OK_VECTORS }, argv: checkVectors('v.txt', 'f16_mul', ['--rtl']), env: { VERILATOR: '/nonexistent/verilator' }, expected: "hdlgen: error: Verilator 5 is required but was not found on PATH: install it with `apt-get install verilator` (Debian/Ubuntu, needs Debian 12 / Ubuntu 23.04 or later for version 5), `brew install verilator` (macOS) or from source (https://verilator.org/guide/latest/install.html), or point the VERILATOR environment variable at a Verilator 5 executable. The VERILATOR environment variable is set to '/nonexistent/verilator', which could not be run.\n" },
  { name: 'tools: Verilator is not Verilator', category: 'tools', files: { 'v.txt': OK_VECTORS, 'fake-verilator.sh': '#!/bin/sh\necho "not a verilator"\n' }, argv: checkVectors('v.txt', 'f16_mul', ['--rtl']), env: { VERILATOR: './fake-verilator.sh' }, expected: "hdlgen: error: Verilator 5 is required but './fake-verilator.sh --version' did not print a Verilator version (got: \"not a verilator\"): install it with `apt-get install verilator` (Debian/Ubuntu, needs Debian 12 / Ubuntu 23.04 or later for version 5), `brew install verilator` (macOS) or from source (https://verilator.org/guide/latest/install.html), or point the VERILATOR environment variable at a Verilator 5 executable.\n" },
];
