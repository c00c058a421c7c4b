import { parseExpr, tokenize, type Expr, type Token } from './sv-tokens.ts';

/**
 * Systematic mutations of printed SystemVerilog (the printer's subset: one statement per line).
 * Mutated places: the right-hand side of `assign x = ...;` and of `x <= ...;`, and the condition of
 * `if (...)`. Comments, declarations, instance connections and the `_unused_ok` lint sink (read by
 * nothing, by construction) are never mutated.
 *
 * Operators:
 * - `operator`: flip a binary operator (+ <-> -, & <-> |, ^ -> |, == <-> !=, < <-> <=, > <-> >=,
 *   << <-> >>, >>> -> >>, * -> +, && <-> ||);
 * - `unary`: drop a `~`, `!` or `-`; swap a reduction `&` <-> `|`, `^` -> `~^`;
 * - `swap-arms`: `c ? a : b` -> `c ? b : a` (the same as inverting a ternary's condition);
 * - `invert-condition`: `if (c)` -> `if (!(c))`;
 * - `stuck-bit`: the assigned value's LSB and MSB stuck at 0 and at 1 (an `if` condition stuck at 0/1);
 * - `slice-off-by-one`: `x[h:l]` -> `x[h+1:l+1]`, `x[h-1:l-1]`, `x[i]` -> `x[i+1]`, `x[i-1]`
 *   (only where the shifted window stays inside x's declared range);
 * - `constant-off-by-one`: a sized literal V -> V+1, V-1 (within its width).
 */

export type MutationOperator = 'operator' | 'unary' | 'swap-arms' | 'invert-condition' | 'stuck-bit' | 'slice-off-by-one' | 'constant-off-by-one';

export const MUTATION_OPERATORS: readonly MutationOperator[] = ['operator', 'unary', 'swap-arms', 'invert-condition', 'stuck-bit', 'slice-off-by-one', 'constant-off-by-one'];

/** One mutable place: an assignment's right-hand side or an if's condition, on one line. */
export interface MutableStatement {
  readonly file: string;
  /** 0-based line index in the file. */
  readonly line: number;
  readonly kind: 'assign' | 'nonblocking' | 'if';
  /** Assigned name (assign, nonblocking). */
  readonly lhs: string;
  /** Character span of the region (right-hand side or condition) in the line. */
  readonly regionStart: number;
  readonly regionEnd: number;
}

export interface Mutant {
  /** 1-based; 0 means the original design. */
  readonly id: number;
  readonly statement: MutableStatement;
  readonly operator: MutationOperator;
  /** The region's text after the mutation. */
  readonly region: string;
  /** e.g. `FpMul_f16.sv:12: '+' -> '-'`. */
  readonly description: string;
}

export interface SvFile {
  readonly fileName: string;
  readonly text: string;
}

const BINARY_FLIPS: Record<string, readonly string[]> = {
  '+': ['-'],
  '-': ['+'],
  '&': ['|'],
  '|': ['&'],
  '^': ['|'],
  '==': ['!='],
  '!=': ['=='],
  '<': ['<='],
  '<=': ['<'],
  '>': ['>='],
  '>=': ['>'],
  '<<': ['>>'],
  '>>': ['<<'],
  '>>>': ['>>'],
  '*': ['+'],
  '&&': ['||'],
  '||': ['&&'],
};
const REDUCTION_SWAPS: Record<string, string> = { '&': '|', '|': '&', '^': '~^' };

/** Declared widths (`logic [h:0] name`, ports included) of one module's text. */
export function declaredWidths(text: string): Map<string, number> {
  const widths = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^\s*(?:input|output)?\s*logic\s*(?:\[(\d+):0\])?\s*([A-Za-z_][A-Za-z0-9_$]*)/.exec(line);
    if (m) widths.set(m[2], m[1] === undefined ? 1 : Number(m[1]) + 1);
  }
  return widths;
}

/** Finds the mutable statements of one file. */
export function mutableStatements(file: SvFile): { statement: MutableStatement; tokens: Token[]; text: string }[] {
  const out: { statement: MutableStatement; tokens: Token[]; text: string }[] = [];
  const lines = file.text.split('\n');
  lines.forEach((text, line) => {
    const tokens = tokenize(text);
    if (tokens.length === 0) return;
    const span = (lo: number, hi: number) => ({ regionStart: tokens[lo].start, regionEnd: tokens[hi - 1].end });
    const last = tokens.length - 1;
    if (tokens[0].text === 'assign' && tokens[last].text === ';') {
      const eq = tokens.findIndex((t) => t.text === '=');
      const lhs = tokens[1].text;
      if (eq !== 2 || lhs === '_unused_ok') return; // whole-net assigns only
      out.push({ statement: { file: file.fileName, line, kind: 'assign', lhs, ...span(eq + 1, last) }, tokens, text });
      return;
    }
    let i = 0;
    if (tokens[0].text === 'end' && tokens[1]?.text === 'else') i = 2;
    if (tokens[i]?.text === 'if' && tokens[i + 1]?.text === '(') {
      let depth = 0;
      let close = -1;
      for (let k = i + 1; k < tokens.length; k++) {
        if (tokens[k].text === '(') depth++;
        if (tokens[k].text === ')' && --depth === 0) {
          close = k;
          break;
        }
      }
      if (close > i + 2) out.push({ statement: { file: file.fileName, line, kind: 'if', lhs: '', ...span(i + 2, close) }, tokens, text });
      return;
    }
    if (tokens[0].kind === 'id' && tokens[1]?.text === '<=' && tokens[last].text === ';' && last > 2) {
      out.push({ statement: { file: file.fileName, line, kind: 'nonblocking', lhs: tokens[0].text, ...span(2, last) }, tokens, text });
    }
  });
  return out;
}

