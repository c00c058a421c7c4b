import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../hdl-gen/config/load-config.ts';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'hdlgen-cfg-'));
function file(name: string, content: string): string {
  const p = path.join(tmp, name);
  writeFileSync(p, content);
  return p;
}
const shown = (p: string) => path.relative(process.cwd(), p);
async function messageOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    expect((e as Error).name).toBe('UserError');
    return (e as Error).message;
  }
  throw new Error('expected the config to be rejected');
}

describe('loadConfig', () => {
  it('loads the default configuration with every generator', async () => {
    const designs = await loadConfig(path.join(process.cwd(), 'hdl-gen/config/default.json'));
    expect(designs.map((d) => d.generator.name)).toEqual([
      'counter', 'fifo', 'dual-port-ram', 'int-mac-array', 'fp-mac', 'fp-mul', 'puzzlemoe-decode', 'puzzlemoe-decode-bist', 'puzzlemoe-fused-gemv',
      'speq-pe', 'speq-plain-pe', 'speq-pe-array', 'speq-spec-controller', 'expert-cache', 'topk-router', 'moe-spec-governor', 'moe-speculate-commit', 'valid-ready-stage',
    ]);
  });
  it('loads a TypeScript config from its default export', async () => {
    const p = file('c.ts', "export default { designs: [{ name: 'c', generator: 'counter', params: { width: 4 } }] };\n");
    expect((await loadConfig(p))[0].params).toEqual({ width: 4 });
  });
  const bad: [string, string, (p: string) => string][] = [
    ['unknown top-level key', '{"designs":[{"name":"c","generator":"counter","params":{"width":8}}],"extra":1}', (p) => `${p}: (top level): unknown key 'extra'`],
    ['unknown design key', '{"designs":[{"name":"c","generator":"counter","parms":{}}]}', (p) => `${p}: designs[0]: unknown key 'parms'`],
    ['unknown generator', '{"designs":[{"name":"c","generator":"cnt"}]}', (p) => `${p}: designs[0].generator: unknown generator 'cnt'; known generators: counter, dual-port-ram, expert-cache, fifo, fp-add, fp-convert, fp-fma, fp-mac, fp-mul, int-mac-array, moe-spec-governor, moe-speculate-commit, puzzlemoe-decode, puzzlemoe-decode-bist, puzzlemoe-fused-gemv, speq-pe, speq-pe-array, speq-plain-pe, speq-spec-controller, topk-router, valid-ready-stage`],
    ['wrong parameter type', '{"designs":[{"name":"c","generator":"counter","params":{"width":"8"}}]}', (p) => `${p}: designs[0].params.width: Expected number, received string`],
    ['zero lanes-like size', '{"designs":[{"name":"c","generator":"fifo","params":{"width":0,"depth":4}}]}', (p) => `${p}: designs[0].params.width: Number must be greater than or equal to 1`],
    ['unknown parameter', '{"designs":[{"name":"c","generator":"counter","params":{"width":8,"depth":2}}]}', (p) => `${p}: designs[0].params: unknown key 'depth'`],
    ['missing parameter', '{"designs":[{"name":"c","generator":"counter","params":{}}]}', (p) => `${p}: designs[0].params.width: Required`],
    ['duplicate names', '{"designs":[{"name":"c","generator":"counter","params":{"width":8}},{"name":"c","generator":"counter","params":{"width":4}}]}', (p) => `${p}: designs[1].name: 'c' is used by an earlier design; names must be unique`],
    ['empty design list', '{"designs":[]}', (p) => `${p}: designs: list at least one design`],
  ];
  for (const [what, content, expected] of bad) {
    it(`rejects a config with ${what}`, async () => {
      const p = file(`${what.replace(/\W+/g, '-')}.json`, content);
      await expect(messageOf(loadConfig(p))).resolves.toBe(expected(shown(p)));
    });
  }
  it('names a missing file', async () => {
    await expect(messageOf(loadConfig(path.join(tmp, 'nope.json')))).resolves.toBe(`config file '${shown(path.join(tmp, 'nope.json'))}' does not exist`);
  });
  it('says which file is not valid JSON', async () => {
    const p = file('broken.json', '{"designs": [');
    await expect(messageOf(loadConfig(p))).resolves.toMatch(new RegExp(`^${shown(p).replace(/[.]/g, '\\.')}: not valid JSON: `));
  });
});
