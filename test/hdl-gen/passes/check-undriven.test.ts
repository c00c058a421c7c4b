import { describe, expect, it } from 'vitest';
import { Bool, Bundle, UInt, Vec, defineModule, input, output } from '../../../hdl-gen/index.ts';
import { checkUndriven } from '../../../hdl-gen/passes/check-undriven.ts';
import { Counter } from '../../../hdl-gen/examples/counter.ts';
import { elaborate } from '../../../hdl-gen/index.ts';
import { build, diag, expectElabError, locator } from '../core/support.ts';

const loc = locator(import.meta.url);
const DRIVE = 'drive it with .set(...) on every path (a default assignment before any m.when is simplest)';

describe('undriven', () => {
  it('an output never driven is reported at its declaration', () => {
    const e = expectElabError(() =>
      build(
        'NoOut',
        () => ({
          a: input(UInt(8)),
          y: output(UInt(8)), // @out-decl
        }),
        () => {},
      ),
    );
    expect(e.message).toBe(diag(loc('out-decl', 'output('), 'undriven', "output port 'y' of module 'NoOut' is never driven", [], DRIVE));
  });
  it('a wire never driven (but read) is reported at its declaration', () => {
    const e = expectElabError(() =>
      build('NoWire', () => ({ y: output(UInt(8)) }), (m, io) => {
        const w = m.wire('w', UInt(8)); // @wire-decl
        io.y.set(w);
      }),
    );
    expect(e.message).toBe(diag(loc('wire-decl', 'wire('), 'undriven', "wire 'w' of module 'NoWire' is never driven", [], DRIVE));
  });
  it('a register never assigned is reported with register-specific help', () => {
    const e = expectElabError(() =>
      build('NoReg', () => ({ y: output(UInt(8)) }), (m, io) => {
        const r = m.reg('r', UInt(8), { init: 0 }); // @reg-decl
        io.y.set(r);
      }),
    );
    expect(e.message).toBe(diag(loc('reg-decl', 'reg('), 'undriven', "register 'r' of module 'NoReg' is never driven", [], 'assign its next value with .set(...), or remove it'));
  });
  it('a register assigned only under a when is not undriven (it holds)', () => {
    const d = build('HoldReg', () => ({ c: input(Bool()), y: output(UInt(8)) }), (m, io) => {
      const r = m.reg('r', UInt(8), { init: 0 });
      m.when(io.c, () => r.set(r.add(1)));
      io.y.set(r);
    });
    expect(checkUndriven(d)).toEqual([]);
  });
  it('partially driven bits: the count of undriven bits (contiguous)', () => {
    const e = expectElabError(() =>
      build(
        'Part',
        () => ({
          v: output(Vec(UInt(4), 4)), // @part-decl
        }),
        (_m, io) => {
          io.v.at(0).set(1);
        },
      ),
    );
    expect(e.message).toBe(diag(loc('part-decl', 'output('), 'undriven', "output port 'v' of module 'Part' is never driven (12 of its 16 bits)", [], DRIVE));
  });
  it('partially driven bits: every undriven bit is counted, also when the holes are not contiguous', () => {
    const e = expectElabError(() =>
      build(
        'Holes',
        () => ({
          v: output(Vec(UInt(4), 4)), // @holes-decl
        }),
        (_m, io) => {
          io.v.at(1).set(1);
          io.v.at(3).set(2);
        },
      ),
    );
    expect(e.message).toBe(diag(loc('holes-decl', 'output('), 'undriven', "output port 'v' of module 'Holes' is never driven (8 of its 16 bits)", [], DRIVE));
  });
  it('a partially driven bundle wire', () => {
    const e = expectElabError(() =>
      build('PartB', () => ({ y: output(UInt(4)) }), (m, io) => {
        const b = m.wire('b', Bundle({ valid: Bool(), data: UInt(4) })); // @bundle-decl
        b.fields.data.set(3);
        io.y.set(b.fields.data);
      }),
    );
    expect(e.message).toBe(diag(loc('bundle-decl', 'wire('), 'undriven', "wire 'b' of module 'PartB' is never driven (1 of its 5 bits)", [], DRIVE));
  });
  it('an undriven instance input is reported at the instance', () => {
    const Child = defineModule({ name: 'Child', io: () => ({ a: input(UInt(2)), b: input(UInt(2)), y: output(UInt(2)) }), body: (_m, io) => io.y.set(io.a.xor(io.b)) });
    const e = expectElabError(() =>
      build('Parent', () => ({ x: input(UInt(2)), y: output(UInt(2)) }), (m, io) => {
        const u = m.instance('u_child', Child, {}); // @inst
        u.io.a.set(io.x);
        io.y.set(u.io.y);
      }),
    );
    expect(e.message).toBe(diag(loc('inst', 'instance('), 'undriven', "input 'b' of instance 'u_child' in module 'Parent' is never driven", [], DRIVE));
  });
  it('every undriven signal is reported once, in source order', () => {
    const e = expectElabError(() =>
      build(
        'Many',
        () => ({
          y: output(UInt(2)), // @many-y
          z: output(Vec(Bool(), 2)), // @many-z
        }),
        (m) => {
          m.wire('w', UInt(3)); // @many-w
        },
      ),
    );
    expect(e.message).toBe(
      [
        diag(loc('many-y', 'output('), 'undriven', "output port 'y' of module 'Many' is never driven", [], DRIVE),
        diag(loc('many-z', 'output('), 'undriven', "output port 'z' of module 'Many' is never driven", [], DRIVE),
        diag(loc('many-w', 'wire('), 'undriven', "wire 'w' of module 'Many' is never driven", [], DRIVE),
      ].join('\n'),
    );
  });
  it('the counter example has nothing undriven', () => {
    expect(checkUndriven(elaborate(Counter, { width: 3 }))).toEqual([]);
  });
  it('a memory that is never read', () => {
    const e = expectElabError(() =>
      build('MemNoRead', () => ({ a: input(UInt(1)), d: input(UInt(8)) }), (m, io) => {
        const mem = m.memory('mem', { type: UInt(8), depth: 2 }); // @mem-noread
        mem.write(io.a, io.d);
      }),
    );
    expect(e.message).toBe(diag(loc('mem-noread', 'memory('), 'undriven', "memory 'mem' of module 'MemNoRead' is never read", [], 'add a read port (read or readSync), or remove the memory'));
  });
  it('a memory that is never written and has no initial contents', () => {
    const e = expectElabError(() =>
      build('MemNoWrite', () => ({ a: input(UInt(1)), q: output(UInt(8)) }), (m, io) => {
        const mem = m.memory('mem', { type: UInt(8), depth: 2 }); // @mem-nowrite
        io.q.set(mem.read(io.a));
      }),
    );
    expect(e.message).toBe(
      diag(loc('mem-nowrite', 'memory('), 'undriven', "memory 'mem' of module 'MemNoWrite' is never written and has no initial contents", [], 'add a write port, or give init contents for a ROM'),
    );
  });
  it('a ROM (initial contents, never written) is fine', () => {
    expect(() =>
      build('Rom', () => ({ a: input(UInt(1)), q: output(UInt(8)) }), (m, io) => {
        io.q.set(m.memory('rom', { type: UInt(8), depth: 2, init: [7, 9] }).read(io.a));
      }),
    ).not.toThrow();
  });
});
