import { describe, expect, it } from 'vitest';
import { Bool, SInt, UInt, Vec, cat, lit, defineModule, elaborate, input, mux, output } from '../../../hdl-gen/index.ts';
import { emitModule } from '../../../hdl-gen/emit/sv-printer.ts';

/** Exact SV text for the operators whose printing needs care (signedness, slices, extension). */
function body(build: Parameters<typeof defineModule>[0]['body'], io: ReturnType<Parameters<typeof defineModule>[0]['io']>): string[] {
  const def = defineModule({ name: 'T', io: () => io, body: build });
  const text = emitModule(elaborate(def, {}).modules[0], { locators: false }).text;
  return text.split('\n').filter((l) => l.startsWith('  assign') && !l.includes('_unused_ok'));
}

describe('sv-printer operator forms', () => {
  it('cuts expressions nested deeper than MAX_INLINE_DEPTH (32) with a temporary', () => {
    const lines = body(
      (m, io: any) => {
        let x = io.a;
        for (let i = 0; i < 34; i++) x = x.add(io.b);
        io.y.set(x);
      },
      { a: input(UInt(4)), b: input(UInt(4)), y: output(UInt(4)) },
    );
    expect(lines).toEqual(['  assign y = _t0 + b;', `  assign _t0 = ${'('.repeat(32)}a + b)${' + b)'.repeat(31)} + b;`]);
  });
  it('reads a dynamic index through a balanced tree over the index bits', () => {
    const lines = body((m, io: any) => io.y.set(io.v.at(io.i)), { v: input(Vec(UInt(4), 3)), i: input(UInt(3)), y: output(UInt(4)) });
    expect(lines).toEqual(['  assign y = (|i[2]) ? _t0 : (i[1] ? _t0 : (i[0] ? v[7:4] : v[3:0]));', '  assign _t0 = v[11:8];']);
  });
  it('prints a 4096-way dynamic read (no deep recursion anywhere)', () => {
    const def = defineModule({
      name: 'Rom',
      io: () => ({ idx: input(UInt(12)), y: output(UInt(17)) }),
      body: (m, io) => {
        const t = m.wire('t', Vec(UInt(17), 4096));
        for (let j = 0; j < 4096; j++) t.at(j).set(lit(j, UInt(17)));
        io.y.set(t.at(io.idx));
      },
    });
    expect(emitModule(elaborate(def, {}).modules[0], { locators: false }).text).toContain('assign y = ');
  });
  it('prints signed compare with $signed on both sides and an unsigned result', () => {
    const lines = body((m, io: any) => io.y.set(io.a.lt(io.b)), { a: input(SInt(8)), b: input(SInt(8)), y: output(Bool()) });
    expect(lines).toEqual(['  assign y = $signed(a) < $signed(b);']);
  });
  it('prints arithmetic shift right by a constant as sign-bit replication (no signed context)', () => {
    const lines = body((m, io: any) => io.y.set(io.a.shr(3)), { a: input(SInt(8)), y: output(SInt(8)) });
    expect(lines).toEqual(['  assign y = {{3{a[7]}}, a[7:3]};']);
  });
  it('puts a dynamic arithmetic shift in its own temporary', () => {
    const lines = body((m, io: any) => io.y.set(io.a.shr(io.s).xor(io.a)), { a: input(SInt(8)), s: input(UInt(3)), y: output(SInt(8)) });
    expect(lines).toEqual(['  assign y = _t0 ^ a;', '  assign _t0 = $signed(a) >>> s;']);
  });
  it('extends explicitly by concatenation before an expanding add or multiply', () => {
    const lines = body((m, io: any) => io.y.set(io.a.mulExpand(io.b)), { a: input(SInt(4)), b: input(SInt(4)), y: output(SInt(8)) });
    expect(lines).toEqual(['  assign y = {{4{a[3]}}, a} * {{4{b[3]}}, b};']);
    const add = body((m, io: any) => io.y.set(io.a.addExpand(io.b)), { a: input(UInt(4)), b: input(UInt(6)), y: output(UInt(7)) });
    expect(add).toEqual(["  assign y = {3'd0, a} + {1'd0, b};"]);
  });
  it('prints a wide concatenation of many whole signals part by part in always_comb (linear in Verilator)', () => {
    const nine = Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`p${i}`, input(UInt(8))]));
    const text = (io: Record<string, unknown>, parts: number) => {
      const def = defineModule({ name: 'T', io: () => io as any, body: (m, x: any) => x.y.set(cat(...Array.from({ length: parts }, (_, i) => x[`p${parts - 1 - i}`]))) });
      return emitModule(elaborate(def, {}).modules[0], { locators: false }).text;
    };
    expect(text({ ...nine, y: output(UInt(72)) }, 9)).toContain(
      ['  always_comb begin', ...Array.from({ length: 9 }, (_, i) => `    y[${8 * i + 7}:${8 * i}] = p${i};`), '  end', 'endmodule'].join('\n'),
    );
    // 64 bits or fewer (one machine word in Verilator), or fewer than 8 parts: one assign
    const eight = Object.fromEntries(Object.entries(nine).slice(0, 8));
    expect(text({ ...eight, y: output(UInt(64)) }, 8)).toContain('  assign y = {p7, p6, p5, p4, p3, p2, p1, p0};');
  });
  it('keeps a wide concatenation whose parts read selects as one assign (Icarus cannot read constant selects in always_*)', () => {
    const def = defineModule({
      name: 'T',
      io: () => ({ v: input(UInt(80)), y: output(UInt(80)) }),
      body: (m, io) => io.y.set(cat(...Array.from({ length: 10 }, (_, i) => io.v.slice(8 * i + 7, 8 * i)))),
    });
    const text = emitModule(elaborate(def, {}).modules[0], { locators: false }).text;
    expect(text).not.toContain('always_comb');
    expect(text).toContain('  assign y = {v[7:0], v[15:8], v[23:16], v[31:24], v[39:32], v[47:40], v[55:48], v[63:56], v[71:64], v[79:72]};');
  });
  it('slices only names: a slice of an expression goes through a temporary', () => {
    const lines = body((m, io: any) => io.y.set(io.a.add(io.b).slice(5, 2)), { a: input(UInt(8)), b: input(UInt(8)), y: output(UInt(4)) });
    expect(lines).toEqual(['  assign y = _t0[5:2];', '  assign _t0 = a + b;']);
  });
  it('prints mux, concatenation and reductions', () => {
    const lines = body((m, io: any) => io.y.set(mux(io.c, cat(io.a.orR(), io.b), cat(io.a.xorR(), io.b.not()))), {
      a: input(UInt(4)),
      b: input(UInt(3)),
      c: input(Bool()),
      y: output(UInt(4)),
    });
    expect(lines).toEqual(['  assign y = c ? {|a, b} : {^a, ~b};']);
  });
  it('folds operators on constants', () => {
    const lines = body((m, io: any) => io.y.set(io.a.add(lit(5, UInt(8)).add(3))), { a: input(UInt(8)), y: output(UInt(8)) });
    expect(lines).toEqual(["  assign y = a + 8'd8;"]);
  });
});
