/**
 * A tokenizer and expression parser for the SystemVerilog subset the printer emits (hdl-gen/emit),
 * just enough to mutate expressions safely: comments are skipped (never mutated), sized literals,
 * identifiers, `$signed(...)`, part/bit selects, concatenation/replication, unary, binary and
 * ternary operators with SystemVerilog precedence. Every node keeps its token span, so a mutation
 * is a replacement of a span of the original text.
 */

export type TokenKind = 'id' | 'num' | 'sys' | 'op';

export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  /** Character offsets in the line. */
  readonly start: number;
  readonly end: number;
}

const OPS = ['>>>', '<<<', '===', '!==', '==', '!=', '<=', '>=', '&&', '||', '<<', '>>', '~&', '~|', '~^', '^~', '+:', '-:', ...'+-*/%&|^~!<>?:=()[]{},;.@#'.split('')];

/** Tokens of one line of SV; `//` and `/* *\/` comments are skipped. */
export function tokenize(line: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < line.length) {
    const c = line[i];
    if (c === ' ' || c === '\t') {
      i++;
      continue;
    }
    if (line.startsWith('//', i)) break;
    if (line.startsWith('/*', i)) {
      const e = line.indexOf('*/', i + 2);
      if (e < 0) throw new Error(`unterminated block comment in: ${line}`);
      i = e + 2;
      continue;
    }
    const rest = line.slice(i);
    const m =
      /^\d+'[sS]?[bodhBODH][0-9a-fA-FxXzZ_]+/.exec(rest) ?? /^\d+/.exec(rest);
    if (m) {
      out.push({ kind: 'num', text: m[0], start: i, end: i + m[0].length });
      i += m[0].length;
      continue;
    }
    const id = /^[A-Za-z_][A-Za-z0-9_$]*/.exec(rest);
    if (id) {
      out.push({ kind: 'id', text: id[0], start: i, end: i + id[0].length });
      i += id[0].length;
      continue;
    }
    const sys = /^\$[A-Za-z_][A-Za-z0-9_]*/.exec(rest);
    if (sys) {
      out.push({ kind: 'sys', text: sys[0], start: i, end: i + sys[0].length });
      i += sys[0].length;
      continue;
    }
    const op = OPS.find((o) => line.startsWith(o, i));
    if (!op) throw new Error(`unexpected character '${c}' in: ${line}`);
    out.push({ kind: 'op', text: op, start: i, end: i + op.length });
    i += op.length;
  }
  return out;
}

/** An expression node; `lo..hi` is its token span (hi exclusive). */
export type Expr =
  | { readonly type: 'ref'; readonly lo: number; readonly hi: number; readonly name: string }
  | { readonly type: 'num'; readonly lo: number; readonly hi: number }
  | { readonly type: 'select'; readonly lo: number; readonly hi: number; readonly base: Expr; readonly msb: Expr; readonly lsb: Expr | null }
  | { readonly type: 'paren'; readonly lo: number; readonly hi: number; readonly inner: Expr }
  | { readonly type: 'call'; readonly lo: number; readonly hi: number; readonly args: Expr[] }
  | { readonly type: 'concat'; readonly lo: number; readonly hi: number; readonly parts: Expr[] }
  | { readonly type: 'replicate'; readonly lo: number; readonly hi: number; readonly count: Expr; readonly value: Expr }
  | { readonly type: 'unary'; readonly lo: number; readonly hi: number; readonly op: number; readonly arg: Expr }
  | { readonly type: 'binary'; readonly lo: number; readonly hi: number; readonly op: number; readonly left: Expr; readonly right: Expr }
  | { readonly type: 'ternary'; readonly lo: number; readonly hi: number; readonly cond: Expr; readonly then: Expr; readonly else: Expr };

/** Binding power of binary operators (IEEE 1800 table 11-2). */
const BINARY: Record<string, number> = {
  '||': 1,
  '&&': 2,
  '|': 3,
  '^': 4,
  '~^': 4,
  '^~': 4,
  '&': 5,
  '==': 6,
  '!=': 6,
  '===': 6,
  '!==': 6,
  '<': 7,
  '<=': 7,
  '>': 7,
  '>=': 7,
  '<<': 8,
  '>>': 8,
  '<<<': 8,
  '>>>': 8,
  '+': 9,
  '-': 9,
  '*': 10,
  '/': 10,
  '%': 10,
};
const UNARY = new Set(['~', '!', '-', '+', '&', '|', '^', '~&', '~|', '~^']);

