/**
 * `hdlgen puzzlemoe`: offline packing of PuzzleMoE merged experts and decoding of packed words
 * (spec: /work/shared/specs/puzzlemoe.md; golden model: hdl-gen/units/puzzlemoe/golden/).
 *
 * ```
 * hdlgen puzzlemoe pack   --in experts.safetensors --calib norms.safetensors --pairs auto|sequential|FILE
 *                         --out packed.safetensors [--tau 0.4] [--exponent-offset 112] [--quiet]
 * hdlgen puzzlemoe decode --in words.txt|packed.safetensors [--exponent-offset N]
 *                         [--out decoded.safetensors] [--readmemh OUT.hex] [--expected-readmemh OUT.hex] [--lanes N]
 * ```
 *
 * Tensor naming (all tensors row-major, as PyTorch/safetensors store them):
 * - experts (`--in` of pack): `experts.{e}.{w}.weight`, w in w1 | w2 | w3 (gate / down / up, as in
 *   Mixtral), shape [out, in], dtype F32, BF16 or F16; e = 0, 1, ... (any non-negative integers).
 *   Every expert must have the same set of matrices. Other tensors not starting with `experts.` are
 *   copied to the output unchanged (e.g. the router); `experts.*` names that do not match are errors.
 * - calibration norms (`--calib`): `experts.{e}.{w}.input_norm`, shape [in], F32/BF16/F16: the L2 norm
 *   of each input channel over the calibration tokens routed to expert e (the Wanda x of the spec),
 *   finite and >= 0. Other tensors in the file are ignored.
 * - packed output: `pairs.{k}.experts` (I32 [2] = the expert indices i, j of pair k; position 0 = i,
 *   position 1 = j) and `pairs.{k}.{w}.packed` (U16 [out, in], one packed word per position), plus
 *   the copied tensors. Metadata: the input metadata plus `puzzlemoe.format` = puzzlemoe-packed-v1,
 *   `puzzlemoe.tau`, `puzzlemoe.exponent_offset`, `puzzlemoe.pairs` (JSON, e.g. [[0,1],[2,3]]).
 * - decoded output (`decode --out`): `experts.{e}.{w}.weight` in BF16 [out, in], reconstructed as
 *   the decode unit outputs them (lane 0 -> expert i, lane 1 -> expert j), plus copied tensors.
 *
 * Pairing (`--pairs`), every expert in exactly one pair (50% compression):
 * - `auto`: for every two experts with the same shapes, the fraction of elements that would be
 *   shared (d <= tau) over all their matrices; then greedily, highest fraction first (ties: lowest
 *   (i, j)), pair experts that are both unpaired. Greedy, not an optimal matching; cost: one pass over
 *   the weights per pair of experts.
 * - `sequential`: (0, 1), (2, 3), ... in increasing expert index.
 * - FILE: a text file, one pair per line, `i j` or `i,j`; `#` starts a comment; blank lines ignored.
 *   (To use a file literally named `auto` or `sequential`, write `./auto`.)
 *
 * decode `--in`: a file ending in `.safetensors` is a packed file (prints one summary line per packed
 * tensor; `--out` writes the decoded BF16 experts); anything else is text with one 16-bit hex word
 * per line (optional 0x, `#`/`//` comments), and prints `lane0 lane1` per word as 4-digit lowercase
 * hex (e.g. `3c50 bc50`). `--readmemh OUT.hex` writes the packed words for $readmemh (simulation /
 * FPGA memory init): `--lanes` words per line (default 1), word 0 of a line in the least significant
 * digits, i.e. the decode unit's `in_words` layout; a packed file contributes its packed tensors in
 * the order listed in the summary, each row-major. `--expected-readmemh OUT.hex` writes, per line,
 * the expected `{out_lane1, out_lane0}` of the decode unit for the same beat (out_lane0 in the low
 * 16*lanes bits).
 *
 * Errors name the file, tensor and [row, col] index (unpackable magnitudes >= 2^(offset - 95), NaN /
 * Inf weights, shape mismatches, missing tensors or pairs). Outputs are written only after every
 * check and computation succeeded, each to a temporary file renamed into place: nothing is
 * half-written.
 */
