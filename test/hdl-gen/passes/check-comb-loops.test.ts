import { describe, expect, it } from 'vitest';
import { Bool, UInt, Vec, defineBlackbox, defineModule, input, output } from '../../../hdl-gen/index.ts';
import { checkCombLoops } from '../../../hdl-gen/passes/check-comb-loops.ts';
import { build, diag, evalModule, expectElabError, locator, moduleOf } from '../core/support.ts';

const loc = locator(import.meta.url);
const HELP = 'break the loop with a register (m.reg / m.regNext), or compute the value from signals outside the loop';

const CombChild = defineModule({ name: 'CombChild', io: () => ({ a: input(UInt(2)), b: input(UInt(2)), y: output(UInt(2)) }), body: (_m, io) => io.y.set(io.a.add(1)) });
const RegChild = defineModule({ name: 'RegChild', io: () => ({ a: input(UInt(2)), y: output(UInt(2)) }), body: (m, io) => io.y.set(m.regNext('r', io.a, { init: 0 })) });

describe('comb-loop', () => {
  it('a loop through two wires names both, located at the first declaration', () => {
    const e = expectElabError(() =>
      build('WireLoop', () => ({ y: output(UInt(2)) }), (m, io) => {
        const a = m.wire('a', UInt(2)); // @a
        const b = m.wire('b', UInt(2)); // @b
        a.set(b.add(1));
        b.set(a);
        io.y.set(a);
      }),
    );
    expect(e.message).toBe(diag(loc('a', 'wire('), 'comb-loop', "combinational loop in module 'WireLoop': a -> b -> a", [[loc('b', 'wire('), "'b' is part of the loop"]], HELP));
  });
  it('a wire that depends on itself', () => {
    const e = expectElabError(() =>
      build('SelfLoop', () => ({ y: output(UInt(2)) }), (m, io) => {
        const w = m.wire('w', UInt(2)); // @self
        w.set(w.add(1));
        io.y.set(w);
      }),
    );
    expect(e.message).toBe(diag(loc('self', 'wire('), 'comb-loop', "combinational loop in module 'SelfLoop': w -> w", [], HELP));
  });
  it('a loop through a child instance with a combinational path from input to output', () => {
    const e = expectElabError(() =>
      build('ChildLoop', () => ({ y: output(UInt(2)) }), (m, io) => {
        const u = m.instance('u', CombChild, {}); // @child
        u.io.a.set(u.io.y);
        u.io.b.set(0);
        io.y.set(u.io.y);
      }),
    );
    expect(e.message).toBe(diag(loc('child', 'instance('), 'comb-loop', "combinational loop in module 'ChildLoop': u_a -> u_y -> u_a", [[loc('child', 'instance('), "'u_y' is part of the loop"]], HELP));
  });
  it('a loop through two child instances', () => {
    const e = expectElabError(() =>
      build('TwoChildLoop', () => ({ y: output(UInt(2)) }), (m, io) => {
        const u1 = m.instance('u1', CombChild, {});
        const u2 = m.instance('u2', CombChild, {});
        u1.io.a.set(u2.io.y);
        u2.io.a.set(u1.io.y);
        u1.io.b.set(0);
        u2.io.b.set(0);
        io.y.set(u1.io.y);
      }),
    );
    expect(e.diagnostics).toHaveLength(1);
    expect(e.diagnostics[0].message).toBe("combinational loop in module 'TwoChildLoop': u1_a -> u1_y -> u2_a -> u2_y -> u1_a");
  });
  it('a loop through an asynchronous memory read', () => {
    const e = expectElabError(() =>
      build('MemLoop', () => ({ y: output(UInt(2)) }), (m, io) => {
        const mem = m.memory('mem', { type: UInt(2), depth: 4, init: [1, 2, 3, 0] });
        const a = m.wire('addr', UInt(2));
        a.set(mem.read(a));
        io.y.set(a);
      }),
    );
    expect(e.diagnostics[0]).toMatchObject({ check: 'comb-loop', message: "combinational loop in module 'MemLoop': addr -> mem_rdata0 -> addr" });
  });
  it('not a loop: through a register', () => {
    const d = build('RegLoop', () => ({ y: output(UInt(2)) }), (m, io) => {
      const r = m.reg('r', UInt(2), { init: 0 });
      const w = m.wire('w', UInt(2));
      w.set(r.add(1));
      r.set(w);
      io.y.set(w);
    });
    expect(checkCombLoops(d)).toEqual([]);
  });
  it('not a loop: through a child whose output is registered', () => {
    const d = build('RegChildLoop', () => ({ y: output(UInt(2)) }), (m, io) => {
      const u = m.instance('u', RegChild, {});
      u.io.a.set(u.io.y.add(1));
      io.y.set(u.io.y);
    });
    expect(checkCombLoops(d)).toEqual([]);
  });
  it('not a loop: through a child input the output does not depend on', () => {
    const d = build('OtherInput', () => ({ x: input(UInt(2)), y: output(UInt(2)) }), (m, io) => {
      const u = m.instance('u', CombChild, {});
      u.io.a.set(io.x);
      u.io.b.set(u.io.y);
      io.y.set(u.io.y);
    });
    expect(checkCombLoops(d)).toEqual([]);
  });
  it('not a loop: through a synchronous memory read or a blackbox', () => {
    const Bb = defineBlackbox({ name: 'bb', io: () => ({ a: input(UInt(2)), y: output(UInt(2)) }) });
    const d = build('SyncLoop', () => ({ y: output(UInt(2)), z: output(UInt(2)) }), (m, io) => {
      const mem = m.memory('mem', { type: UInt(2), depth: 4, init: [1, 2, 3, 0] });
      const a = m.wire('addr', UInt(2));
      a.set(mem.readSync(a));
      io.y.set(a);
      const u = m.instance('u', Bb, {});
      u.io.a.set(u.io.y);
      io.z.set(u.io.y);
    });
    expect(checkCombLoops(d)).toEqual([]);
  });
  it('a vector wire whose elements are computed from each other is refused with its own message', () => {
    // A ripple chain through a Vec wire: c[i+1] = c[i] ^ x[i]. No bit depends on itself.
    const e = expectElabError(() =>
      build('Ripple', () => ({ x: input(Vec(Bool(), 3)), y: output(Bool()) }), (m, io) => {
        const c = m.wire('c', Vec(Bool(), 4));
        c.at(0).set(false);
        for (let i = 0; i < 3; i++) c.at(i + 1).set(c.at(i).xor(io.x.at(i)));
        io.y.set(c.at(3));
      }),
    );
    expect(e.diagnostics.map((x) => x.message)).toEqual([
      "bits of 'c' in module 'Ripple' are computed from other bits of the same signal (no bit depends on itself, but simulators and synthesis treat the signal as one net)",
    ]);
    expect(e.diagnostics[0].help).toBe('use a separate wire for each stage (e.g. an array of m.wire) instead of elements of one vector wire');
  });
});