/** Parses tokens[lo..hi) as one expression; throws if they are not exactly one. */
export function parseExpr(tokens: readonly Token[], lo: number, hi: number): Expr {
  let pos = lo;
  const peek = () => (pos < hi ? tokens[pos] : undefined);
  const expect = (text: string) => {
    const t = peek();
    if (!t || t.text !== text) throw new Error(`expected '${text}' at token ${pos} (${t?.text ?? 'end'})`);
    pos++;
  };
  const primary = (): Expr => {
    const t = peek();
    if (!t) throw new Error('unexpected end of expression');
    const start = pos;
    let e: Expr;
    if (t.kind === 'op' && UNARY.has(t.text)) {
      pos++;
      const arg = primary();
      return { type: 'unary', lo: start, hi: arg.hi, op: start, arg };
    }
    if (t.kind === 'num') {
      pos++;
      e = { type: 'num', lo: start, hi: pos };
    } else if (t.kind === 'id') {
      pos++;
      e = { type: 'ref', lo: start, hi: pos, name: t.text };
    } else if (t.kind === 'sys') {
      pos++;
      expect('(');
      const args = [expr(0)];
      while (peek()?.text === ',') {
        pos++;
        args.push(expr(0));
      }
      expect(')');
      e = { type: 'call', lo: start, hi: pos, args };
    } else if (t.text === '(') {
      pos++;
      const inner = expr(0);
      expect(')');
      e = { type: 'paren', lo: start, hi: pos, inner };
    } else if (t.text === '{') {
      pos++;
      const first = expr(0);
      if (peek()?.text === '{') {
        pos++;
        const value = expr(0);
        expect('}');
        expect('}');
        e = { type: 'replicate', lo: start, hi: pos, count: first, value };
      } else {
        const parts = [first];
        while (peek()?.text === ',') {
          pos++;
          parts.push(expr(0));
        }
        expect('}');
        e = { type: 'concat', lo: start, hi: pos, parts };
      }
    } else {
      throw new Error(`unexpected token '${t.text}'`);
    }
    while (peek()?.text === '[') {
      pos++;
      const msb = expr(0);
      let lsb: Expr | null = null;
      if (peek()?.text === ':') {
        pos++;
        lsb = expr(0);
      }
      expect(']');
      e = { type: 'select', lo: start, hi: pos, base: e, msb, lsb };
    }
    return e;
  };
  const expr = (minBp: number): Expr => {
    let left = primary();
    for (;;) {
      const t = peek();
      if (!t || t.kind !== 'op') break;
      if (t.text === '?') {
        if (minBp > 0) break; // the conditional operator binds loosest (right-associative)
        pos++;
        const then = expr(0);
        expect(':');
        const els = expr(0);
        left = { type: 'ternary', lo: left.lo, hi: els.hi, cond: left, then, else: els };
        continue;
      }
      const bp = BINARY[t.text];
      if (bp === undefined || bp <= minBp) break;
      const op = pos++;
      const right = expr(bp);
      left = { type: 'binary', lo: left.lo, hi: right.hi, op, left, right };
    }
    return left;
  };
  const e = expr(0);
  if (pos !== hi) throw new Error(`trailing tokens after expression: '${tokens[pos].text}'`);
  return e;
}

/** Every node of an expression, parents before children. */
export function walk(e: Expr, visit: (n: Expr) => void): void {
  visit(e);
  switch (e.type) {
    case 'select':
      walk(e.base, visit);
      walk(e.msb, visit);
      if (e.lsb) walk(e.lsb, visit);
      break;
    case 'paren':
      walk(e.inner, visit);
      break;
    case 'call':
      e.args.forEach((a) => walk(a, visit));
      break;
    case 'concat':
      e.parts.forEach((p) => walk(p, visit));
      break;
    case 'replicate':
      walk(e.count, visit);
      walk(e.value, visit);
      break;
    case 'unary':
      walk(e.arg, visit);
      break;
    case 'binary':
      walk(e.left, visit);
      walk(e.right, visit);
      break;
    case 'ternary':
      walk(e.cond, visit);
      walk(e.then, visit);
      walk(e.else, visit);
      break;
    default:
      break;
  }
}
