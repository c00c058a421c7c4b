import { UserError } from '../../hdl-gen/errors.ts';
import { readVectorFile, type VectorCase } from '../vectors/read-vector-file.ts';
import { goldenFn } from './golden-ops.ts';
import { RTL_FP_OPS, type RtlFpOp, type RtlFpOpName } from './rtl-ops.ts';
import { verilatorRunner, type FpRtlRunner } from './run-rtl.ts';

export interface CheckVectorsOptions {
  readonly op: RtlFpOpName;
  readonly file: string;
  /** Also run the generated RTL (combinational variant) through Verilator. */
  readonly rtl?: boolean;
  /** Supply the RTL runner (tests); default: a Verilator model of the op. */
  readonly runner?: FpRtlRunner;
  /** Vectors per RTL batch (default 65536). */
  readonly batchSize?: number;
}

export interface CheckVectorsResult {
  readonly passed: number;
  readonly failed: number;
  /** One line describing the first failing case, or null. */
  readonly firstMismatch: string | null;
}

const hex = (v: number, width: number) => v.toString(16).toUpperCase().padStart(Math.ceil(width / 4), '0');

export function describeMismatch(o: RtlFpOp, file: string, c: VectorCase, golden: number, rtl: number | null): string {
  const ops = c.operands.map((v, i) => hex(v, o.operandWidths[i])).join(' ');
  const got = [`golden ${hex(golden, o.resultWidth)}`];
  if (rtl !== null) got.push(`rtl ${hex(rtl, o.resultWidth)}`);
  return `mismatch at ${file}:${c.line}: ${o.name} ${ops}: expected ${hex(c.result, o.resultWidth)}, ${got.join(', ')}`;
}

/**
 * Checks every case of a vector file (operands, result, flags; the flags are ignored: the units
 * raise none) against the golden model and, with `rtl`, against the generated RTL. A case fails
 * when either disagrees with the file's result. Malformed files throw UserError (FILE:LINE).
 */
export async function checkVectorFile(opts: CheckVectorsOptions): Promise<CheckVectorsResult> {
  const o = RTL_FP_OPS[opts.op];
  if (!o) throw new UserError(`unknown operation '${opts.op}'`);
  const golden = goldenFn(opts.op);
  const batchSize = opts.batchSize ?? 65536;
  let runner = opts.runner ?? null;
  const owned = opts.rtl && !runner;
  let passed = 0;
  let failed = 0;
  let firstMismatch: string | null = null;
  let batch: VectorCase[] = [];

  const flush = async () => {
    if (batch.length === 0) return;
    const rtl = runner ? await runner.run(o.inputs.map((_, k) => batch.map((c) => c.operands[k]))) : null;
    for (let i = 0; i < batch.length; i++) {
      const c = batch[i];
      const g = golden(c.operands).bits;
      const r = rtl ? rtl[i] : null;
      if (g === c.result && (r === null || r === c.result)) passed++;
      else {
        failed++;
        firstMismatch ??= describeMismatch(o, opts.file, c, g, r);
      }
    }
    batch = [];
  };

  try {
    // Open (and validate the start of) the file before paying for a Verilator build.
    const cases = readVectorFile(opts.file, { name: o.name, arity: o.inputs.length, operandWidths: o.operandWidths, resultWidth: o.resultWidth });
    let next = await cases.next();
    if (owned) runner = await verilatorRunner(opts.op, 0);
    for (; !next.done; next = await cases.next()) {
      batch.push(next.value);
      if (batch.length >= batchSize) await flush();
    }
    await flush();
  } finally {
    if (owned && runner) await runner.close();
  }
  return { passed, failed, firstMismatch };
}
