import { describe, expect, it } from 'vitest';
import { Bool, SInt, UInt, Vec, defineBlackbox, defineModule, elaborate, input, output, type ModuleDef } from '../../../hdl-gen/index.ts';
import { moduleNameFor } from '../../../hdl-gen/core/module.ts';
import { Counter } from '../../../hdl-gen/examples/counter.ts';
import { build, diag, evalModule, expectElabError, locator, moduleOf } from './support.ts';

const loc = locator(import.meta.url);

describe('module definitions and elaboration', () => {
  it('elaborates the counter example: ports, default clock domain, register with reset', () => {
    const d = elaborate(Counter, { width: 4 });
    expect(d.top).toBe('Counter_width4');
    const m = moduleOf(d);
    expect(m.ports.map((p) => `${p.dir} ${p.name}:${p.width}${p.role ? ` (${p.role})` : ''}`)).toEqual([
      'input en:1',
      'output count:4',
      'output wrap:1',
      'input clk:1 (clock)',
      'input rst:1 (reset)',
    ]);
    expect(m.domains).toHaveLength(1);
    expect(m.domains[0]).toMatchObject({ name: 'sync', resetKind: 'sync', resetActiveLow: false });
    const reg = m.nodes.find((n) => n.op === 'reg')!;
    expect(reg).toMatchObject({ name: 'value', width: 4, init: 0n, domain: 0 });
    expect(evalModule(m, { en: 1 }, { value: 15 })).toMatchObject({ count: 15n, wrap: 1n, 'next:value': 0n });
    expect(evalModule(m, { en: 0 }, { value: 7 })).toMatchObject({ count: 7n, wrap: 0n, 'next:value': 7n });
  });
  it('names modules after their parameters, or with moduleName()', () => {
    const M = defineModule({ name: 'M', io: () => ({}), body: () => {} });
    expect(moduleNameFor(M, {})).toBe('M');
    expect(moduleNameFor(M, { width: 8, signed: true })).toBe('M_signedtrue_width8');
    expect(moduleNameFor(M, { list: [1, 2] })).toMatch(/^M_[0-9a-f]{8}$/);
    const N = defineModule({ name: 'N', io: (p: { w: number }) => ({ y: output(UInt(p.w)) }), body: (_m, io) => io.y.set(0), moduleName: (p) => `N${p.w}` });
    expect(elaborate(N, { w: 3 }).top).toBe('N3');
  });
  it('elaborates each distinct child once, children before parents', () => {
    const Leaf = defineModule({ name: 'Leaf', io: (p: { w: number }) => ({ a: input(UInt(p.w)), y: output(UInt(p.w)) }), body: (_m, io) => io.y.set(io.a.not()) });
    const d = build('Top', () => ({ a: input(UInt(4)), y: output(UInt(4)), z: output(UInt(2)) }), (m, io) => {
      const u0 = m.instance('u0', Leaf, { w: 4 });
      const u1 = m.instance('u1', Leaf, { w: 4 });
      const u2 = m.instance('u2', Leaf, { w: 2 });
      u0.io.a.set(io.a);
      u1.io.a.set(u0.io.y);
      u2.io.a.set(io.a.slice(1, 0));
      io.y.set(u1.io.y);
      io.z.set(u2.io.y);
    });
    expect(d.modules.map((m) => m.name)).toEqual(['Leaf_w4', 'Leaf_w2', 'Top']);
    expect(moduleOf(d).instances.map((i) => `${i.name}:${i.module}`)).toEqual(['u0:Leaf_w4', 'u1:Leaf_w4', 'u2:Leaf_w2']);
  });
  it('an io entry that is not a port is api-misuse at the definition', () => {
    const Bad = defineModule({ name: 'Bad', io: () => ({ a: UInt(8) as never }), body: () => {} }); // @io-not-port
    const e = expectElabError(() => elaborate(Bad, {}));
    expect(e.message).toBe(diag(loc('io-not-port', 'defineModule('), 'api-misuse', "io entry 'a' of 'Bad' is not a port", [], 'declare ports with input(type) or output(type)'));
  });
  it('an invalid signal name is refused at the declaration', () => {
    const e = expectElabError(() =>
      build('Names', () => ({}), (m) => {
        m.wire('a b', UInt(1)); // @bad-name
      }),
    );
    expect(e.message).toBe(diag(loc('bad-name', 'wire('), 'name-collision', "'a b' is not a valid signal name", [], 'use letters, digits and underscores, starting with a letter'));
    expect(expectElabError(() => build('Names2', () => ({ '1x': input(Bool()) }), () => {})).diagnostics[0].message).toBe("'1x' is not a valid signal name");
  });
  it('two different definitions with the same module name are a name-collision naming both', () => {
    const A = defineModule({ name: 'Same', io: () => ({ y: output(UInt(1)) }), body: (_m, io) => io.y.set(0) }); // @same-a
    const B = defineModule({ name: 'Same', io: () => ({ y: output(UInt(1)) }), body: (_m, io) => io.y.set(1) }); // @same-b
    const e = expectElabError(() =>
      build('Two', () => ({ y: output(UInt(1)), z: output(UInt(1)) }), (m, io) => {
        io.y.set(m.instance('a', A, {}).io.y);
        io.z.set(m.instance('b', B, {}).io.y);
      }),
    );
    expect(e.message).toBe(
      diag(
        loc('same-b', 'defineModule('),
        'name-collision',
        "two different modules would both be named 'Same'",
        [[loc('same-a', 'defineModule('), "'Same' was first defined here"]],
        'give the definitions distinct names, or a moduleName() that includes every parameter',
      ),
    );
  });
  it('recursive instantiation with the same parameters is api-misuse at the instance', () => {
    const R: ModuleDef<{}, { y: ReturnType<typeof output<ReturnType<typeof UInt>>> }> = defineModule({
      name: 'Rec',
      io: () => ({ y: output(UInt(2)) }),
      body: (m, io) => {
        io.y.set(m.instance('self', R, {}).io.y); // @rec
      },
    });
    const e = expectElabError(() => elaborate(R, {}));
    expect(e.message).toBe(diag(loc('rec', 'instance('), 'api-misuse', "module 'Rec' instantiates itself (Rec -> Rec)", [], 'recursion must end: make the parameters shrink until a leaf module is reached'));
  });
  it('recursion whose parameters never reach a leaf is an ElaborationError, not a stack overflow', () => {
    const R: ModuleDef<{ n: number }, { y: ReturnType<typeof output<ReturnType<typeof UInt>>> }> = defineModule({
      name: 'Grow',
      io: () => ({ y: output(UInt(2)) }),
      body: (m, io, p) => {
        io.y.set(m.instance('child', R, { n: p.n + 1 }).io.y);
      },
    });
    const e = expectElabError(() => elaborate(R, { n: 0 }));
    expect(e.diagnostics[0].check).toBe('api-misuse');
  });
});