export function literalValue(text: string): { width: number; value: bigint } | null {
  const m = /^(\d+)'([bodh])([0-9a-fA-F_]+)$/.exec(text);
  if (!m) return null;
  const radix = { b: 2, o: 8, d: 10, h: 16 }[m[2] as 'b' | 'o' | 'd' | 'h'];
  const digits = m[3].replace(/_/g, '');
  let v = 0n;
  for (const d of digits) v = v * BigInt(radix) + BigInt(parseInt(d, radix));
  return { width: Number(m[1]), value: v };
}

const sized = (width: number, v: bigint) => `${width}'h${v.toString(16)}`;

/** Every mutant of the given files, numbered from 1 in file and line order. */
export function generateMutants(files: readonly SvFile[]): Mutant[] {
  const mutants: Mutant[] = [];
  for (const file of files) {
    const widths = declaredWidths(file.text);
    for (const { statement: st, tokens, text } of mutableStatements(file)) {
      const lo = tokens.findIndex((t) => t.start === st.regionStart);
      const hi = tokens.findIndex((t) => t.end === st.regionEnd) + 1;
      const region = text.slice(st.regionStart, st.regionEnd);
      const seen = new Set<string>([region]);
      const add = (operator: MutationOperator, mutated: string, what: string) => {
        if (seen.has(mutated)) return;
        seen.add(mutated);
        mutants.push({ id: mutants.length + 1, statement: st, operator, region: mutated, description: `${file.fileName}:${st.line + 1}: ${what}` });
      };
      // Replace tokens [a, b) of the region by `by`.
      const replace = (a: number, b: number, by: string) => text.slice(st.regionStart, tokens[a].start) + by + text.slice(tokens[b - 1].end, st.regionEnd);
      const src = (e: Expr) => text.slice(tokens[e.lo].start, tokens[e.hi - 1].end);
      let root: Expr;
      try {
        root = parseExpr(tokens, lo, hi);
      } catch (e) {
        throw new Error(`${file.fileName}:${st.line + 1}: cannot parse '${region}': ${(e as Error).message}`);
      }
      const visit = (e: Expr): void => {
        switch (e.type) {
          case 'binary': {
            const op = tokens[e.op].text;
            for (const to of BINARY_FLIPS[op] ?? []) add('operator', replace(e.op, e.op + 1, to), `'${op}' -> '${to}' in '${src(e)}'`);
            visit(e.left);
            visit(e.right);
            return;
          }
          case 'unary': {
            const op = tokens[e.op].text;
            if (op === '~' || op === '!' || op === '-') add('unary', replace(e.op, e.op + 1, ''), `drop '${op}' in '${src(e)}'`);
            const swap = REDUCTION_SWAPS[op];
            if (swap) add('unary', replace(e.op, e.op + 1, swap), `reduction '${op}' -> '${swap}' in '${src(e)}'`);
            visit(e.arg);
            return;
          }
          case 'ternary':
            add('swap-arms', replace(e.lo, e.hi, `${src(e.cond)} ? ${src(e.else)} : ${src(e.then)}`), `swap the arms of '${src(e)}'`);
            visit(e.cond);
            visit(e.then);
            visit(e.else);
            return;
          case 'select': {
            const idx = (x: Expr | null) => (x && x.type === 'num' && /^\d+$/.test(tokens[x.lo].text) ? Number(tokens[x.lo].text) : null);
            const h = idx(e.msb);
            const l = e.lsb ? idx(e.lsb) : h;
            const w = e.base.type === 'ref' ? widths.get(e.base.name) : undefined;
            if (h !== null && l !== null && w !== undefined) {
              const base = src(e.base);
              const sel = (d: number) => (e.lsb ? `${base}[${h + d}:${l + d}]` : `${base}[${h + d}]`);
              if (h + 1 < w) add('slice-off-by-one', replace(e.lo, e.hi, sel(1)), `'${src(e)}' -> '${sel(1)}'`);
              if (l - 1 >= 0) add('slice-off-by-one', replace(e.lo, e.hi, sel(-1)), `'${src(e)}' -> '${sel(-1)}'`);
            }
            visit(e.base); // indices are not values: not mutated as constants
            return;
          }
          case 'num': {
            const v = literalValue(tokens[e.lo].text);
            if (!v) return;
            if (v.value + 1n < 1n << BigInt(v.width)) add('constant-off-by-one', replace(e.lo, e.hi, sized(v.width, v.value + 1n)), `${tokens[e.lo].text} -> ${sized(v.width, v.value + 1n)}`);
            if (v.value > 0n) add('constant-off-by-one', replace(e.lo, e.hi, sized(v.width, v.value - 1n)), `${tokens[e.lo].text} -> ${sized(v.width, v.value - 1n)}`);
            return;
          }
          case 'paren':
            visit(e.inner);
            return;
          case 'call':
            e.args.forEach(visit);
            return;
          case 'concat':
            e.parts.forEach(visit);
            return;
          case 'replicate':
            visit(e.value);
            return;
          default:
            return;
        }
      };
      visit(root);
      // Stuck bits of the assigned value (or the condition).
      if (st.kind === 'if') {
        add('invert-condition', `!(${region})`, `invert the condition 'if (${region})'`);
        add('stuck-bit', `1'b0`, `condition '${region}' stuck at 0`);
        add('stuck-bit', `1'b1`, `condition '${region}' stuck at 1`);
      } else {
        const w = widths.get(st.lhs);
        // a constant right-hand side is covered by constant-off-by-one (stuck bits would repeat it)
        if (w !== undefined && root.type !== 'num') {
          for (const bit of [...new Set([0, w - 1])]) {
            const mask = 1n << BigInt(bit);
            const all = (1n << BigInt(w)) - 1n;
            add('stuck-bit', `(${region}) & ${sized(w, all ^ mask)}`, `${st.lhs}[${bit}] stuck at 0`);
            add('stuck-bit', `(${region}) | ${sized(w, mask)}`, `${st.lhs}[${bit}] stuck at 1`);
          }
        }
      }
    }
  }
  return mutants;
}

