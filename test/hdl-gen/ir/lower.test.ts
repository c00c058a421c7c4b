/**
 * Lowering: `when` expansion into mux chains, partial (bit-range) assignments, last assignment wins.
 * Designs are simulated with a tiny evaluator built on `evalOp` (see ../core/support.ts).
 */
import { describe, expect, it } from 'vitest';
import { Bool, SInt, UInt, Vec, defineModule, input, output, type IoSpec, type IoViews, type ModuleBuilder } from '../../../hdl-gen/index.ts';
import { elaborateModule, newContext } from '../../../hdl-gen/core/module.ts';
import { lowerModule, type LowerResult } from '../../../hdl-gen/ir/lower.ts';
import type { IrModule, IrNode } from '../../../hdl-gen/ir/ir.ts';
import { build, evalModule, locator, moduleOf } from '../core/support.ts';

const loc = locator(import.meta.url);

/** Elaborates and lowers the top module only (no checks), for looking at IR the checks would refuse. */
function lowerOnly<S extends IoSpec>(name: string, io: () => S, body: (m: ModuleBuilder, io: IoViews<S>) => void): LowerResult {
  const def = defineModule({ name, io, body });
  const ctx = newContext();
  const ast = elaborateModule(def, {}, ctx, def.loc);
  return lowerModule(ast);
}

const byName = (m: IrModule, name: string): IrNode => m.nodes.find((n) => n.name === name)!;
const driver = (m: IrModule, name: string): IrNode => m.nodes[byName(m, name).args[0]];
const fmtLoc = (l: { file: string; line: number; col: number }) => `${l.file}:${l.line}:${l.col}`;

/** All combinations of 1-bit inputs. */
function combos(names: string[]): Record<string, number>[] {
  return Array.from({ length: 1 << names.length }, (_, k) => Object.fromEntries(names.map((n, i) => [n, (k >> i) & 1])));
}

describe('when / elsewhen / otherwise expansion', () => {
  it('becomes a mux chain in priority order', () => {
    const d = build('Chain', () => ({ a: input(Bool()), b: input(Bool()), y: output(UInt(4)) }), (m, io) => {
      m.when(io.a, () => io.y.set(1))
        .elsewhen(io.b, () => io.y.set(2))
        .otherwise(() => io.y.set(3));
    });
    const m = moduleOf(d);
    const top = driver(m, 'y');
    expect(top.op).toBe('mux');
    expect(m.nodes[top.args[0]].name).toBe('a');
    expect(m.nodes[top.args[1]]).toMatchObject({ op: 'const', value: 1n });
    const inner = m.nodes[top.args[2]];
    expect(inner.op).toBe('mux');
    expect(m.nodes[inner.args[0]].name).toBe('b');
    expect(m.nodes[inner.args[1]]).toMatchObject({ op: 'const', value: 2n });
    expect(m.nodes[inner.args[2]]).toMatchObject({ op: 'const', value: 3n });
    for (const c of combos(['a', 'b'])) expect(evalModule(m, c).y).toBe(c.a ? 1n : c.b ? 2n : 3n);
  });
  it('the mux of a when carries the location of the when', () => {
    const d = build('ChainLoc', () => ({ a: input(Bool()), y: output(UInt(4)) }), (m, io) => {
      io.y.set(0);
      m.when(io.a, () => io.y.set(1)); // @mux-when
    });
    expect(fmtLoc(driver(moduleOf(d), 'y').loc)).toBe(loc('mux-when', 'when('));
  });
  it('nested whens under a default', () => {
    const d = build('Nested', () => ({ a: input(Bool()), b: input(Bool()), c: input(Bool()), y: output(UInt(4)) }), (m, io) => {
      io.y.set(0);
      m.when(io.a, () => {
        m.when(io.b, () => io.y.set(1)).otherwise(() => {
          m.when(io.c, () => io.y.set(2));
        });
      }).otherwise(() => io.y.set(3));
    });
    const m = moduleOf(d);
    for (const c of combos(['a', 'b', 'c'])) expect(evalModule(m, c).y).toBe(c.a ? (c.b ? 1n : c.c ? 2n : 0n) : 3n);
  });
  it('last assignment in program order wins', () => {
    const d = build('Last', () => ({ a: input(Bool()), b: input(Bool()), y: output(UInt(4)), z: output(UInt(4)) }), (m, io) => {
      io.y.set(0);
      m.when(io.a, () => io.y.set(1));
      m.when(io.b, () => io.y.set(2));
      io.z.set(0);
      m.when(io.a, () => {
        io.z.set(5);
        m.when(io.b, () => io.z.set(6));
      });
    });
    const m = moduleOf(d);
    for (const c of combos(['a', 'b'])) {
      const r = evalModule(m, c);
      expect(r.y).toBe(c.b ? 2n : c.a ? 1n : 0n);
      expect(r.z).toBe(c.a ? (c.b ? 6n : 5n) : 0n);
    }
  });
  it('a switch is a chain of equality compares, first match wins', () => {
    const d = build('Sw', () => ({ s: input(UInt(2)), y: output(UInt(4)) }), (m, io) => {
      io.y.set(15);
      m.switch(io.s)
        .is(1, () => io.y.set(1))
        .is(2, () => io.y.set(2));
    });
    const m = moduleOf(d);
    expect([0, 1, 2, 3].map((s) => evalModule(m, { s }).y)).toEqual([15n, 1n, 2n, 15n]);
  });
  it('the driver location is the last assignment in program order', () => {
    const d = build('DrvLoc', () => ({ a: input(Bool()), y: output(UInt(4)) }), (m, io) => {
      io.y.set(0);
      m.when(io.a, () => io.y.set(1)); // @last-set
    });
    const y = byName(moduleOf(d), 'y');
    expect(y.driverLoc && fmtLoc(y.driverLoc)).toBe(loc('last-set', 'set('));
  });
});