describe('wires, let and registers', () => {
  it('let names a value with a wire', () => {
    const d = build('Let', () => ({ a: input(UInt(4)), y: output(UInt(4)) }), (m, io) => {
      const t = m.let('t', io.a.add(1));
      expect(t.type.toString()).toBe('UInt<4>');
      io.y.set(t);
    });
    const m = moduleOf(d);
    expect(m.nodes.find((n) => n.name === 't')!.op).toBe('wire');
    expect(evalModule(m, { a: 15 }).y).toBe(0n);
  });
  it('reg with init in a domain without reset is api-misuse', () => {
    const e = expectElabError(() =>
      build('NoRst', () => ({ a: input(UInt(2)), y: output(UInt(2)) }), (m, io) => {
        const fast = m.domain('fast', { clock: 'clk_fast' });
        const r = m.reg('r', UInt(2), { init: 0, domain: fast }); // @reg-norst
        r.set(io.a);
        io.y.set(r);
      }),
    );
    expect(e.message).toBe(diag(loc('reg-norst', 'reg('), 'api-misuse', "register 'r' has a reset value but domain 'fast' has no reset", [], 'drop init, or give the domain a reset'));
  });
  it('reg init must fit the register type', () => {
    const e = expectElabError(() =>
      build('Init2', () => ({ y: output(UInt(4)) }), (m, io) => {
        const r = m.reg('r', UInt(4), { init: 16 }); // @reg-init
        r.set(r);
        io.y.set(r);
      }),
    );
    expect(e.message).toBe(diag(loc('reg-init', 'reg('), 'width-mismatch', 'literal 16 does not fit UInt<4>', [], 'use a wider type, or a value in range for UInt<4>'));
  });
  it('register reset values are stored as two-s complement bits', () => {
    const d = build('Init3', () => ({ y: output(SInt(4)) }), (m, io) => {
      const r = m.reg('r', SInt(4), { init: -3 });
      r.set(r);
      io.y.set(r);
    });
    expect(moduleOf(d).nodes.find((n) => n.name === 'r')!.init).toBe(13n);
  });
  it('a register enable must be one bit', () => {
    const e = expectElabError(() =>
      build('En', () => ({ a: input(UInt(2)), y: output(UInt(2)) }), (m, io) => {
        io.y.set(m.regNext('r', io.a, { enable: io.a })); // @reg-en
      }),
    );
    expect(e.message).toBe(diag(loc('reg-en', 'regNext('), 'width-mismatch', "register 'r' enable: condition must be a Bool, got UInt<2>", [], 'reduce it to one bit, e.g. x.ne(0) or x.orR()'));
  });
  it('a register enable holds the value while low', () => {
    const d = build('En2', () => ({ a: input(UInt(2)), e: input(Bool()), y: output(UInt(2)) }), (m, io) => {
      io.y.set(m.regNext('r', io.a, { enable: io.e }));
    });
    const m = moduleOf(d);
    expect(evalModule(m, { a: 2, e: 1 }, { r: 1 })['next:r']).toBe(2n);
    expect(evalModule(m, { a: 2, e: 0 }, { r: 1 })['next:r']).toBe(1n);
  });
});