/** The files with one mutant applied as plain text (for reports and formal equivalence checks). */
export function applyMutant(files: readonly SvFile[], m: Mutant): SvFile[] {
  return files.map((f) => {
    if (f.fileName !== m.statement.file) return f;
    const lines = f.text.split('\n');
    const l = lines[m.statement.line];
    lines[m.statement.line] = l.slice(0, m.statement.regionStart) + m.region + l.slice(m.statement.regionEnd);
    return { fileName: f.fileName, text: lines.join('\n') };
  });
}

export const MUTANT_SELECT = 'hdl_mutant_sel';
export const MUTANT_DPI_FUNCTION = 'hdl_mutant_id';

/**
 * A "mutant schema": every given mutant compiled into one design, selected at run time by
 * `hdl_mutant_sel` (a DPI call reading the HDL_MUTANT environment variable; 0 = the original), so
 * one Verilator build serves every mutant. Each mutated statement becomes a chain of whole
 * alternatives, each an ordinary assignment with its own SV context width:
 * `assign x = e;` -> `always_comb if (sel == k1) x = e1; else ... else x = e;`,
 * `x <= e;` -> `if (sel == k1) x <= e1; else ... x <= e;`, `if (c)` -> `if (sel == k1 ? (c1) : ... (c))`.
 */
export function renderSchema(files: readonly SvFile[], mutants: readonly Mutant[]): SvFile[] {
  return files.map((f) => {
    const mine = mutants.filter((m) => m.statement.file === f.fileName);
    if (mine.length === 0) return f;
    const byLine = new Map<number, Mutant[]>();
    for (const m of mine) byLine.set(m.statement.line, [...(byLine.get(m.statement.line) ?? []), m]);
    const lines = f.text.split('\n');
    for (const [n, ms] of byLine) {
      const st = ms[0].statement;
      const l = lines[n].replace(/\s*\/\/.*$/, '');
      const original = l.slice(st.regionStart, st.regionEnd);
      const indent = /^\s*/.exec(l)![0];
      const sel = (m: Mutant) => `${MUTANT_SELECT} == 32'd${m.id}`;
      if (st.kind === 'assign') {
        const arms = ms.map((m) => `if (${sel(m)}) ${st.lhs} = ${m.region}; else `).join('');
        lines[n] = `${indent}always_comb begin ${arms}${st.lhs} = ${original}; end`;
      } else if (st.kind === 'nonblocking') {
        const arms = ms.map((m) => `if (${sel(m)}) ${st.lhs} <= ${m.region}; else `).join('');
        lines[n] = `${indent}${arms}${st.lhs} <= ${original};`;
      } else {
        const cond = ms.map((m) => `(${sel(m)}) ? (${m.region}) : `).join('') + `(${original})`;
        lines[n] = l.slice(0, st.regionStart) + cond + l.slice(st.regionEnd);
      }
    }
    // Declare the selector right after the port list.
    const portsEnd = lines.findIndex((l) => /^\);\s*$/.test(l));
    if (portsEnd < 0) throw new Error(`${f.fileName}: no end of the port list`);
    lines.splice(
      portsEnd + 1,
      0,
      `  import "DPI-C" function int ${MUTANT_DPI_FUNCTION}();`,
      `  logic [31:0] ${MUTANT_SELECT};`,
      `  initial ${MUTANT_SELECT} = ${MUTANT_DPI_FUNCTION}();`,
    );
    return { fileName: f.fileName, text: lines.join('\n') };
  });
}