describe('partial (bit-range) assignments', () => {
  it('elements of a vector wire assigned separately merge into one driver', () => {
    const d = build('Parts', () => ({ c: input(Bool()), y: output(UInt(16)) }), (m, io) => {
      const v = m.wire('v', Vec(UInt(4), 4));
      for (let i = 0; i < 4; i++) v.at(i).set(i + 1);
      m.when(io.c, () => v.at(2).set(0xf));
      io.y.set(v.asBits().asUInt());
    });
    const m = moduleOf(d);
    const drv = driver(m, 'v');
    expect(drv.op).toBe('concat');
    expect(drv.args.map((a) => m.nodes[a].op)).toEqual(['const', 'mux', 'const', 'const']); // MSB first: v[3], v[2], v[1], v[0]
    expect(evalModule(m, { c: 0 }).y).toBe(0x4321n);
    expect(evalModule(m, { c: 1 }).y).toBe(0x4f21n);
  });
  it('an element override of a whole default keeps the other bits of the default', () => {
    const d = build('Override', () => ({ c: input(Bool()), a: input(Vec(UInt(4), 4)), y: output(Vec(UInt(4), 4)) }), (m, io) => {
      io.y.set(io.a);
      m.when(io.c, () => io.y.at(1).set(5));
    });
    const m = moduleOf(d);
    expect(evalModule(m, { c: 0, a: 0xabcd }).y).toBe(0xabcdn);
    expect(evalModule(m, { c: 1, a: 0xabcd }).y).toBe(0xab5dn);
  });
  it('a whole assignment in a when overrides element defaults', () => {
    const d = build('Whole', () => ({ c: input(Bool()), a: input(Vec(UInt(4), 2)), y: output(Vec(UInt(4), 2)) }), (m, io) => {
      io.y.at(0).set(1);
      io.y.at(1).set(2);
      m.when(io.c, () => io.y.set(io.a));
    });
    const m = moduleOf(d);
    expect(evalModule(m, { c: 0, a: 0x9e }).y).toBe(0x21n);
    expect(evalModule(m, { c: 1, a: 0x9e }).y).toBe(0x9en);
  });
  it('different elements assigned in the two branches of a when', () => {
    const d = build('Branches', () => ({ c: input(Bool()), y: output(Vec(UInt(4), 2)) }), (m, io) => {
      io.y.at(0).set(1);
      io.y.at(1).set(2);
      m.when(io.c, () => io.y.at(0).set(7)).otherwise(() => io.y.at(1).set(8));
    });
    const m = moduleOf(d);
    expect(evalModule(m, { c: 1 }).y).toBe(0x27n);
    expect(evalModule(m, { c: 0 }).y).toBe(0x81n);
  });
  it('a dynamic index write decodes the index', () => {
    const d = build('Dyn', () => ({ i: input(UInt(2)), x: input(UInt(4)), y: output(Vec(UInt(4), 3)) }), (m, io) => {
      for (let k = 0; k < 3; k++) io.y.at(k).set(0);
      io.y.at(io.i).set(io.x);
    });
    const m = moduleOf(d);
    expect([0, 1, 2, 3].map((i) => evalModule(m, { i, x: 9 }).y)).toEqual([0x009n, 0x090n, 0x900n, 0x000n]);
  });
  it('a dynamic write with an index narrower than the vector reaches only the low elements', () => {
    const d = build('DynNarrow', () => ({ i: input(UInt(1)), x: input(UInt(4)), y: output(Vec(UInt(4), 3)) }), (m, io) => {
      for (let k = 0; k < 3; k++) io.y.at(k).set(0);
      io.y.at(io.i).set(io.x);
    });
    const m = moduleOf(d);
    expect([0, 1].map((i) => evalModule(m, { i, x: 9 }).y)).toEqual([0x009n, 0x090n]);
  });
  it('register elements not assigned hold their value', () => {
    const d = build('RegVec', () => ({ c: input(Bool()), x: input(UInt(4)), y: output(Vec(UInt(4), 2)) }), (m, io) => {
      const r = m.reg('r', Vec(UInt(4), 2), { init: 0 });
      m.when(io.c, () => r.at(1).set(io.x));
      io.y.set(r);
    });
    const m = moduleOf(d);
    expect(evalModule(m, { c: 1, x: 7 }, { r: 0x35 })['next:r']).toBe(0x75n);
    expect(evalModule(m, { c: 0, x: 7 }, { r: 0x35 })['next:r']).toBe(0x35n);
  });
});

