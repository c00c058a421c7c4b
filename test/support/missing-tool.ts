import { execaSync } from 'execa';

/**
 * Whether to skip tests that need an external tool which is not installed. Never, unless the
 * developer opts in with HDL_ALLOW_MISSING_TOOLS=1: `scripts/setup.sh` installs every tool, and a
 * silently skipped check would look like a pass (in CI a missing tool must fail the run).
 */
export function missingTool(available: boolean): boolean {
  return !available && process.env.HDL_ALLOW_MISSING_TOOLS === '1';
}

/** Whether `cmd args` runs and exits 0 (a tool probe for `missingTool`). */
export function toolRuns(cmd: string, args: readonly string[] = ['--version']): boolean {
  try {
    execaSync(cmd, [...args]);
    return true;
  } catch {
    return false;
  }
}

export const haveVerilator = toolRuns('verilator');
