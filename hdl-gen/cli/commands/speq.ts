import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { UserError } from '../../errors.ts';
import {
  type Tensor,
  readSafetensors,
  tensorBits16,
  tensorFromBits16,
  writeSafetensors,
} from '../../tensors/safetensors.ts';
import { draftValueToFp16 } from '../../units/speq/golden/draft-format.ts';
import {
  type PackedTensor,
  type SpeqFileMeta,
  type SpeqTensorMeta,
  SPEQ_LAYOUT,
  SPEQ_METADATA_KEY,
  draftFormatByName,
  packTensor,
  unpackTensor,
} from '../../units/speq/golden/pack.ts';
import { analyzeTensor, fp16ToStored } from '../../units/speq/golden/scale.ts';

/**
 * `hdlgen speq ...`: the SPEQ offline tool (see hdl-gen/units/speq/golden/README.md).
 *
 *   speq draft  --in FILE [--format table|plain] [--no-header]
 *       FILE: one FP16 weight per line as 1-4 hex digits (optional 0x; blank lines and '#' comments
 *       ignored), treated as ONE tensor (scale and draft table computed over the whole file).
 *       Output: '#' header lines (k, format, counts, table), then one line per weight, in input order:
 *         <stored> <draft>
 *       stored: the 16-bit stored word { s, e3..e0, m9..m0, r } (4 hex digits);
 *       draft:  the weight's draft value as an FP16 word (4 hex digits; scale folded in; exact).
 *   speq pack   --in IN.safetensors --out OUT.safetensors [--format table|plain] [--no-fallback] [--quiet]
 *       Every F16 tensor becomes a U16 tensor of the same name, shape [rows, 4*ceil(cols/4)], in the
 *       row-wise nibble-plane layout; other tensors are copied unchanged. Per-tensor metadata (k,
 *       fallback flag and reason, draft table, counts, original shape) is JSON under the file
 *       metadata key 'speq'. The output is written atomically, only when every tensor succeeded.
 *   speq unpack --in PACKED.safetensors --out OUT.safetensors
 *       The inverse: restores the original F16 tensors bit for bit.
 */

const hex4 = (x: number): string => x.toString(16).padStart(4, '0');

/** Parses a weights file: one FP16 hex word per line. Returns the words and their line numbers. */
export function parseHexWeights(text: string, file: string): { words: Uint16Array; lines: number[] } {
  const words: number[] = [];
  const lines: number[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const t = raw.replace(/#.*/, '').trim();
    if (!t) return;
    if (!/^(0x)?[0-9a-f]{1,4}$/i.test(t)) throw new UserError(`${file}:${i + 1}: '${t}' is not an FP16 word (1-4 hex digits, optional 0x)`);
    words.push(parseInt(t.replace(/^0x/i, ''), 16));
    lines.push(i + 1);
  });
  if (words.length === 0) throw new UserError(`${file}: no weights (one FP16 hex word per line expected)`);
  return { words: Uint16Array.from(words), lines };
}

/** `speq draft` on file contents: the printed text. */
export function speqDraftText(text: string, file: string, formatName = 'table', header = true): string {
  const format = draftFormatByName(formatName);
  const { words, lines } = parseHexWeights(text, file);
  for (let i = 0; i < words.length; i++) {
    if ((words[i] & 0x7c00) === 0x7c00) {
      const what = words[i] & 0x3ff ? 'NaN' : words[i] & 0x8000 ? '-Inf' : '+Inf';
      throw new UserError(`${file}:${lines[i]}: weight ${i} is ${what} (0x${hex4(words[i])}); SPEQ needs finite weights`);
    }
  }
  const sc = analyzeTensor(file, words);
  if (sc.fallback) {
    throw new UserError(`${file}: cannot scale: ${sc.reason} (line ${lines[sc.maxIndex]}); such a tensor is verify-only and has no draft values`);
  }
  const table = format.computeTable(words, sc.k);
  const out: string[] = [];
  if (header) {
    out.push(`# ${file}: ${words.length} weights, scale 2^-${sc.k} (k = ${sc.k}), draft format '${format.name}'`);
    const c = sc.counts;
    out.push(`# counts: ${c.zeros} zeros, ${c.outliers} outliers (|w| >= 2), ${c.rOnes} with r = 1; per code c = 0..7: [${c.codes.join(', ')}]`);
    out.push(`# table exponents (code c = 0..7, scale folded in; code 0 drafts to 0): [${table.exps.join(', ')}]`);
    out.push('# columns: stored word {s,e3..e0,m9..m0,r}, draft value as FP16 (hex)');
  }
  for (let i = 0; i < words.length; i++) {
    const stored = fp16ToStored(words[i], sc.k);
    const draft = draftValueToFp16(format.decode(format.encodeStored(stored), table));
    out.push(`${hex4(stored)} ${hex4(draft)}`);
  }
  return out.join('\n') + '\n';
}

