import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { z } from 'zod';
import { UserError } from '../errors.ts';
import { projectRoot } from '../core/source-location.ts';
import { findGenerator, generators, type DesignGenerator } from '../designs/registry.ts';
import { ConfigSchema } from './schema.ts';

export const defaultConfigPath = path.join(projectRoot, 'hdl-gen', 'config', 'default.json');

export interface ResolvedDesign {
  readonly name: string;
  readonly generator: DesignGenerator;
  readonly params: Record<string, unknown>;
}

/** Formats zod issues as `where: message` lines, naming the offending key. */
export function formatIssues(file: string, issues: readonly z.ZodIssue[], prefix: (string | number)[] = []): string {
  return issues
    .map((i) => {
      const keyPath = [...prefix, ...i.path].map((k, n) => (typeof k === 'number' ? `[${k}]` : n === 0 ? k : `.${k}`)).join('');
      const msg = i.code === 'unrecognized_keys' ? `unknown key${i.keys.length > 1 ? 's' : ''} ${i.keys.map((k) => `'${k}'`).join(', ')}` : i.message;
      return `${file}: ${keyPath || '(top level)'}: ${msg}`;
    })
    .join('\n');
}

/** Reads a JSON or TypeScript (default export) configuration and validates every design's parameters. */
export async function loadConfig(file: string): Promise<ResolvedDesign[]> {
  const shown = path.relative(process.cwd(), file) || file;
  if (!existsSync(file)) throw new UserError(`config file '${shown}' does not exist`);
  let raw: unknown;
  if (/\.[cm]?[jt]s$/.test(file)) {
    const mod = (await import(pathToFileURL(path.resolve(file)).href)) as { default?: unknown };
    if (mod.default === undefined) throw new UserError(`${shown}: a TypeScript config must have a default export`);
    raw = mod.default;
  } else {
    try {
      raw = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      throw new UserError(`${shown}: not valid JSON: ${(e as Error).message}`);
    }
  }
  const parsed = ConfigSchema.safeParse(raw);
  if (!parsed.success) throw new UserError(formatIssues(shown, parsed.error.issues));
  const seen = new Set<string>();
  return parsed.data.designs.map((d, i) => {
    if (seen.has(d.name)) throw new UserError(`${shown}: designs[${i}].name: '${d.name}' is used by an earlier design; names must be unique`);
    seen.add(d.name);
    const generator = findGenerator(d.generator);
    if (!generator) {
      throw new UserError(`${shown}: designs[${i}].generator: unknown generator '${d.generator}'; known generators: ${generators.map((g) => g.name).join(', ')}`);
    }
    const p = generator.params.safeParse(d.params);
    if (!p.success) throw new UserError(formatIssues(shown, p.error.issues, ['designs', i, 'params']));
    return { name: d.name, generator, params: p.data as Record<string, unknown> };
  });
}
