/**
 * Whether to skip tests that need an external tool which is not installed. Never, unless the
 * developer opts in with HDL_ALLOW_MISSING_TOOLS=1: `scripts/setup.sh` installs every tool, and a
 * silently skipped check would look like a pass (in CI a missing tool must fail the run).
 */
export function missingTool(available: boolean): boolean {
  return !available && process.env.HDL_ALLOW_MISSING_TOOLS === '1';
}