export interface SpeqPackOptions {
  readonly in: string;
  readonly out: string;
  readonly format?: string;
  /** Fail (UserError) instead of marking tensors that need k >= 2 verify-only. */
  readonly noFallback?: boolean;
}

export interface SpeqPackReport {
  readonly packed: readonly { name: string; meta: SpeqTensorMeta }[];
  readonly passedThrough: readonly { name: string; dtype: string }[];
}

/** `speq pack`: reads, packs every F16 tensor, then writes the output atomically. */
export function speqPack(opts: SpeqPackOptions): SpeqPackReport {
  const format = draftFormatByName(opts.format ?? 'table');
  const src = readSafetensors(opts.in);
  if (Object.hasOwn(src.metadata, SPEQ_METADATA_KEY)) {
    throw new UserError(`${opts.in}: already SPEQ-packed (metadata key '${SPEQ_METADATA_KEY}' present)`);
  }
  const outTensors = new Map<string, Tensor>();
  const metas: Record<string, SpeqTensorMeta> = {};
  const packed: { name: string; meta: SpeqTensorMeta }[] = [];
  const passedThrough: { name: string; dtype: string }[] = [];
  for (const [name, t] of src.tensors) {
    if (t.dtype !== 'F16') {
      outTensors.set(name, t);
      passedThrough.push({ name, dtype: t.dtype });
      continue;
    }
    let p: PackedTensor;
    try {
      p = packTensor({ name, shape: t.shape, data: tensorBits16(t, name) }, format);
    } catch (e) {
      if (e instanceof UserError) throw new UserError(`${opts.in}: ${e.message}`);
      throw e;
    }
    if (p.meta.fallback && opts.noFallback) {
      throw new UserError(`${opts.in}: tensor '${name}' cannot be scaled losslessly: ${p.meta.reason} (--no-fallback)`);
    }
    outTensors.set(name, tensorFromBits16('U16', p.shape, p.data));
    metas[name] = p.meta;
    packed.push({ name, meta: p.meta });
  }
  const fileMeta: SpeqFileMeta = { version: 1, layout: SPEQ_LAYOUT, format: format.name, tensors: metas };
  writeSafetensors(opts.out, outTensors, { ...src.metadata, [SPEQ_METADATA_KEY]: JSON.stringify(fileMeta) });
  return { packed, passedThrough };
}

/** `speq unpack`: restores the F16 tensors of a packed file (atomically written). Returns the tensor count restored. */
export function speqUnpack(opts: { in: string; out: string }): number {
  const src = readSafetensors(opts.in);
  const text = src.metadata[SPEQ_METADATA_KEY];
  if (text === undefined) throw new UserError(`${opts.in}: not SPEQ-packed (no metadata key '${SPEQ_METADATA_KEY}')`);
  let meta: SpeqFileMeta;
  try {
    meta = JSON.parse(text) as SpeqFileMeta;
  } catch (e) {
    throw new UserError(`${opts.in}: metadata '${SPEQ_METADATA_KEY}' is not valid JSON: ${(e as Error).message}`);
  }
  if (typeof meta !== 'object' || meta === null) throw new UserError(`${opts.in}: metadata '${SPEQ_METADATA_KEY}' is not a JSON object`);
  if (meta.version !== 1 || meta.layout !== SPEQ_LAYOUT || typeof meta.tensors !== 'object' || meta.tensors === null) {
    throw new UserError(`${opts.in}: unsupported SPEQ metadata (version ${meta.version}, layout ${meta.layout})`);
  }
  const out = new Map<string, Tensor>();
  let restored = 0;
  for (const [name, t] of src.tensors) {
    const m = Object.hasOwn(meta.tensors, name) ? meta.tensors[name] : undefined;
    if (!m) {
      out.set(name, t);
      continue;
    }
    if (t.dtype !== 'U16') throw new UserError(`${opts.in}: tensor '${name}' should be U16 (packed), got ${t.dtype}`);
    let words: Uint16Array;
    try {
      words = unpackTensor(tensorBits16(t, name), m);
    } catch (e) {
      throw new UserError(`${opts.in}: tensor '${name}': ${(e as Error).message}`);
    }
    out.set(name, tensorFromBits16('F16', m.shape, words));
    restored++;
  }
  const missing = Object.keys(meta.tensors).filter((n) => !src.tensors.has(n));
  if (missing.length) throw new UserError(`${opts.in}: metadata lists tensors that are not in the file: ${missing.join(', ')}`);
  const rest = { ...src.metadata };
  delete rest[SPEQ_METADATA_KEY];
  writeSafetensors(opts.out, out, rest);
  return restored;
}

