import { describe, expect, it } from 'vitest';
import { Bool, SInt, UInt, defineBlackbox, defineModule, elaborate, input, output } from '../../../hdl-gen/index.ts';
import { Counter } from '../../../hdl-gen/examples/counter.ts';
import { IrSimulator, ReferenceInterpreter, SimulatorError } from '../../../verif/sim/index.ts';

describe('counter example', () => {
  it('counts while enabled, holds while disabled, wraps with a wrap flag', () => {
    const sim = new IrSimulator(elaborate(Counter, { width: 4 }));
    sim.reset();
    expect(sim.peek('count')).toBe(0n);
    sim.poke('en', 1);
    for (let i = 0; i < 40; i++) {
      expect(sim.peek('count')).toBe(BigInt(i % 16));
      expect(sim.peek('wrap')).toBe(i % 16 === 15 ? 1n : 0n);
      sim.step();
    }
    sim.poke('en', 0);
    const held = sim.peek('count');
    sim.step(5);
    expect(sim.peek('count')).toBe(held);
    expect(sim.peek('wrap')).toBe(0n);
    expect(sim.peekInternal('value')).toBe(held);
  });

  it('runs 200k cycles and wraps a 16-bit count', () => {
    const sim = new IrSimulator(elaborate(Counter, { width: 16 }));
    sim.reset(2);
    sim.poke('en', 1);
    sim.step(200_000);
    expect(sim.peek('count')).toBe(BigInt(200_000 % 65536));
    expect(sim.cycle).toBe(200_002);
  });

  it('a 48-bit counter (BigInt path) counts', () => {
    const sim = new IrSimulator(elaborate(Counter, { width: 48 }));
    sim.reset();
    sim.poke('en', 1);
    sim.step(1000);
    expect(sim.peek('count')).toBe(1000n);
  });

  it('a 64-bit counter carries across bit 32 and wraps at 2^64', () => {
    const Wide = defineModule({
      name: 'Wide',
      io: () => ({ count: output(UInt(64)) }),
      body: (m, io) => {
        const v = m.reg('v', UInt(64), { init: 2n ** 32n - 2n });
        v.set(v.add(1));
        io.count.set(v);
      },
    });
    const sim = new IrSimulator(elaborate(Wide, {}));
    sim.reset();
    sim.step(5);
    expect(sim.peek('count')).toBe(2n ** 32n + 3n);
    const Wrap = defineModule({
      name: 'Wrap',
      io: () => ({ count: output(UInt(64)) }),
      body: (m, io) => {
        const v = m.reg('v', UInt(64), { init: 2n ** 64n - 2n });
        v.set(v.add(1));
        io.count.set(v);
      },
    });
    const w = new IrSimulator(elaborate(Wrap, {}));
    w.reset();
    w.step(3);
    expect(w.peek('count')).toBe(1n);
  });
});

const EnReg = defineModule({
  name: 'EnReg',
  io: () => ({ en: input(Bool()), d: input(UInt(8)), q: output(UInt(8)), qn: output(UInt(8)) }),
  body: (m, io) => {
    const r = m.reg('r', UInt(8), { init: 5, enable: io.en });
    r.set(io.d);
    const rn = m.reg('rn', UInt(8)); // no reset, conditional update (holds otherwise)
    m.when(io.en, () => rn.set(io.d));
    io.q.set(r);
    io.qn.set(rn);
  },
});

describe('registers', () => {
  it('enable holds, loads when high; reset wins over enable; no-reset registers ignore reset', () => {
    const sim = new IrSimulator(elaborate(EnReg, {}));
    // Verilator's initial state without randomization: everything 0, even registers with a reset value.
    expect(sim.peek('q')).toBe(0n);
    expect(sim.peek('qn')).toBe(0n);
    sim.reset();
    expect(sim.peek('q')).toBe(5n);
    expect(sim.peek('qn')).toBe(0n);
    sim.poke('d', 42);
    sim.step();
    expect(sim.peek('q')).toBe(5n); // en low: hold
    sim.poke('en', 1);
    expect(sim.peek('q')).toBe(5n); // registered: no change before the edge
    sim.step();
    expect(sim.peek('q')).toBe(42n);
    expect(sim.peek('qn')).toBe(42n);
    sim.poke('en', 0);
    sim.poke('d', 7);
    sim.step(3);
    expect(sim.peek('q')).toBe(42n);
    sim.poke('rst', 1); // sync reset with enable low: reset still applies at the edge
    expect(sim.peek('q')).toBe(42n);
    sim.step();
    expect(sim.peek('q')).toBe(5n);
    expect(sim.peek('qn')).toBe(42n);
  });
});

