import { describe, expect, it } from 'vitest';
import { UInt, defineModule, elaborate, input, lit, output } from '../../../hdl-gen/index.ts';
import { checkNames } from '../../../hdl-gen/passes/check-names.ts';
import { svKeywords } from '../../../hdl-gen/passes/sv-keywords.ts';
import { Counter } from '../../../hdl-gen/examples/counter.ts';
import { build, diag, expectElabError, locator } from '../core/support.ts';

const loc = locator(import.meta.url);

describe('name-collision', () => {
  it('an SV keyword used as a wire name', () => {
    const e = expectElabError(() =>
      build('Kw', () => ({ y: output(UInt(2)) }), (m, io) => {
        const w = m.wire('logic', UInt(2)); // @logic
        w.set(1);
        io.y.set(w);
      }),
    );
    expect(e.message).toBe(diag(loc('logic', 'wire('), 'name-collision', "wire name 'logic' is a SystemVerilog keyword", [], "rename it, e.g. 'logic_r'"));
  });
  it("'module' as a wire name", () => {
    const e = expectElabError(() =>
      build('Kw1', () => ({ y: output(UInt(2)) }), (m, io) => {
        io.y.set(m.let('module', lit(1, UInt(2)))); // @module-wire
      }),
    );
    expect(e.message).toBe(diag(loc('module-wire', 'let('), 'name-collision', "wire name 'module' is a SystemVerilog keyword", [], "rename it, e.g. 'module_r'"));
  });
  it('SV keywords as port, register, memory and instance names', () => {
    const Leaf = defineModule({ name: 'Leaf', io: () => ({ y: output(UInt(1)) }), body: (_m, io) => io.y.set(0) });
    const e = expectElabError(() =>
      build(
        'Kw2',
        () => ({
          module: input(UInt(2)), // @kw-port
          y: output(UInt(2)),
        }),
        (m, io) => {
          const r = m.reg('reg', UInt(2), { init: 0 }); // @kw-reg
          r.set(io.module);
          const mem = m.memory('wire', { type: UInt(2), depth: 2, init: [0, 1] }); // @kw-mem
          io.y.set(r.xor(mem.read(r.bit(0).asUInt())));
          m.instance('always', Leaf, {}); // @kw-inst
        },
      ),
    );
    expect(e.message).toBe(
      [
        diag(loc('kw-port', 'input('), 'name-collision', "input port name 'module' is a SystemVerilog keyword", [], "rename it, e.g. 'module_r'"),
        diag(loc('kw-reg', 'reg('), 'name-collision', "register name 'reg' is a SystemVerilog keyword", [], "rename it, e.g. 'reg_r'"),
        diag(loc('kw-mem', 'memory('), 'name-collision', "memory name 'wire' is a SystemVerilog keyword", [], "rename it, e.g. 'wire_r'"),
        diag(loc('kw-inst', 'instance('), 'name-collision', "instance name 'always' is a SystemVerilog keyword", [], "rename it, e.g. 'always_r'"),
      ].join('\n'),
    );
  });
  it('an SV keyword as a module name', () => {
    const Mod = defineModule({ name: 'module', io: () => ({ y: output(UInt(1)) }), body: (_m, io) => io.y.set(0) }); // @kw-module
    const e = expectElabError(() => elaborate(Mod, {}));
    expect(e.message).toBe(diag(loc('kw-module', 'defineModule('), 'name-collision', "module name 'module' is a SystemVerilog keyword", [], "rename it, e.g. 'module_r'"));
  });
  it('a wire with the name of a port names both sites', () => {
    const e = expectElabError(() =>
      build(
        'Dup',
        () => ({
          y: output(UInt(2)), // @dup-port
        }),
        (m, io) => {
          const w = m.wire('y', UInt(2)); // @dup-wire
          w.set(1);
          io.y.set(w);
        },
      ),
    );
    expect(e.message).toBe(
      diag(
        loc('dup-wire', 'wire('),
        'name-collision',
        "wire 'y' in module 'Dup' has the same name as the output port declared earlier",
        [[loc('dup-port', 'output('), "the output port 'y' is declared here"]],
        'rename one of them',
      ),
    );
  });
  it('two wires with the same name', () => {
    const e = expectElabError(() =>
      build('Dup2', () => ({ y: output(UInt(2)) }), (m, io) => {
        const a = m.wire('t', UInt(2)); // @t1
        const b = m.wire('t', UInt(2)); // @t2
        a.set(1);
        b.set(a);
        io.y.set(b);
      }),
    );
    expect(e.message).toBe(
      diag(loc('t2', 'wire('), 'name-collision', "wire 't' in module 'Dup2' has the same name as the wire declared earlier", [[loc('t1', 'wire('), "the wire 't' is declared here"]], 'rename one of them'),
    );
  });
  it('a memory with the name of a wire', () => {
    const e = expectElabError(() =>
      build('Dup3', () => ({ a: input(UInt(1)), y: output(UInt(2)) }), (m, io) => {
        const w = m.let('store', io.a.asUInt()); // @buf-wire
        const mem = m.memory('store', { type: UInt(2), depth: 2, init: [1, 2] }); // @buf-mem
        io.y.set(mem.read(w));
      }),
    );
    expect(e.message).toBe(
      diag(loc('buf-mem', 'memory('), 'name-collision', "memory 'store' in module 'Dup3' has the same name as the wire declared earlier", [[loc('buf-wire', 'let('), "the wire 'store' is declared here"]], 'rename one of them'),
    );
  });
  it("a name starting with '_' is reserved", () => {
    const e = expectElabError(() =>
      build('Under', () => ({ y: output(UInt(2)) }), (m, io) => {
        const w = m.wire('_tmp', UInt(2)); // @under
        w.set(1);
        io.y.set(w);
      }),
    );
    expect(e.message).toBe(diag(loc('under', 'wire('), 'name-collision', "wire name '_tmp' starts with '_', which is reserved for generated temporaries", [], 'start the name with a letter'));
  });
  it('two different module definitions with the same name', () => {
    const A = defineModule({ name: 'Twin', io: () => ({ y: output(UInt(1)) }), body: (_m, io) => io.y.set(0) }); // @twin-a
    const B = defineModule({ name: 'Twin', io: () => ({ y: output(UInt(1)) }), body: (_m, io) => io.y.set(1) }); // @twin-b
    const e = expectElabError(() =>
      build('Twins', () => ({ y: output(UInt(1)), z: output(UInt(1)) }), (m, io) => {
        io.y.set(m.instance('a', A, {}).io.y);
        io.z.set(m.instance('b', B, {}).io.y);
      }),
    );
    expect(e.message).toBe(
      diag(
        loc('twin-b', 'defineModule('),
        'name-collision',
        "two different modules would both be named 'Twin'",
        [[loc('twin-a', 'defineModule('), "'Twin' was first defined here"]],
        'give the definitions distinct names, or a moduleName() that includes every parameter',
      ),
    );
  });
  it('the same definition with parameter sets that print the same suffix', () => {
    const P = defineModule({ name: 'P', io: (_p: { tag: string }) => ({ y: output(UInt(1)) }), body: (_m, io) => io.y.set(0) });
    const e = expectElabError(() =>
      build('PTop', () => ({ y: output(UInt(1)), z: output(UInt(1)) }), (m, io) => {
        io.y.set(m.instance('a', P, { tag: 'x y' }).io.y);
        io.z.set(m.instance('b', P, { tag: 'x_y' }).io.y);
      }),
    );
    expect(e.diagnostics[0]).toMatchObject({ check: 'name-collision', message: "two different modules would both be named 'P_tagx_y'" });
  });
  it('the same definition with colliding parameter sets points at the instance that asked for the second set', () => {
    const P = defineModule({ name: 'Q', io: (_p: { tag: string }) => ({ y: output(UInt(1)) }), body: (_m, io) => io.y.set(0) });
    const e = expectElabError(() =>
      build('QTop', () => ({ y: output(UInt(1)), z: output(UInt(1)) }), (m, io) => {
        io.y.set(m.instance('a', P, { tag: 'x y' }).io.y); // @q-first
        io.z.set(m.instance('b', P, { tag: 'x_y' }).io.y); // @q-second
      }),
    );
    // Pointing at defineModule twice (error and note at the same place) does not show which parameters collide.
    expect(e.message.split('\n').slice(0, 2)).toEqual([
      `${loc('q-second', 'instance(')}: error[name-collision]: two different modules would both be named 'Q_tagx_y'`,
      `  ${loc('q-first', 'instance(')}: note: 'Q_tagx_y' was first defined here`,
    ]);
  });
  it('an instance port wire u_x colliding with a wire u_x', () => {
    const Child = defineModule({ name: 'Child', io: () => ({ x: input(UInt(2)), y: output(UInt(2)) }), body: (_m, io) => io.y.set(io.x) });
    const e = expectElabError(() =>
      build('Coll', () => ({ y: output(UInt(2)) }), (m, io) => {
        const w = m.wire('u_x', UInt(2)); // @ux-wire
        w.set(1);
        const u = m.instance('u', Child, {}); // @ux-inst
        u.io.x.set(w);
        io.y.set(u.io.y);
      }),
    );
    expect(e.message).toBe(
      diag(
        loc('ux-inst', 'instance('),
        'name-collision',
        "port wire of instance 'u_x' in module 'Coll' has the same name as the wire declared earlier",
        [[loc('ux-wire', 'wire('), "the wire 'u_x' is declared here"]],
        'rename one of them',
      ),
    );
  });
  it('a user port named clk collides with the default clock domain port', () => {
    const e = expectElabError(() =>
      build('Clk', () => ({ clk: input(UInt(1)), y: output(UInt(1)) }), (m, io) => {
        io.y.set(m.regNext('r', io.clk));
      }),
    );
    expect(e.diagnostics[0]).toMatchObject({ check: 'name-collision', message: "input port 'clk' in module 'Clk' has the same name as the input port declared earlier" });
  });
  it('the keyword list has the usual suspects and no ordinary identifiers', () => {
    for (const k of ['logic', 'module', 'wire', 'reg', 'always_ff', 'input', 'output', 'begin', 'end', 'assign', 'int', 'bit', 'type', 'interface']) expect(svKeywords.has(k)).toBe(true);
    for (const k of ['data', 'valid', 'clk', 'rst', 'count', 'value']) expect(svKeywords.has(k)).toBe(false);
  });
  it('a clean design has no name problems', () => {
    expect(checkNames(elaborate(Counter, { width: 4 }))).toEqual([]);
  });
});