describe('other lowering rules', () => {
  it('a register assigned under a when holds otherwise', () => {
    const d = build('Hold', () => ({ en: input(Bool()), x: input(SInt(4)), y: output(SInt(4)) }), (m, io) => {
      const r = m.reg('r', SInt(4), { init: -1 });
      m.when(io.en, () => r.set(io.x));
      io.y.set(r);
    });
    const m = moduleOf(d);
    const r = byName(m, 'r');
    expect(r).toMatchObject({ op: 'reg', signed: true, init: 15n });
    expect(evalModule(m, { en: 1, x: 3 }, { r: 9 })['next:r']).toBe(3n);
    expect(evalModule(m, { en: 0, x: 3 }, { r: 9 })['next:r']).toBe(9n);
  });
  it('memory write enables are the conjunction of the enclosing when conditions', () => {
    const d = build('MemEn', () => ({ a: input(Bool()), b: input(Bool()), d: input(UInt(8)), q: output(UInt(8)) }), (m, io) => {
      const mem = m.memory('mem', { type: UInt(8), depth: 2 });
      m.when(io.a, () => {}).otherwise(() => {
        m.when(io.b, () => mem.write(io.a.asUInt(), io.d));
      });
      io.q.set(mem.read(io.b.asUInt()));
    });
    const m = moduleOf(d);
    const w = m.memories[0].writes[0];
    const enName = '__en';
    const probe: IrModule = { ...m, nodes: [...m.nodes, { ...m.nodes[w.enable], id: m.nodes.length, op: 'wire', args: [w.enable], name: enName } as IrNode] };
    for (const c of combos(['a', 'b'])) expect(evalModule(probe, { ...c, d: 0 })[enName]).toBe(!c.a && c.b ? 1n : 0n);
  });
  it('an unconditional memory write has a constant-1 enable', () => {
    const d = build('MemEn1', () => ({ a: input(UInt(1)), d: input(UInt(8)), q: output(UInt(8)) }), (m, io) => {
      const mem = m.memory('mem', { type: UInt(8), depth: 2 });
      mem.write(io.a, io.d);
      io.q.set(mem.read(io.a));
    });
    const m = moduleOf(d);
    expect(m.nodes[m.memories[0].writes[0].enable]).toMatchObject({ op: 'const', value: 1n, width: 1 });
  });
  it('structurally equal expressions share one node (hash-consing)', () => {
    const d = build('Hash', () => ({ a: input(UInt(4)), b: input(UInt(4)), y: output(UInt(4)), z: output(UInt(4)) }), (_m, io) => {
      io.y.set(io.a.add(io.b));
      io.z.set(io.a.add(io.b));
    });
    const m = moduleOf(d);
    expect(byName(m, 'y').args[0]).toBe(byName(m, 'z').args[0]);
    expect(m.nodes.filter((n) => n.op === 'add')).toHaveLength(1);
  });
  it('ports carry direction, width, signedness and clock/reset roles', () => {
    const d = build('Ports', () => ({ a: input(SInt(3)), y: output(SInt(3)) }), (m, io) => io.y.set(m.regNext('r', io.a, { init: 0 })));
    expect(moduleOf(d).ports.map((p) => [p.name, p.dir, p.width, p.signed, p.role ?? null])).toEqual([
      ['a', 'input', 3, true, null],
      ['y', 'output', 3, true, null],
      ['clk', 'input', 1, false, 'clock'],
      ['rst', 'input', 1, false, 'reset'],
    ]);
  });
  it('undriven bits become placeholders: never (undriven) and partial (latch, with the when location)', () => {
    const r = lowerOnly('Holes', () => ({ c: input(Bool()), y: output(UInt(4)), z: output(UInt(4)) }), (m, io) => {
      m.when(io.c, () => io.z.set(1)); // @hole-when
    });
    const m = r.module;
    const holes = m.nodes.filter((n) => n.op === 'undriven');
    const y = byName(m, 'y');
    const z = byName(m, 'z');
    expect(holes.find((h) => h.undriven!.target === y.id)?.undriven).toEqual({ reason: 'never', target: y.id });
    const partial = holes.find((h) => h.undriven!.target === z.id)!;
    expect(partial.undriven!.reason).toBe('partial');
    expect(fmtLoc(partial.undriven!.whenLoc!)).toBe(loc('hole-when', 'when('));
    expect(r.diagnostics).toEqual([]);
  });
  it('lowering reports two drivers in one block as a diagnostic (it does not throw)', () => {
    const r = lowerOnly('Two', () => ({ y: output(UInt(4)) }), (_m, io) => {
      io.y.set(1);
      io.y.set(2);
    });
    expect(r.diagnostics.map((d) => [d.check, d.message])).toEqual([['multiple-drivers', "'y' is driven twice in the same block"]]);
  });
  it('instance connections list clock bindings first, then the ports', () => {
    const Child = defineModule({ name: 'Ch', io: () => ({ a: input(UInt(2)), y: output(UInt(2)) }), body: (m, io) => io.y.set(m.regNext('r', io.a, { init: 0 })) });
    const d = build('Par', () => ({ a: input(UInt(2)), y: output(UInt(2)) }), (m, io) => {
      const u = m.instance('u', Child, {});
      u.io.a.set(io.a);
      io.y.set(u.io.y);
    });
    const top = moduleOf(d);
    expect(top.instances[0].connections.map((c) => `${c.dir} ${c.port}=${top.nodes[c.node].name}`)).toEqual(['input clk=clk', 'input rst=rst', 'input a=u_a', 'output y=u_y']);
  });
});