const Resets = defineModule({
  name: 'Resets',
  io: () => ({ d: input(UInt(8)), qs: output(UInt(8)), qa: output(UInt(8)), qb: output(SInt(70)) }),
  body: (m, io) => {
    const a = m.domain('a', { clock: 'clk_a', reset: 'arst', resetKind: 'async' });
    const b = m.domain('b', { clock: 'clk_b', reset: 'arst_n', resetKind: 'async', resetActiveLow: true });
    const rs = m.reg('rs', UInt(8), { init: 1 });
    const ra = m.reg('ra', UInt(8), { init: 2, domain: a });
    const rb = m.reg('rb', SInt(70), { init: -3, domain: b });
    rs.set(io.d);
    ra.set(io.d);
    rb.set(io.d.asSInt().sext(70));
    io.qs.set(rs);
    io.qa.set(ra);
    io.qb.set(rb);
  },
});

describe('resets', () => {
  it('sync reset acts at the edge, async reset immediately and stays until the next edge', () => {
    const sim = new IrSimulator(elaborate(Resets, {}));
    sim.poke('arst_n', 1);
    sim.poke('d', 100);
    sim.step();
    expect([sim.peek('qs'), sim.peek('qa'), sim.peek('qb')]).toEqual([100n, 100n, 100n]);
    sim.poke('rst', 1);
    sim.poke('arst', 1);
    expect(sim.peek('qs')).toBe(100n); // sync: waits for the edge
    expect(sim.peek('qa')).toBe(2n); // async: immediately
    sim.poke('arst', 0);
    expect(sim.peek('qa')).toBe(2n); // released without an edge: keeps the reset value
    sim.step();
    expect(sim.peek('qs')).toBe(1n);
    expect(sim.peek('qa')).toBe(100n);
    sim.poke('arst_n', 0); // active-low async
    expect(sim.peek('qb')).toBe((1n << 70n) - 3n);
    sim.step(2);
    expect(sim.peek('qb')).toBe((1n << 70n) - 3n);
    sim.poke('arst_n', 1);
    sim.poke('d', 0xff);
    sim.step();
    expect(sim.peek('qb')).toBe((1n << 70n) - 1n); // -1 sign-extended
  });

  it('an async reset already active at the first settle acts at the first clock edge (as in Verilator)', () => {
    const sim = new IrSimulator(elaborate(Resets, {}));
    sim.poke('arst', 1);
    // arst_n is left at its initial 0 (active). Verilator's first eval() sees no reset edge.
    expect([sim.peek('qa'), sim.peek('qb')]).toEqual([0n, 0n]);
    sim.step();
    expect([sim.peek('qa'), sim.peek('qb')]).toEqual([2n, (1n << 70n) - 3n]);
    // A pulse poked and withdrawn between two settles is not seen (no eval in between).
    sim.poke('arst', 0);
    sim.poke('arst_n', 1);
    sim.poke('d', 4);
    sim.step();
    sim.poke('arst', 1);
    sim.poke('arst', 0);
    expect(sim.peek('qa')).toBe(4n);
  });

  it('reset() drives every reset at its active level for n edges and releases it', () => {
    const sim = new IrSimulator(elaborate(Resets, {}));
    sim.poke('arst_n', 1);
    sim.poke('d', 9);
    sim.step(4);
    sim.reset(3);
    expect(sim.cycle).toBe(7);
    expect([sim.peek('rst'), sim.peek('arst'), sim.peek('arst_n')]).toEqual([0n, 0n, 1n]);
    expect([sim.peek('qs'), sim.peek('qa'), sim.peek('qb')]).toEqual([1n, 2n, (1n << 70n) - 3n]);
    sim.step();
    expect([sim.peek('qs'), sim.peek('qa'), sim.peek('qb')]).toEqual([9n, 9n, 9n]);
  });

  it('all clock domains tick together on step()', () => {
    const sim = new IrSimulator(elaborate(Resets, {}));
    sim.reset();
    sim.poke('d', 3);
    sim.step();
    expect([sim.peek('qs'), sim.peek('qa'), sim.peek('qb')]).toEqual([3n, 3n, 3n]);
  });
});

const Mem = defineModule({
  name: 'Mem',
  io: (p: { depth: number; aw: number }) => ({
    we: input(Bool()),
    wa: input(UInt(p.aw)),
    wd: input(UInt(16)),
    ra: input(UInt(p.aw)),
    re: input(Bool()),
    ard: output(UInt(16)),
    srd: output(UInt(16)),
    srde: output(UInt(16)),
  }),
  body: (m, io, p) => {
    const mem = m.memory('mem', { type: UInt(16), depth: p.depth, init: [10, 11, 12] });
    m.when(io.we, () => mem.write(io.wa, io.wd));
    io.ard.set(mem.read(io.ra));
    io.srd.set(mem.readSync(io.ra));
    io.srde.set(mem.readSync(io.ra, { enable: io.re }));
  },
});

