import { execa } from 'execa';
import { UserError } from '../../hdl-gen/errors.ts';

/** The Verilator this project drives: where it is and which version it is. */
export interface VerilatorInfo {
  /** The command run (the VERILATOR environment variable, or `verilator` from PATH). */
  readonly command: string;
  /** e.g. "5.006" */
  readonly version: string;
  readonly major: number;
  readonly minor: number;
  /** The first line of `verilator --version`. */
  readonly banner: string;
}

export const MIN_VERILATOR_MAJOR = 5;

const INSTALL_HELP =
  'install it with `apt-get install verilator` (Debian/Ubuntu, needs Debian 12 / Ubuntu 23.04 or later for version 5), ' +
  '`brew install verilator` (macOS) or from source (https://verilator.org/guide/latest/install.html), ' +
  'or point the VERILATOR environment variable at a Verilator 5 executable';

/** Parses the banner of `verilator --version` ("Verilator 5.006 2023-01-22 rev ..."). */
export function parseVerilatorVersion(text: string): { version: string; major: number; minor: number } | null {
  const m = /Verilator\s+(\d+)\.(\d+)/.exec(text);
  if (!m) return null;
  return { version: `${m[1]}.${m[2]}`, major: Number(m[1]), minor: Number(m[2]) };
}

const cache = new Map<string, Promise<VerilatorInfo>>();

/**
 * Finds Verilator (env VERILATOR overrides `verilator` on PATH) and checks it is version 5 or later.
 * Throws UserError with installation advice when it is missing, cannot run, or is too old.
 * The result is cached per command for the life of the process.
 */
export function findVerilator(env: NodeJS.ProcessEnv = process.env): Promise<VerilatorInfo> {
  const fromEnv = env.VERILATOR !== undefined && env.VERILATOR !== '';
  const command = fromEnv ? env.VERILATOR! : 'verilator';
  let p = cache.get(command);
  if (!p) {
    p = probe(command, fromEnv);
    cache.set(command, p);
    p.catch(() => cache.delete(command)); // retry after a failure (e.g. installed meanwhile)
  }
  return p;
}

async function probe(command: string, fromEnv: boolean): Promise<VerilatorInfo> {
  const where = fromEnv ? `The VERILATOR environment variable is set to '${command}', which could not be run.` : '';
  const notFound = () => new UserError(`Verilator ${MIN_VERILATOR_MAJOR} is required but was not found on PATH: ${INSTALL_HELP}.${where ? ' ' + where : ''}`);
  let out: string;
  try {
    const r = await execa(command, ['--version'], { reject: false, timeout: 60_000, stdin: 'ignore' });
    // exitCode is undefined when the process could not be spawned at all (ENOENT, EACCES, ...).
    if (r.failed && (r.exitCode === undefined || r.exitCode === 126 || r.exitCode === 127)) throw notFound();
    out = `${r.stdout}\n${r.stderr}`;
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw notFound();
  }
  const v = parseVerilatorVersion(out);
  if (!v) {
    throw new UserError(
      `Verilator ${MIN_VERILATOR_MAJOR} is required but '${command} --version' did not print a Verilator version (got: ${JSON.stringify(out.trim().slice(0, 200))}): ${INSTALL_HELP}.`,
    );
  }
  if (v.major < MIN_VERILATOR_MAJOR) {
    throw new UserError(`Verilator ${MIN_VERILATOR_MAJOR} is required but '${command}' is Verilator ${v.version}: ${INSTALL_HELP}.`);
  }
  const banner = out.split('\n').find((l) => /Verilator\s+\d/.test(l))!.trim();
  return { command, banner, ...v };
}
