import { Option, type Command } from 'commander';
import { UserError } from '../../errors.ts';
import { checkVectorFile } from '../../../verif/fp/check-vectors.ts';
import { RTL_FP_OP_NAMES, type RtlFpOpName } from '../../../verif/fp/rtl-ops.ts';

export interface CheckVectorsCliOptions {
  readonly op: RtlFpOpName;
  readonly file: string;
  readonly rtl?: boolean;
}

/**
 * `hdlgen check-vectors --op OP --file FILE[.gz] [--rtl]`: runs every case of a test-vector file
 * (operands, result, flags; flags ignored) through the golden FP model and, with --rtl, through
 * the generated RTL in Verilator. Prints the first mismatch, if any, then `N passed, N failed` on
 * a line of its own; any failure exits 1 (with a one-line error on stderr).
 */
export async function runCheckVectors(o: CheckVectorsCliOptions): Promise<void> {
  const r = await checkVectorFile({ op: o.op, file: o.file, rtl: o.rtl });
  if (r.passed + r.failed === 0) throw new UserError(`${o.file}: no test vectors in the file`);
  if (r.firstMismatch) process.stdout.write(`${r.firstMismatch}\n`);
  process.stdout.write(`${r.passed} passed, ${r.failed} failed\n`);
  if (r.failed) throw new UserError(`${r.failed} of ${r.passed + r.failed} vectors failed${o.rtl ? ' (golden model and RTL)' : ' (golden model)'}`);
}

export function registerCheckVectors(program: Command): void {
  program
    .command('check-vectors')
    .description('check a test-vector file against the FP golden model and, with --rtl, the generated RTL (Verilator)')
    .addOption(new Option('--op <name>', 'operation the file tests').choices(RTL_FP_OP_NAMES).makeOptionMandatory())
    .requiredOption('--file <file>', 'vector file: lines "operands... result flags" in hex, plain or gzip')
    .option('--rtl', 'also run the generated RTL through Verilator')
    .action(async (o: { op: RtlFpOpName; file: string; rtl?: boolean }) => {
      await runCheckVectors({ op: o.op, file: o.file, rtl: o.rtl ?? false });
    });
}
