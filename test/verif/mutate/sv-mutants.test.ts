import { describe, expect, it } from 'vitest';
import { applyMutant, generateMutants, renderSchema } from '../../../verif/mutate/sv-mutants.ts';
import { parseExpr, tokenize, type Expr } from '../../../verif/mutate/sv-tokens.ts';

const MODULE = `module M (
  input  logic [3:0] a,
  input  logic [3:0] b,
  input  logic       clk,
  input  logic       rst,
  output logic [3:0] y,
  output logic       q
);
  // assign y = a - b;  comments are not mutated
  assign y = a[3] ? (a + b) : ~b;  // @[x.ts:1:1] a + b
  always_ff @(posedge clk) begin
    if (rst) begin
      q <= 1'd0;
    end else begin
      q <= a[1:0] == 2'd3;
    end
  end
endmodule`;

function shape(e: Expr, toks: ReturnType<typeof tokenize>): string {
  switch (e.type) {
    case 'binary':
      return `(${shape(e.left, toks)} ${toks[e.op].text} ${shape(e.right, toks)})`;
    case 'ternary':
      return `(${shape(e.cond, toks)} ? ${shape(e.then, toks)} : ${shape(e.else, toks)})`;
    case 'unary':
      return `${toks[e.op].text}${shape(e.arg, toks)}`;
    case 'paren':
      return shape(e.inner, toks);
    default:
      return toks.slice(e.lo, e.hi).map((t) => t.text).join('');
  }
}

describe('SV tokenizer and expression parser', () => {
  it('skips line and block comments', () => {
    expect(tokenize("x = a /* + b */ - 4'hf; // + c").map((t) => t.text)).toEqual(['x', '=', 'a', '-', "4'hf", ';']);
  });

  it('follows SystemVerilog precedence and right-associative ?:', () => {
    const parse = (s: string) => {
      const t = tokenize(s);
      return shape(parseExpr(t, 0, t.length), t);
    };
    expect(parse('a | b & c ^ d')).toBe('(a | ((b & c) ^ d))');
    expect(parse('a + b << 2 == c')).toBe('(((a + b) << 2) == c)');
    expect(parse('s ? x : t ? y : z')).toBe('(s ? x : (t ? y : z))');
    expect(parse('~(|x[3:0]) & $signed(a) < $signed(b)')).toBe('(~|x[3:0] & ($signed(a) < $signed(b)))');
    expect(parse("{2{a[1]}} + {1'd0, b}")).toBe("({2{a[1]}} + {1'd0,b})");
  });

  it('rejects what is not one expression', () => {
    const t = tokenize('a + b c');
    expect(() => parseExpr(t, 0, t.length)).toThrow(/trailing tokens/);
  });
});

describe('mutant generation', () => {
  const ms = generateMutants([{ fileName: 'M.sv', text: MODULE }]);

  it('lists every operator of the issue on a small module, never inside comments', () => {
    expect(ms.map((m) => `${m.operator}: ${m.description} => ${m.region}`)).toEqual([
      "swap-arms: M.sv:10: swap the arms of 'a[3] ? (a + b) : ~b' => a[3] ? ~b : (a + b)",
      "slice-off-by-one: M.sv:10: 'a[3]' -> 'a[2]' => a[2] ? (a + b) : ~b",
      "operator: M.sv:10: '+' -> '-' in 'a + b' => a[3] ? (a - b) : ~b",
      "unary: M.sv:10: drop '~' in '~b' => a[3] ? (a + b) : b",
      "stuck-bit: M.sv:10: y[0] stuck at 0 => (a[3] ? (a + b) : ~b) & 4'he",
      "stuck-bit: M.sv:10: y[0] stuck at 1 => (a[3] ? (a + b) : ~b) | 4'h1",
      "stuck-bit: M.sv:10: y[3] stuck at 0 => (a[3] ? (a + b) : ~b) & 4'h7",
      "stuck-bit: M.sv:10: y[3] stuck at 1 => (a[3] ? (a + b) : ~b) | 4'h8",
      "invert-condition: M.sv:12: invert the condition 'if (rst)' => !(rst)",
      "stuck-bit: M.sv:12: condition 'rst' stuck at 0 => 1'b0",
      "stuck-bit: M.sv:12: condition 'rst' stuck at 1 => 1'b1",
      "constant-off-by-one: M.sv:13: 1'd0 -> 1'h1 => 1'h1",
      "operator: M.sv:15: '==' -> '!=' in 'a[1:0] == 2'd3' => a[1:0] != 2'd3",
      "slice-off-by-one: M.sv:15: 'a[1:0]' -> 'a[2:1]' => a[2:1] == 2'd3",
      "constant-off-by-one: M.sv:15: 2'd3 -> 2'h2 => a[1:0] == 2'h2",
      "stuck-bit: M.sv:15: q[0] stuck at 0 => (a[1:0] == 2'd3) & 1'h0",
      "stuck-bit: M.sv:15: q[0] stuck at 1 => (a[1:0] == 2'd3) | 1'h1",
    ]);
    expect(ms.map((m) => m.id)).toEqual(ms.map((_, i) => i + 1));
  });

  it('applies one mutant as text, leaving every other line alone', () => {
    const out = applyMutant([{ fileName: 'M.sv', text: MODULE }], ms[2])[0].text.split('\n');
    const orig = MODULE.split('\n');
    expect(out[9]).toBe('  assign y = a[3] ? (a - b) : ~b;  // @[x.ts:1:1] a + b');
    expect(out.filter((l, i) => l !== orig[i])).toHaveLength(1);
  });

  it('compiles all mutants into one schema selected by hdl_mutant_sel (0 = the original statements)', () => {
    const s = renderSchema([{ fileName: 'M.sv', text: MODULE }], ms)[0].text;
    expect(s).toContain('  import "DPI-C" function int hdl_mutant_id();');
    expect(s).toContain("always_comb begin if (hdl_mutant_sel == 32'd1) y = a[3] ? ~b : (a + b); else if ");
    expect(s).toContain('else y = a[3] ? (a + b) : ~b; end');
    expect(s).toContain("if ((hdl_mutant_sel == 32'd9) ? (!(rst)) : (hdl_mutant_sel == 32'd10) ? (1'b0) : (hdl_mutant_sel == 32'd11) ? (1'b1) : (rst)) begin");
    expect(s).toContain('  // assign y = a - b;  comments are not mutated');
  });
});