describe('memories', () => {
  it('init contents, async read, sync read latency, read enable, read-during-write returns old data', () => {
    const sim = new IrSimulator(elaborate(Mem, { depth: 16, aw: 4 }));
    sim.poke('ra', 1);
    expect(sim.peek('ard')).toBe(11n); // async: combinational
    expect(sim.peek('srd')).toBe(0n); // sync port: nothing captured yet
    sim.step();
    expect(sim.peek('srd')).toBe(11n);
    expect(sim.peek('srde')).toBe(0n); // enable low: holds
    sim.poke('re', 1);
    sim.poke('ra', 2);
    sim.step();
    expect([sim.peek('srd'), sim.peek('srde')]).toEqual([12n, 12n]);
    // Write and read the same address in the same cycle.
    sim.poke('we', 1);
    sim.poke('wa', 2);
    sim.poke('wd', 500);
    expect(sim.peek('ard')).toBe(12n); // not written before the edge
    sim.step();
    expect(sim.peek('srd')).toBe(12n); // old data
    expect(sim.peek('ard')).toBe(500n); // async read sees the new word after the edge
    sim.poke('we', 0);
    sim.step();
    expect(sim.peek('srd')).toBe(500n);
    sim.poke('re', 0);
    sim.poke('ra', 0);
    sim.step();
    expect([sim.peek('srd'), sim.peek('srde')]).toEqual([10n, 500n]);
    expect(sim.peekMemory('mem', 2)).toBe(500n);
    expect(sim.peekMemory('mem', 15)).toBe(0n);
  });

  it('non-power-of-two depth: out-of-range reads give 0, writes are dropped (as in Verilator)', () => {
    const sim = new IrSimulator(elaborate(Mem, { depth: 5, aw: 3 }));
    const before = [0, 1, 2, 3, 4].map((i) => sim.peekMemory('mem', i));
    for (const a of [5, 6, 7]) {
      sim.poke('ra', a);
      sim.poke('we', 1);
      sim.poke('wa', a);
      sim.poke('wd', 0xbeef);
      sim.poke('re', 1);
      expect(sim.peek('ard')).toBe(0n);
      sim.step();
      expect([sim.peek('ard'), sim.peek('srd'), sim.peek('srde')]).toEqual([0n, 0n, 0n]);
    }
    expect([0, 1, 2, 3, 4].map((i) => sim.peekMemory('mem', i))).toEqual(before);
    sim.poke('wa', 4);
    sim.poke('ra', 4);
    sim.step();
    expect(sim.peek('ard')).toBe(0xbeefn);
  });

  it('pokeMemory is a backdoor write', () => {
    const sim = new IrSimulator(elaborate(Mem, { depth: 16, aw: 4 }));
    sim.pokeMemory('mem', 7, 1234);
    sim.poke('ra', 7);
    expect(sim.peek('ard')).toBe(1234n);
    expect(() => sim.pokeMemory('mem', 16, 1)).toThrow(/out of range/);
  });
});

// ---- hierarchy -----------------------------------------------------------------------------------
const Acc = defineModule({
  name: 'Acc',
  io: (p: { w: number }) => ({ x: input(UInt(p.w)), sum: output(UInt(p.w)), comb: output(UInt(p.w)) }),
  body: (m, io, p) => {
    const acc = m.reg('acc', UInt(p.w), { init: 0 });
    acc.set(acc.add(io.x));
    io.sum.set(acc);
    io.comb.set(acc.add(io.x)); // combinational path through the instance
  },
});

const Mid = defineModule({
  name: 'Mid',
  io: () => ({ a: input(UInt(8)), b: input(UInt(8)), s: output(UInt(8)), t: output(UInt(40)) }),
  body: (m, io) => {
    const l0 = m.instance('u_l0', Acc, { w: 8 });
    const l1 = m.instance('u_l1', Acc, { w: 8 });
    const wide = m.instance('u_w', Acc, { w: 40 });
    l0.io.x.set(io.a);
    l1.io.x.set(l0.io.comb.xor(io.b));
    wide.io.x.set(l1.io.sum.zext(40).shlExpand(8).trunc(40));
    io.s.set(l0.io.sum.add(l1.io.sum));
    io.t.set(wide.io.comb);
  },
});

const Top2 = defineModule({
  name: 'Top2',
  io: () => ({ a: input(UInt(8)), b: input(UInt(8)), s: output(UInt(8)), t: output(UInt(40)), u: output(UInt(8)) }),
  body: (m, io) => {
    const mid = m.instance('u_mid', Mid, {});
    const leaf = m.instance('u_leaf', Acc, { w: 8 });
    mid.io.a.set(io.a);
    mid.io.b.set(io.b);
    leaf.io.x.set(mid.io.s);
    io.s.set(mid.io.s);
    io.t.set(mid.io.t);
    io.u.set(leaf.io.sum);
  },
});