describe('clock domains', () => {
  it('a second domain adds its clock and reset ports', () => {
    const d = build('Dom', () => ({ a: input(UInt(2)), y: output(UInt(2)) }), (m, io) => {
      const fast = m.domain('fast', { clock: 'clk_fast', reset: 'rst_fast_n', resetKind: 'async', resetActiveLow: true });
      io.y.set(m.regNext('r', io.a, { domain: fast, init: 1 }));
    });
    const m = moduleOf(d);
    expect(m.ports.map((p) => p.name)).toEqual(['a', 'y', 'clk_fast', 'rst_fast_n']);
    expect(m.domains).toEqual([expect.objectContaining({ name: 'fast', resetKind: 'async', resetActiveLow: true })]);
  });
  it('a duplicate domain name (including sync) is a name-collision', () => {
    const e = expectElabError(() =>
      build('Dom2', () => ({}), (m) => {
        m.domain('fast', { clock: 'c1' });
        m.domain('fast', { clock: 'c2' }); // @dom-dup
      }),
    );
    expect(e.message).toBe(diag(loc('dom-dup', 'domain('), 'name-collision', "clock domain 'fast' is already defined", [], 'give each domain a distinct name'));
    const e2 = expectElabError(() => build('Dom3', () => ({}), (m) => void m.domain('sync', { clock: 'c1' })));
    expect(e2.diagnostics[0].message).toBe("clock domain 'sync' is already defined");
  });
  const FastChild = defineModule({
    name: 'FastChild',
    io: () => ({ a: input(UInt(2)), y: output(UInt(2)) }),
    body: (m, io) => {
      const fast = m.domain('fast', { clock: 'clk_f' }); // @fast-dom
      io.y.set(m.regNext('r', io.a, { domain: fast }));
    },
  });
  it('an instance whose child uses an unbound clock domain is api-misuse naming the domain definition', () => {
    const e = expectElabError(() =>
      build('Unbound', () => ({ a: input(UInt(2)), y: output(UInt(2)) }), (m, io) => {
        const u = m.instance('u', FastChild, {}); // @unbound
        u.io.a.set(io.a);
        io.y.set(u.io.y);
      }),
    );
    expect(e.message).toBe(
      diag(
        loc('unbound', 'instance('),
        'api-misuse',
        "instance 'u' of 'FastChild' uses clock domain 'fast', which is not bound",
        [[loc('fast-dom', 'domain('), "domain 'fast' is defined here"]],
        'pass { domains: { fast: someDomain } } to m.instance',
      ),
    );
  });
  it('a bound domain connects the child clock to the parent clock port', () => {
    const d = build('Bound', () => ({ a: input(UInt(2)), y: output(UInt(2)) }), (m, io) => {
      const pf = m.domain('pfast', { clock: 'clk_p' });
      const u = m.instance('u', FastChild, {}, { domains: { fast: pf } });
      u.io.a.set(io.a);
      io.y.set(u.io.y);
    });
    const top = moduleOf(d);
    const conn = top.instances[0].connections.find((c) => c.port === 'clk_f')!;
    expect(top.nodes[conn.node].name).toBe('clk_p');
  });
  it('a child domain with a reset needs a bound domain with the same reset kind and polarity', () => {
    const Child = defineModule({ name: 'RstChild', io: () => ({ a: input(UInt(2)), y: output(UInt(2)) }), body: (m, io) => io.y.set(m.regNext('r', io.a, { init: 0 })) });
    const e = expectElabError(() =>
      build('NoRstParent', () => ({ a: input(UInt(2)), y: output(UInt(2)) }), (m, io) => {
        const d = m.domain('norst', { clock: 'c' });
        const u = m.instance('u', Child, {}, { domains: { sync: d } }); // @needs-rst
        u.io.a.set(io.a);
        io.y.set(u.io.y);
      }),
    );
    expect(e.message).toBe(diag(loc('needs-rst', 'instance('), 'api-misuse', "domain 'sync' of 'RstChild' needs a reset, but the bound domain 'norst' has none", [], 'bind a domain that has a reset'));
    const e2 = expectElabError(() =>
      build('AsyncParent', () => ({ a: input(UInt(2)), y: output(UInt(2)) }), (m, io) => {
        const d = m.domain('arst', { clock: 'c', reset: 'rn', resetKind: 'async', resetActiveLow: true });
        const u = m.instance('u', Child, {}, { domains: { sync: d } });
        u.io.a.set(io.a);
        io.y.set(u.io.y);
      }),
    );
    expect(e2.diagnostics[0].message).toBe("domain 'sync' of 'RstChild' has a sync active-high reset, the bound domain 'arst' an async active-low one");
  });
});