import type { Command } from 'commander';
import { existsSync, readFileSync } from 'node:fs';
import { UserError } from '../../errors.ts';
import { readSafetensors, serializeSafetensors, writeFileAtomic } from '../../tensors/safetensors.ts';
import { DEFAULT_EXPONENT_OFFSET, decodeWord } from '../../units/puzzlemoe/golden/format.ts';
import { DEFAULT_TAU } from '../../units/puzzlemoe/golden/merge.ts';
import { hex4, packExperts, parseHexWords, parsePairsFile, readmemhLines, unpackExperts, type PairSpec } from '../../units/puzzlemoe/offline.ts';

export interface PackCommandOptions {
  readonly in: string;
  readonly calib: string;
  readonly pairs: string;
  readonly out: string;
  readonly tau?: number;
  readonly exponentOffset?: number;
}

export interface DecodeCommandOptions {
  readonly in: string;
  readonly out?: string;
  readonly exponentOffset?: number;
  readonly readmemh?: string;
  readonly expectedReadmemh?: string;
  readonly lanes?: number;
}

const pct = (n: number, d: number): string => `${((100 * n) / Math.max(d, 1)).toFixed(1)}%`;

function readText(file: string): string {
  if (!existsSync(file)) throw new UserError(`${file}: no such file`);
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new UserError(`${file}: cannot read: ${(e as Error).message}`);
  }
}

/** Packs; returns the report text. Writes `out` only when everything succeeded. */
export function runPack(o: PackCommandOptions): string {
  let pairs: PairSpec;
  if (o.pairs === 'auto' || o.pairs === 'sequential') pairs = o.pairs;
  else pairs = parsePairsFile(readText(o.pairs), o.pairs);
  const experts = readSafetensors(o.in);
  const calib = readSafetensors(o.calib);
  const r = packExperts(experts, o.in, calib, o.calib, { pairs, pairsSource: o.pairs, tau: o.tau, exponentOffset: o.exponentOffset });
  const bytes = serializeSafetensors(r.tensors, r.metadata);
  writeFileAtomic(o.out, bytes);
  const lines = [`pairs (${o.pairs}): ${r.pairs.map(([i, j]) => `(${i}, ${j})`).join(' ')}`];
  for (const s of r.stats) {
    const n = s.shared + s.iOnly + s.jOnly;
    lines.push(`  experts ${s.pair[0]} + ${s.pair[1]} ${s.matrix} [${s.shape.join(', ')}]: shared ${pct(s.shared, n)}, ${s.pair[0]} only ${pct(s.iOnly, n)}, ${s.pair[1]} only ${pct(s.jOnly, n)}`);
  }
  lines.push(`wrote ${o.out} (${r.tensors.size} tensors, ${bytes.length} bytes; tau ${r.metadata['puzzlemoe.tau']}, exponent offset ${r.metadata['puzzlemoe.exponent_offset']})`);
  return lines.join('\n') + '\n';
}

