/**
 * Shared helpers for the hdl-gen front-end, IR and check tests (not a test file itself).
 *
 * - `at(fileUrl, marker, token)` computes the `FILE:LINE:COL` of a call in a test or fixture source
 *   from its text, independently of the stack-trace machinery under test: the line is the one
 *   carrying the comment `// @marker`, the column is where `token` starts on that line (for a
 *   method call `m.when(`, pass `when(`: V8 reports the position of the called property name).
 * - `expectElabError(fn)` runs `fn` and returns the ElaborationError it must throw.
 * - `evalModule(...)` evaluates the combinational IR of one module with `evalOp`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { ElaborationError, defineModule, elaborate, input, output, type HwType, type IoSpec, type IoViews, ModuleBuilder, type Sig } from '../../../hdl-gen/index.ts';
import type { IrDesign, IrModule } from '../../../hdl-gen/ir/ir.ts';
import { evalOp } from '../../../hdl-gen/ir/semantics.ts';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

const sourceCache = new Map<string, string[]>();

function sourceLines(fileUrl: string): string[] {
  let lines = sourceCache.get(fileUrl);
  if (!lines) {
    lines = readFileSync(fileURLToPath(fileUrl), 'utf8').split('\n');
    sourceCache.set(fileUrl, lines);
  }
  return lines;
}

/** Project-relative display path of a source file, as the diagnostics print it. */
export function displayFile(fileUrl: string): string {
  return path.relative(repoRoot, fileURLToPath(fileUrl)).split(path.sep).join('/');
}

/** `FILE:LINE:COL` of `token` on the (unique) line carrying the comment `// @marker`. */
export function at(fileUrl: string, marker: string, token: string, occurrence = 1): string {
  const lines = sourceLines(fileUrl);
  const re = new RegExp(`//.*@${marker.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w-])`);
  const hits = lines.map((l, i) => (re.test(l) ? i : -1)).filter((i) => i >= 0);
  if (hits.length !== 1) throw new Error(`marker @${marker} found ${hits.length} times in ${displayFile(fileUrl)}`);
  const line = lines[hits[0]];
  let col = -1;
  for (let k = 0; k < occurrence; k++) {
    col = line.indexOf(token, col + 1);
    if (col < 0) throw new Error(`token '${token}' (#${occurrence}) not on the line of @${marker}: ${line}`);
  }
  return `${displayFile(fileUrl)}:${hits[0] + 1}:${col + 1}`;
}

/** A location helper bound to one source file. */
export function locator(fileUrl: string): (marker: string, token: string, occurrence?: number) => string {
  return (marker, token, occurrence) => at(fileUrl, marker, token, occurrence);
}

/** The text of one diagnostic in the documented format. */
export function diag(loc: string, check: string, message: string, notes: readonly (readonly [string, string])[], help: string): string {
  return [`${loc}: error[${check}]: ${message}`, ...notes.map(([l, n]) => `  ${l}: note: ${n}`), `  help: ${help}`].join('\n');
}

/** Runs `fn`, which must throw an ElaborationError (not any other error), and returns it. */
export function expectElabError(fn: () => unknown): ElaborationError {
  let thrown: unknown = undefined;
  let threw = false;
  try {
    fn();
  } catch (e) {
    thrown = e;
    threw = true;
  }
  expect(threw, 'expected an ElaborationError, but nothing was thrown').toBe(true);
  if (!(thrown instanceof ElaborationError)) {
    const e = thrown as Error;
    expect.fail(`expected an ElaborationError, got ${e?.constructor?.name ?? typeof e}: ${e?.message}\n${e?.stack ?? ''}`);
  }
  return thrown;
}

/** Message of the ElaborationError thrown by `fn`. */
export function elabMessage(fn: () => unknown): string {
  return expectElabError(fn).message;
}

/** A module built around `body` with the given io, elaborated; returns the design. */
export function build<S extends IoSpec>(name: string, io: () => S, body: (m: ModuleBuilder, io: IoViews<S>) => void): IrDesign {
  return elaborate(defineModule({ name, io, body }), {});
}

/** The module called `name` in a design (default: the top). */
export function moduleOf(design: IrDesign, name = design.top): IrModule {
  const m = design.modules.find((x) => x.name === name);
  if (!m) throw new Error(`no module ${name}`);
  return m;
}

/**
 * Evaluates every combinational node of `m` for the given input port values (registers and
 * synchronous read ports take `state`, default 0). Returns the value of each named node, and of
 * each register's next value under `next:<name>`.
 */
export function evalModule(m: IrModule, inputs: Record<string, bigint | number>, state: Record<string, bigint | number> = {}): Record<string, bigint> {
  const values = new Map<number, bigint>();
  const visiting = new Set<number>();
  const value = (id: number): bigint => {
    const hit = values.get(id);
    if (hit !== undefined) return hit;
    const n = m.nodes[id];
    if (visiting.has(id)) throw new Error(`combinational cycle through node ${id}`);
    visiting.add(id);
    let v: bigint;
    switch (n.op) {
      case 'input':
        if (!(n.name! in inputs) && n.role === undefined) throw new Error(`no value for input ${n.name}`);
        v = BigInt(inputs[n.name!] ?? 0);
        break;
      case 'reg':
      case 'memread':
      case 'instout':
        v = BigInt(state[n.name!] ?? 0);
        break;
      case 'undriven':
        throw new Error(`evaluated an undriven placeholder (node ${id})`);
      default: {
        const args = n.args.map(value);
        v = evalOp(n, args, n.args.map((a) => m.nodes[a].width));
      }
    }
    visiting.delete(id);
    values.set(id, v);
    return v;
  };
  const out: Record<string, bigint> = {};
  for (const n of m.nodes) {
    if (n.name === undefined) continue;
    if (n.op === 'reg') {
      out[n.name] = BigInt(state[n.name] ?? 0);
      out[`next:${n.name}`] = value(n.args[0]);
    } else out[n.name] = value(n.id);
  }
  return out;
}

/**
 * Builds `f(a, b)` on inputs of the given types, drives an output `y` with it and returns the
 * elaborated module, so tests can evaluate expressions through lowering and `evalOp`.
 */
export function exprModule<A extends HwType, B extends HwType>(ta: A, tb: B, f: (a: any, b: any) => Sig): IrModule {
  // First pass: find the result type.
  let resultType: HwType | null = null;
  build('Probe', () => ({ a: input(ta), b: input(tb) }), (_m, io) => {
    resultType = f(io.a, io.b).type;
  });
  const design = build('Expr', () => ({ a: input(ta), b: input(tb), y: output(resultType!) }), (_m, io) => {
    (io.y as any).set(f(io.a, io.b));
  });
  return moduleOf(design);
}

/** Evaluates `y` of an exprModule for operand bit patterns `a`, `b`. */
export function evalExpr(m: IrModule, a: bigint | number, b: bigint | number = 0): bigint {
  return evalModule(m, { a, b }).y;
}