describe('when / elsewhen / otherwise / switch', () => {
  const io1 = () => ({ a: input(UInt(2)), c: input(Bool()), y: output(UInt(4)) });
  it('a when condition must be one bit', () => {
    const e = expectElabError(() =>
      build('W1', io1, (m, io) => {
        io.y.set(0);
        m.when(io.a, () => io.y.set(1)); // @when-cond
      }),
    );
    expect(e.message).toBe(diag(loc('when-cond', 'when('), 'width-mismatch', 'when: condition must be a Bool, got UInt<2>', [], 'reduce it to one bit, e.g. x.ne(0) or x.orR()'));
  });
  it('an elsewhen condition must be one bit', () => {
    const e = expectElabError(() =>
      build('W2', io1, (m, io) => {
        io.y.set(0);
        m.when(io.c, () => io.y.set(1)).elsewhen(io.a, () => io.y.set(2)); // @elsewhen-cond
      }),
    );
    expect(e.message).toBe(diag(loc('elsewhen-cond', 'elsewhen('), 'width-mismatch', 'elsewhen: condition must be a Bool, got UInt<2>', [], 'reduce it to one bit, e.g. x.ne(0) or x.orR()'));
  });
  it('a non-hardware condition is refused', () => {
    const e = expectElabError(() => build('W3', io1, (m) => void m.when(1 as never, () => {})));
    expect(e.diagnostics[0].message).toBe('when: condition must be a Bool, got number');
  });
  it('boolean literal conditions are allowed', () => {
    const d = build('W4', io1, (m, io) => {
      io.y.set(0);
      m.when(true, () => io.y.set(1));
    });
    expect(evalModule(moduleOf(d), { a: 0, c: 0 }).y).toBe(1n);
  });
  it('switch with a default but no cases is api-misuse at the switch', () => {
    const e = expectElabError(() =>
      build('Sw1', io1, (m, io) => {
        io.y.set(0);
        m.switch(io.a).default(() => io.y.set(1)); // @switch-nocase
      }),
    );
    expect(e.message).toBe(diag(loc('switch-nocase', 'switch('), 'api-misuse', 'switch has a default but no cases', [], 'add .is(value, ...) cases, or drop the switch'));
  });
  it('switch cases are compared in order, first match wins, default otherwise', () => {
    const d = build('Sw2', io1, (m, io) => {
      m.switch(io.a)
        .is(0, () => io.y.set(10))
        .is(1, () => io.y.set(11))
        .is(1, () => io.y.set(12))
        .default(() => io.y.set(13));
    });
    const m = moduleOf(d);
    expect([0, 1, 2, 3].map((a) => evalModule(m, { a, c: 0 }).y)).toEqual([10n, 11n, 13n, 13n]);
  });
  it('a switch case value must fit the selector', () => {
    const e = expectElabError(() =>
      build('Sw3', io1, (m, io) => {
        io.y.set(0);
        m.switch(io.a).is(4, () => io.y.set(1)); // @switch-lit
      }),
    );
    expect(e.message).toBe(diag(loc('switch-lit', 'is('), 'width-mismatch', 'literal 4 does not fit UInt<2>', [], 'use a wider type, or a value in range for UInt<2>'));
  });
});

