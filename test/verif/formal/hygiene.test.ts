import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { hostname, tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../../../hdl-gen/cli/commands/gen.ts';
import { runYosys } from '../../../verif/tools/yosys.ts';
import { PROJECT_ROOT } from '../../../verif/verilator/build.ts';

/**
 * Determinism and hygiene of `hdlgen gen` over the whole default configuration: two generations
 * are byte-identical; no output holds an absolute path, a timestamp, the user or host name; every
 * design is free of latches after `proc` in Yosys 0.23 (`check -assert` and no latch cells).
 */
const outA = path.join(tmpdir(), `hdl-hygiene-a-${process.pid}`);
const outB = path.join(tmpdir(), `hdl-hygiene-b-${process.pid}`);

function files(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string) => {
    for (const n of readdirSync(d).sort()) {
      const p = path.join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(path.relative(dir, p), readFileSync(p));
    }
  };
  walk(dir);
  return out;
}

let a: Map<string, Buffer>;
beforeAll(async () => {
  await generate({ out: outA, quiet: true });
  await generate({ out: outB, quiet: true });
  a = files(outA);
}, 300_000);
afterAll(() => {
  rmSync(outA, { recursive: true, force: true });
  rmSync(outB, { recursive: true, force: true });
});

describe('generation: determinism and hygiene', () => {
  it('two generations are byte-identical (same files, same bytes)', () => {
    const b = files(outB);
    expect([...a.keys()]).toEqual([...b.keys()]);
    const differing = [...a.keys()].filter((f) => !a.get(f)!.equals(b.get(f)!));
    expect(differing).toEqual([]);
    expect(a.size).toBeGreaterThan(10);
  });

  it('no absolute paths, timestamps, user or host names in any output file', () => {
    const forbidden: [string, RegExp][] = [
      ['project root', new RegExp(PROJECT_ROOT.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))],
      ['temporary directory', new RegExp(outA.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))],
      ['absolute path', /(^|["'\s(])\/(home|root|tmp|work|usr|Users)\//m],
      ['ISO date/time', /\b20\d\d-[01]\d-[0-3]\d([T ][0-2]\d:[0-5]\d)?/],
      ['clock time', /\b[0-2]\d:[0-5]\d:[0-5]\d\b/],
      ['user name', new RegExp(`\\b${userInfo().username}\\b`)],
      ['host name', new RegExp(`\\b${hostname().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`)],
    ];
    const hits: string[] = [];
    for (const [f, bytes] of a) {
      const text = bytes.toString('utf8');
      for (const [what, re] of forbidden) {
        // the user name check only where it would be a name: 'root' is also an English word in comments
        if (what === 'user name' && userInfo().username.length < 5) continue;
        const m = re.exec(text);
        if (m) hits.push(`${f}: ${what}: '${m[0]}'`);
      }
    }
    expect(hits).toEqual([]);
  });

  it('every design is latch-free in synthesis (Yosys 0.23: proc; check -assert; no latch cells)', async () => {
    const manifest = JSON.parse(readFileSync(path.join(outA, 'manifest.json'), 'utf8')) as { designs: { name: string; top: string; filelist: string }[] };
    const failures: string[] = [];
    for (const d of manifest.designs) {
      const fl = path.join(outA, d.filelist);
      const svs = readFileSync(fl, 'utf8').split('\n').filter(Boolean).map((f) => path.join(path.dirname(fl), f));
      const script = `read_verilog -sv ${svs.map((f) => path.relative(path.dirname(svs[0]), f)).join(' ')}; hierarchy -check -top ${d.top}; proc; check -assert; flatten; select -assert-none t:$dlatch t:$adlatch t:$dlatchsr t:$sr`;
      const r = await runYosys('system', svs, script);
      if (!r.ok) failures.push(`${d.name}: ${r.log.split('\n').filter((l) => /ERROR|Warning/.test(l)).join(' ')}`);
    }
    expect(failures).toEqual([]);
    expect(manifest.designs.length).toBeGreaterThan(5);
  }, 300_000);
});
