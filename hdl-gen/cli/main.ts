import { Command, CommanderError } from 'commander';
import { UserError } from '../errors.ts';
import { registerCommands } from './commands/index.ts';

/** Builds the `hdlgen` program; each subcommand lives in its own file under ./commands. */
export function buildProgram(): Command {
  const program = new Command('hdlgen')
    .description('TypeScript eDSL and SystemVerilog generator for Mixture-of-Experts inference hardware')
    .exitOverride()
    .showHelpAfterError();
  registerCommands(program);
  return program;
}

/** Runs the CLI and returns the process exit code; user errors print one clear message, never a stack. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode;
    if (e instanceof UserError) {
      process.stderr.write(`hdlgen: error: ${e.message}\n`);
      return e.exitCode;
    }
    throw e;
  }
}