describe('memories', () => {
  it('combinational read, registered read and conditional write', () => {
    const d = build('Mem', () => ({ a: input(UInt(2)), d: input(UInt(8)), we: input(Bool()), q: output(UInt(8)), qs: output(UInt(8)) }), (m, io) => {
      const mem = m.memory('mem', { type: UInt(8), depth: 4, init: [1, 2] });
      io.q.set(mem.read(io.a));
      io.qs.set(mem.readSync(io.a));
      m.when(io.we, () => mem.write(io.a, io.d));
    });
    const m = moduleOf(d);
    expect(m.memories).toHaveLength(1);
    expect(m.memories[0]).toMatchObject({ name: 'mem', width: 8, depth: 4, init: [1n, 2n] });
    expect(m.memories[0].writes).toHaveLength(1);
    expect(m.nodes.filter((n) => n.op === 'memread').map((n) => `${n.name}:${n.sync}`)).toEqual(['mem_rdata0:false', 'mem_rdata1:true']);
    const w = m.memories[0].writes[0];
    expect(m.nodes[w.enable].name).toBe('we');
    expect(m.ports.some((p) => p.name === 'clk')).toBe(true);
  });
  it('an address of the wrong width is a width-mismatch at the read', () => {
    const e = expectElabError(() =>
      build('Mem2', () => ({ a: input(UInt(3)), q: output(UInt(8)) }), (m, io) => {
        const mem = m.memory('mem', { type: UInt(8), depth: 16 });
        io.q.set(mem.read(io.a)); // @mem-addr
      }),
    );
    expect(e.message).toBe(diag(loc('mem-addr', 'read('), 'width-mismatch', "memory 'mem' (depth 16) needs a UInt<4> address, got UInt<3>", [], 'resize the address to 4 bits'));
  });
  it('too many initial words is an error at the memory', () => {
    const e = expectElabError(() =>
      build('Mem3', () => ({}), (m) => {
        m.memory('rom', { type: UInt(8), depth: 2, init: [1, 2, 3] }); // @mem-init
      }),
    );
    expect(e.message).toBe(diag(loc('mem-init', 'memory('), 'width-mismatch', "memory 'rom' has 3 initial words for depth 2", [], 'give at most depth words'));
  });
  it('an initial word must fit the word type', () => {
    const e = expectElabError(() => build('Mem4', () => ({}), (m) => void m.memory('rom', { type: UInt(8), depth: 2, init: [1, 256] })));
    expect(e.diagnostics[0].message).toBe('literal 256 does not fit UInt<8>');
  });
  it('depth must be a positive integer', () => {
    const e = expectElabError(() =>
      build('Mem5', () => ({}), (m) => {
        m.memory('mem', { type: UInt(8), depth: 0 }); // @mem-depth
      }),
    );
    expect(e.message).toBe(diag(loc('mem-depth', 'memory('), 'api-misuse', "memory 'mem' depth must be a positive integer, got 0", [], 'give the number of words'));
  });
  it('written data must have the word type', () => {
    const e = expectElabError(() =>
      build('Mem6', () => ({ a: input(UInt(1)), d: input(UInt(4)) }), (m, io) => {
        const mem = m.memory('mem', { type: UInt(8), depth: 2 });
        mem.write(io.a, io.d as never); // @mem-data
      }),
    );
    expect(e.message).toBe(diag(loc('mem-data', 'write('), 'width-mismatch', "memory 'mem' stores UInt<8>, written with UInt<4>", [], 'convert the data to the memory word type'));
  });
  it('a memory name must be valid', () => {
    const e = expectElabError(() => build('Mem7', () => ({}), (m) => void m.memory('2x', { type: UInt(8), depth: 2 })));
    expect(e.diagnostics[0]).toMatchObject({ check: 'name-collision', message: "'2x' is not a valid name" });
  });
});