/** Decodes; returns what to print. Output files are written only when everything succeeded. */
export function runDecode(o: DecodeCommandOptions): string {
  const lanes = o.lanes ?? 1;
  if (!Number.isInteger(lanes) || lanes < 1 || lanes > 64) throw new UserError(`--lanes must be an integer from 1 to 64, got ${o.lanes}`);
  let words: number[];
  let offset: number;
  let printed: string;
  const writes: [string, Uint8Array | string][] = [];
  if (o.in.endsWith('.safetensors')) {
    const r = unpackExperts(readSafetensors(o.in), o.in, { exponentOffset: o.exponentOffset });
    offset = r.exponentOffset;
    words = [];
    const lines: string[] = [];
    let at = 0;
    for (const e of r.entries) {
      for (const w of e.words) words.push(w);
      lines.push(`${e.packed} [${e.shape.join(', ')}] words ${at}..${at + e.words.length - 1} -> experts.${e.pair[0]}.${e.matrix}.weight (lane 0), experts.${e.pair[1]}.${e.matrix}.weight (lane 1)`);
      at += e.words.length;
    }
    if (r.entries.length === 0) throw new UserError(`${o.in}: no packed tensors (pairs.{k}.{w1|w2|w3}.packed)`);
    if (o.out) {
      writes.push([o.out, serializeSafetensors(r.tensors, r.metadata)]);
      lines.push(`wrote ${o.out} (${r.tensors.size} tensors, BF16 experts; exponent offset ${offset})`);
    }
    printed = lines.join('\n') + '\n';
  } else {
    if (o.out) throw new UserError(`--out writes decoded safetensors and needs a packed .safetensors input; '${o.in}' is read as a text file of hex words`);
    offset = o.exponentOffset ?? DEFAULT_EXPONENT_OFFSET;
    words = parseHexWords(readText(o.in), o.in);
    try {
      printed = words.map((w) => decodeWord(w, offset).map(hex4).join(' ') + '\n').join('');
    } catch (e) {
      throw new UserError((e as Error).message);
    }
  }
  if (o.readmemh) {
    const head = `// puzzlemoe packed words from ${o.in}: ${words.length} words, ${lanes} per line (word 0 in the low digits)\n`;
    writes.push([o.readmemh, head + readmemhLines(words, lanes).join('\n') + '\n']);
  }
  if (o.expectedReadmemh) {
    const lines: string[] = [];
    for (let base = 0; base < words.length; base += lanes) {
      const lane0: number[] = [];
      const lane1: number[] = [];
      for (let k = 0; k < lanes; k++) {
        const [a, b] = base + k < words.length ? decodeWord(words[base + k], offset) : [0, 0];
        lane0.push(a);
        lane1.push(b);
      }
      lines.push(readmemhLines(lane1, lanes)[0] + readmemhLines(lane0, lanes)[0]);
    }
    const head = `// puzzlemoe expected decode of ${o.in} (exponent offset ${offset}): {out_lane1, out_lane0}, ${lanes} words per lane per line\n`;
    writes.push([o.expectedReadmemh, head + lines.join('\n') + '\n']);
  }
  for (const [file, bytes] of writes) writeFileAtomic(file, bytes);
  return printed;
}

function parseNumber(what: string, integer: boolean) {
  return (v: string): number => {
    const n = Number(v);
    if (v.trim() === '' || !Number.isFinite(n) || (integer && !Number.isInteger(n))) throw new UserError(`${what}: '${v}' is not ${integer ? 'an integer' : 'a number'}`);
    return n;
  };
}

export function registerPuzzlemoe(program: Command): void {
  const pm = program.command('puzzlemoe').description('PuzzleMoE merged experts: pack expert pairs into 16-bit words, decode packed words');
  pm.command('pack')
    .description('merge expert pairs and pack them (dual mask, signs, bf16 magnitude with a 5-bit exponent)')
    .requiredOption('--in <file>', 'experts safetensors: experts.{e}.{w1|w2|w3}.weight [out, in]')
    .requiredOption('--calib <file>', 'channel norms safetensors: experts.{e}.{w1|w2|w3}.input_norm [in]')
    .requiredOption('--pairs <auto|sequential|file>', "pairing: 'auto' (greedy by similarity), 'sequential' ((0,1),(2,3),...) or a file of 'i j' lines")
    .requiredOption('--out <file>', 'packed safetensors to write')
    .option('--tau <number>', 'similarity threshold', parseNumber('--tau', false), DEFAULT_TAU)
    .option('--exponent-offset <n>', 'E = e5 + offset', parseNumber('--exponent-offset', true), DEFAULT_EXPONENT_OFFSET)
    .option('-q, --quiet', 'print nothing on success')
    .action((o: PackCommandOptions & { quiet?: boolean }) => {
      const text = runPack(o);
      if (!o.quiet) process.stdout.write(text);
    });
  pm.command('decode')
    .description('decode packed words: a text file of hex words (prints lane0 lane1 per word) or a packed .safetensors')
    .requiredOption('--in <file>', 'text file with one hex word per line, or a packed .safetensors')
    .option('--out <file>', 'write the decoded BF16 experts (packed .safetensors input only)')
    .option('--exponent-offset <n>', `E = e5 + offset (default ${DEFAULT_EXPONENT_OFFSET}; a packed file's own offset is used)`, parseNumber('--exponent-offset', true))
    .option('--readmemh <file>', 'write the packed words as a $readmemh file')
    .option('--expected-readmemh <file>', 'write the expected decode-unit outputs {out_lane1, out_lane0} as a $readmemh file')
    .option('--lanes <n>', 'packed words per $readmemh line (the decode unit lanes)', parseNumber('--lanes', true), 1)
    .action((o: DecodeCommandOptions) => {
      process.stdout.write(runDecode(o));
    });
}