describe('hierarchy', () => {
  it('a two-level instance tree matches a JS model and the reference interpreter', () => {
    const design = elaborate(Top2, {});
    const sim = new IrSimulator(design);
    const ref = new ReferenceInterpreter(design);
    for (const s of [sim, ref]) s.reset();
    let l0 = 0;
    let l1 = 0;
    let w = 0n;
    let leaf = 0;
    for (let c = 0; c < 300; c++) {
      const a = (c * 37 + 5) & 255;
      const b = (c * 11) & 255;
      for (const s of [sim, ref]) {
        s.poke('a', a);
        s.poke('b', b);
      }
      const l0comb = (l0 + a) & 255;
      const s = (l0 + l1) & 255;
      expect(sim.peek('s')).toBe(BigInt(s));
      expect(sim.peek('t')).toBe((w + (BigInt(l1) << 8n)) & ((1n << 40n) - 1n));
      expect(sim.peek('u')).toBe(BigInt(leaf));
      expect(sim.peekInternal('u_mid.u_l0.acc')).toBe(BigInt(l0));
      expect(sim.peekInternal('u_mid.u_l1.x')).toBe(BigInt(l0comb ^ b));
      expect(sim.peekInternal('u_mid.u_w.acc')).toBe(w);
      expect(sim.peekInternal('u_leaf.acc')).toBe(BigInt(leaf));
      for (const p of sim.signalPaths()) expect(sim.peekInternal(p), p).toBe(ref.peekInternal(p));
      // next state
      const nl1 = (l1 + (l0comb ^ b)) & 255;
      w = (w + (BigInt(l1) << 8n)) & ((1n << 40n) - 1n);
      leaf = (leaf + s) & 255;
      l0 = l0comb;
      l1 = nl1;
      sim.step();
      ref.step();
    }
  });

  it('exposes instance ports and internal names by path', () => {
    const sim = new IrSimulator(elaborate(Top2, {}));
    const paths = sim.signalPaths();
    for (const p of ['a', 'u_mid_a', 'u_mid.u_l0.acc', 'u_mid.u_l0_comb', 'u_mid.u_w.sum', 'u_leaf.x', 'clk', 'rst', 'u_mid.clk']) expect(paths).toContain(p);
    expect(() => sim.peekInternal('u_mid.nope')).toThrow(/no signal 'u_mid.nope'/);
  });
});

// ---- errors and API -----------------------------------------------------------------------------------
const Bb = defineBlackbox({ name: 'vendor_ram', io: () => ({ a: input(UInt(4)), q: output(UInt(4)) }) });
const WithBb = defineModule({
  name: 'WithBb',
  io: () => ({ a: input(UInt(4)), q: output(UInt(4)) }),
  body: (m, io) => {
    const bb = m.instance('u_ram', Bb, {});
    bb.io.a.set(io.a);
    io.q.set(bb.io.q);
  },
});

describe('API and errors', () => {
  it('rejects blackboxes with a clear error naming them', () => {
    const design = elaborate(WithBb, {});
    expect(() => new IrSimulator(design)).toThrow(/instance 'u_ram' of blackbox 'vendor_ram'/);
  });

  it('checks poke targets and values', () => {
    const sim = new IrSimulator(elaborate(Counter, { width: 4 }));
    expect(() => sim.poke('clk', 1)).toThrow(/clock/);
    expect(() => sim.poke('count', 1)).toThrow(/output/);
    expect(() => sim.poke('nope', 1)).toThrow(SimulatorError);
    expect(() => sim.poke('en', 2)).toThrow(/does not fit 1 bits/);
    expect(() => sim.poke('en', 0.5)).toThrow(/safe integer/);
    sim.poke('en', -1); // two's complement of a 1-bit value
    expect(sim.peek('en')).toBe(1n);
    expect(sim.peekNumber('en')).toBe(1);
  });

  it('accepts negative pokes within the signed range of wide ports', () => {
    const sim = new IrSimulator(elaborate(Resets, {}));
    sim.poke('arst_n', 1);
    sim.poke('d', -1);
    expect(sim.peek('d')).toBe(255n);
    expect(() => sim.poke('d', -129)).toThrow(/does not fit/);
  });

  it('step(0) is a no-op and the cycle counter counts edges', () => {
    const sim = new IrSimulator(elaborate(Counter, { width: 4 }));
    sim.step(0);
    expect(sim.cycle).toBe(0);
    sim.step(3);
    sim.reset(2);
    expect(sim.cycle).toBe(5);
  });
});