describe('instances and blackboxes', () => {
  const Inv = defineModule({ name: 'Inv', io: () => ({ a: input(UInt(4)), y: output(UInt(4)) }), body: (_m, io) => io.y.set(io.a.not()) });
  it('instance ports are wires named <instance>_<port>', () => {
    const d = build('Wrap', () => ({ a: input(UInt(4)), y: output(UInt(4)) }), (m, io) => {
      const u = m.instance('u_inv', Inv, {});
      u.io.a.set(io.a);
      io.y.set(u.io.y);
    });
    const top = moduleOf(d);
    expect(top.nodes.filter((n) => n.instance !== undefined).map((n) => `${n.op} ${n.name}`)).toEqual(['wire u_inv_a', 'instout u_inv_y']);
  });
  it('an invalid instance name is refused', () => {
    const e = expectElabError(() =>
      build('Wrap2', () => ({}), (m) => {
        m.instance('u-1', Inv, {}); // @inst-name
      }),
    );
    expect(e.message).toBe(diag(loc('inst-name', 'instance('), 'name-collision', "'u-1' is not a valid name", [], 'use letters, digits and underscores, starting with a letter'));
  });
  it('blackboxes bind their clocks to a domain and record their ports', () => {
    const Ram = defineBlackbox({
      name: 'vendor_ram',
      io: (p: { w: number }) => ({ clk: input(Bool()), a: input(UInt(p.w)), q: output(UInt(p.w)) }),
      clocks: { clk: 'sync' },
      svParams: (p) => ({ WIDTH: p.w }),
    });
    const d = build('UsesBb', () => ({ a: input(UInt(4)), q: output(UInt(4)) }), (m, io) => {
      const u = m.instance('ram', Ram, { w: 4 });
      u.io.a.set(io.a);
      io.q.set(u.io.q);
    });
    expect(d.blackboxes).toEqual([{ name: 'vendor_ram', source: undefined, ports: [{ name: 'clk', dir: 'input', width: 1 }, { name: 'a', dir: 'input', width: 4 }, { name: 'q', dir: 'output', width: 4 }] }]);
    expect(moduleOf(d).instances[0]).toMatchObject({ name: 'ram', module: 'vendor_ram', blackbox: true, svParams: { WIDTH: 4 } });
  });
  it('a blackbox clock needing an unbound domain is api-misuse', () => {
    const Bb = defineBlackbox({ name: 'bb_fast', io: () => ({ ck: input(Bool()), q: output(UInt(1)) }), clocks: { ck: 'fast' } });
    const e = expectElabError(() =>
      build('UsesBb2', () => ({ q: output(UInt(1)) }), (m, io) => {
        io.q.set(m.instance('u', Bb, {}).io.q); // @bb-unbound
      }),
    );
    expect(e.message).toBe(diag(loc('bb-unbound', 'instance('), 'api-misuse', "blackbox 'bb_fast' clock 'ck' needs domain 'fast', which is not bound", [], 'pass { domains: { fast: someDomain } }'));
  });
  it('two different blackboxes with the same name are a name-collision', () => {
    const B1 = defineBlackbox({ name: 'bb', io: () => ({ q: output(UInt(1)) }) }); // @bb1
    const B2 = defineBlackbox({ name: 'bb', io: () => ({ q: output(UInt(2)) }) }); // @bb2
    const e = expectElabError(() =>
      build('UsesBb3', () => ({ q: output(UInt(1)), r: output(UInt(2)) }), (m, io) => {
        io.q.set(m.instance('u1', B1, {}).io.q);
        io.r.set(m.instance('u2', B2, {}).io.q);
      }),
    );
    expect(e.message).toBe(diag(loc('bb2', 'defineBlackbox('), 'name-collision', "two different blackboxes are named 'bb'", [[loc('bb1', 'defineBlackbox('), 'the other definition']], 'give each blackbox a distinct name'));
  });
  it('vector ports of children are connected as whole vectors', () => {
    const VecChild = defineModule({ name: 'VecChild', io: () => ({ v: input(Vec(UInt(2), 2)), y: output(UInt(2)) }), body: (_m, io) => io.y.set(io.v.at(0).xor(io.v.at(1))) });
    const d = build('VecParent', () => ({ a: input(UInt(2)), b: input(UInt(2)), y: output(UInt(2)) }), (m, io) => {
      const u = m.instance('u', VecChild, {});
      u.io.v.at(0).set(io.a);
      u.io.v.at(1).set(io.b);
      io.y.set(u.io.y);
    });
    const top = moduleOf(d);
    expect(evalModule(top, { a: 1, b: 3 }).u_v).toBe(0b1101n);
  });
});