function printPackReport(r: SpeqPackReport, out: string): void {
  const w = Math.max(6, ...r.packed.map((p) => p.name.length));
  const lines: string[] = [];
  lines.push(`${'tensor'.padEnd(w)}  ${'shape'.padEnd(16)}  k  fallback  outliers    r=1  table exponents (code 0..7)`);
  for (const { name, meta } of r.packed) {
    const shape = `[${meta.shape.join(', ')}]`.padEnd(16);
    const k = meta.fallback ? '-' : String(meta.k);
    const table = meta.fallback ? `verify-only: ${meta.reason}` : `[${meta.table!.join(', ')}]`;
    lines.push(
      `${name.padEnd(w)}  ${shape}  ${k}  ${(meta.fallback ? 'yes' : 'no').padEnd(8)}  ${String(meta.counts.outliers).padStart(8)}  ${String(meta.counts.rOnes).padStart(5)}  ${table}`,
    );
  }
  const count = (f: (m: SpeqTensorMeta) => boolean) => r.packed.filter((p) => f(p.meta)).length;
  lines.push(
    `packed ${r.packed.length} F16 tensors (${count((m) => !m.fallback && m.k === 0)} at k = 0, ${count((m) => !m.fallback && m.k === 1)} at k = 1, ` +
      `${count((m) => m.fallback)} verify-only); ${r.passedThrough.length} other tensors copied unchanged` +
      (r.passedThrough.length ? ` (${r.passedThrough.map((p) => `${p.name}: ${p.dtype}`).join(', ')})` : ''),
  );
  lines.push(`wrote ${out}`);
  process.stdout.write(lines.join('\n') + '\n');
}

export function registerSpeq(program: Command): void {
  const speq = program
    .command('speq')
    .description('SPEQ offline tool: per-tensor scaling, stored words, draft weights, nibble-plane packing');

  speq
    .command('draft')
    .description('print the stored word and draft value (hex) of each FP16 weight of a file (one hex word per line; the file is one tensor)')
    .requiredOption('--in <file>', 'weights, one FP16 hex word per line')
    .option('--format <name>', 'draft format: table (per-tensor table, default) or plain (2^(2c-15))', 'table')
    .option('--no-header', "omit the '#' header lines")
    .action((o: { in: string; format: string; header: boolean }) => {
      let text: string;
      try {
        text = readFileSync(o.in, 'utf8');
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        throw new UserError(code === 'ENOENT' ? `${o.in}: no such file` : `${o.in}: cannot read: ${(e as Error).message}`);
      }
      process.stdout.write(speqDraftText(text, o.in, o.format, o.header));
    });

  speq
    .command('pack')
    .description('F16 tensors of a safetensors file -> SPEQ stored words in nibble-plane layout, with per-tensor k, fallback flag and draft table')
    .requiredOption('--in <file>', 'input .safetensors')
    .requiredOption('--out <file>', 'output .safetensors (written atomically)')
    .option('--format <name>', 'draft format: table (default) or plain', 'table')
    .option('--no-fallback', 'fail on a tensor that needs k >= 2, instead of marking it verify-only')
    .option('-q, --quiet', 'print nothing on success')
    .action((o: { in: string; out: string; format: string; fallback: boolean; quiet?: boolean }) => {
      const r = speqPack({ in: o.in, out: o.out, format: o.format, noFallback: !o.fallback });
      if (!o.quiet) printPackReport(r, o.out);
    });

  speq
    .command('unpack')
    .description('restore the original F16 tensors of a SPEQ-packed safetensors file (bit-exact)')
    .requiredOption('--in <file>', 'packed .safetensors')
    .requiredOption('--out <file>', 'output .safetensors (written atomically)')
    .action((o: { in: string; out: string }) => {
      const n = speqUnpack(o);
      process.stdout.write(`restored ${n} F16 tensors; wrote ${o.out}\n`);
    });
}
