import { UserError } from '../errors.ts';
import { formatLoc, type SourceLoc } from './source-location.ts';

/** The named check that found a problem; shown as `error[check]`. */
export type CheckName =
  | 'width-mismatch'
  | 'type-error'
  | 'undriven'
  | 'multiple-drivers'
  | 'comb-loop'
  | 'latch'
  | 'name-collision'
  | 'api-misuse';

export interface Diagnostic {
  readonly check: CheckName;
  readonly message: string;
  readonly loc: SourceLoc;
  /** Other sites involved (the first driver of a conflict, a declaration, ...). */
  readonly related?: readonly { readonly loc: SourceLoc; readonly note: string }[];
  /** How to fix it, in one sentence. */
  readonly help: string;
}

export function formatDiagnostic(d: Diagnostic): string {
  const lines = [`${formatLoc(d.loc)}: error[${d.check}]: ${d.message}`];
  for (const r of d.related ?? []) lines.push(`  ${formatLoc(r.loc)}: note: ${r.note}`);
  lines.push(`  help: ${d.help}`);
  return lines.join('\n');
}

/** One or more elaboration errors; the message lists them all in source order. */
export class ElaborationError extends UserError {
  constructor(readonly diagnostics: readonly Diagnostic[]) {
    super(diagnostics.map(formatDiagnostic).join('\n'));
    this.name = 'ElaborationError';
  }
}

/** Throws at the user's call site: used for misuse that cannot produce a well-formed design. */
export function fail(d: Diagnostic): never {
  throw new ElaborationError([d]);
}
