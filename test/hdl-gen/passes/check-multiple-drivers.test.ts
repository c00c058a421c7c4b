/**
 * multiple-drivers: found while lowering `when` blocks (two assignments to the same bits in one
 * block), and at the call site for assignments to things the module does not drive.
 */
import { describe, expect, it } from 'vitest';
import { Bool, UInt, Vec, defineModule, input, output, type Sig, type Signal } from '../../../hdl-gen/index.ts';
import { build, diag, evalModule, expectElabError, locator, moduleOf } from '../core/support.ts';

const loc = locator(import.meta.url);
const KEEP = 'keep one assignment, or make the later one conditional with m.when(...)';

describe('multiple-drivers in one block', () => {
  it('two unconditional sets name both sites', () => {
    const e = expectElabError(() =>
      build('Twice', () => ({ a: input(UInt(8)), y: output(UInt(8)) }), (_m, io) => {
        io.y.set(io.a); // @twice-1
        io.y.set(0); // @twice-2
      }),
    );
    expect(e.message).toBe(diag(loc('twice-2', 'set('), 'multiple-drivers', "'y' is driven twice in the same block", [[loc('twice-1', 'set('), 'first driven here']], KEEP));
    expect(e.diagnostics).toHaveLength(1);
  });
  it('a set after a when that it overrides names both sites (and is the only error)', () => {
    const e = expectElabError(() =>
      build('After', () => ({ c: input(Bool()), y: output(UInt(8)) }), (m, io) => {
        m.when(io.c, () => io.y.set(1)); // @after-when
        io.y.set(2); // @after-set
      }),
    );
    expect(e.message).toBe(diag(loc('after-set', 'set('), 'multiple-drivers', "'y' is driven twice in the same block", [[loc('after-when', 'set('), 'first driven here']], KEEP));
  });
  it('two sets inside one when branch', () => {
    const e = expectElabError(() =>
      build('InBranch', () => ({ c: input(Bool()), y: output(UInt(8)) }), (m, io) => {
        io.y.set(0);
        m.when(io.c, () => {
          io.y.set(1); // @branch-1
          io.y.set(2); // @branch-2
        });
      }),
    );
    expect(e.message).toBe(diag(loc('branch-2', 'set('), 'multiple-drivers', "'y' is driven twice in the same block", [[loc('branch-1', 'set('), 'first driven here']], KEEP));
  });
  it('overlapping element assignments name the bits', () => {
    const e = expectElabError(() =>
      build('Bits', () => ({ y: output(Vec(UInt(4), 2)) }), (_m, io) => {
        io.y.at(0).set(1);
        io.y.at(1).set(2); // @bits-1
        io.y.at(1).set(3); // @bits-2
      }),
    );
    expect(e.message).toBe(diag(loc('bits-2', 'set('), 'multiple-drivers', "'y' bits 7..4 is driven twice in the same block", [[loc('bits-1', 'set('), 'first driven here']], KEEP));
    const e1 = expectElabError(() =>
      build('Bit', () => ({ y: output(Vec(Bool(), 3)) }), (_m, io) => {
        io.y.at(0).set(true);
        io.y.at(2).set(true);
        io.y.at(1).set(false);
        io.y.at(1).set(true);
      }),
    );
    expect(e1.diagnostics[0].message).toBe("'y' bit 1 is driven twice in the same block");
  });
  it('a whole assignment after an element assignment overlaps it', () => {
    const e = expectElabError(() =>
      build('Whole', () => ({ a: input(Vec(UInt(4), 2)), y: output(Vec(UInt(4), 2)) }), (_m, io) => {
        io.y.at(1).set(2); // @whole-1
        io.y.set(io.a); // @whole-2
      }),
    );
    expect(e.message).toBe(diag(loc('whole-2', 'set('), 'multiple-drivers', "'y' is driven twice in the same block", [[loc('whole-1', 'set('), 'first driven here']], KEEP));
  });
  it('allowed: a default then conditional overrides, sequential whens, when/otherwise, disjoint elements', () => {
    const d = build('Ok', () => ({ a: input(Bool()), b: input(Bool()), y: output(UInt(4)), v: output(Vec(UInt(2), 2)) }), (m, io) => {
      io.y.set(0);
      m.when(io.a, () => io.y.set(1));
      m.when(io.b, () => io.y.set(2)).otherwise(() => io.y.set(3));
      io.v.at(0).set(1);
      io.v.at(1).set(2);
    });
    const mod = moduleOf(d);
    expect(evalModule(mod, { a: 1, b: 0 }).y).toBe(3n);
    expect(evalModule(mod, { a: 1, b: 1 }).y).toBe(2n);
    expect(evalModule(mod, { a: 0, b: 0 }).v).toBe(0b1001n);
  });
});

describe('multiple-drivers: signals the module does not drive', () => {
  it('driving an input names the port and its declaration', () => {
    const e = expectElabError(() =>
      build(
        'DriveIn',
        () => ({
          a: input(UInt(8)), // @in-decl
        }),
        (_m, io) => {
          io.a.set(1); // @in-set
        },
      ),
    );
    expect(e.message).toBe(
      diag(
        loc('in-set', 'set('),
        'multiple-drivers',
        "'a' is an input port: it is driven from outside the module and cannot be assigned",
        [[loc('in-decl', 'input('), "'a' is declared here"]],
        'assign a wire or output port instead, and read this value',
      ),
    );
  });
  it('driving an input is refused with check multiple-drivers at the call', () => {
    const e = expectElabError(() =>
      build('DriveIn2', () => ({ a: input(UInt(8)) }), (_m, io) => {
        io.a.set(1); // @in2-set
      }),
    );
    expect(e.diagnostics[0].check).toBe('multiple-drivers');
    expect(e.message.startsWith(`${loc('in2-set', 'set(')}: error[multiple-drivers]: `)).toBe(true);
  });
  const Inv = defineModule({ name: 'Inv', io: () => ({ a: input(UInt(4)), y: output(UInt(4)) }), body: (_m, io) => io.y.set(io.a.not()) });
  it("driving a child instance's output names the port wire and the instance", () => {
    const e = expectElabError(() =>
      build('DriveOut', () => ({ a: input(UInt(4)), y: output(UInt(4)) }), (m, io) => {
        const u = m.instance('u', Inv, {}); // @inst-decl
        u.io.a.set(io.a);
        u.io.y.set(io.a); // @inst-drive
        io.y.set(u.io.y);
      }),
    );
    expect(e.message).toBe(
      diag(
        loc('inst-drive', 'set('),
        'multiple-drivers',
        "'u_y' is an output of a child instance: it is driven by its source and cannot be assigned",
        [[loc('inst-decl', 'instance('), "'u_y' is declared here"]],
        'assign a wire or output port instead, and read this value',
      ),
    );
  });
  it('driving a signal of another module (leaked through a closure) is refused at the call', () => {
    let leaked: Signal<'uint'> | null = null;
    const Child = defineModule({
      name: 'Leaky',
      io: () => ({ y: output(UInt(8)) }),
      body: (m, io) => {
        const w = m.wire('w', UInt(8)); // @leak-decl
        leaked = w as Signal<'uint'>;
        w.set(0);
        io.y.set(w);
      },
    });
    const e = expectElabError(() =>
      build('Driver', () => ({ y: output(UInt(8)) }), (m, io) => {
        io.y.set(m.instance('u', Child, {}).io.y);
        leaked!.set(3); // @leak-set
      }),
    );
    expect(e.message).toBe(
      diag(
        loc('leak-set', 'set('),
        'multiple-drivers',
        "'w' belongs to module 'Leaky' and cannot be driven from 'Driver'",
        [[loc('leak-decl', 'wire('), "'w' is declared here"]],
        'connect through the instance ports instead',
      ),
    );
  });
  it('driving a leaked, otherwise undriven signal of another module is not silently accepted', () => {
    let leaked: Signal<'uint'> | null = null;
    const Child = defineModule({
      name: 'Leaky3',
      io: () => ({ y: output(UInt(8)) }),
      body: (m, io) => {
        const w = m.wire('w', UInt(8));
        leaked = w as Signal<'uint'>;
        io.y.set(w);
      },
    });
    const e = expectElabError(() =>
      build('Driver3', () => ({ y: output(UInt(8)) }), (m, io) => {
        io.y.set(m.instance('u', Child, {}).io.y);
        leaked!.set(3);
      }),
    );
    expect(e.diagnostics.map((d) => d.check)).toContain('multiple-drivers');
  });
  it('using a signal of another module points at the use and names the declaration', () => {
    let leaked: Sig<'uint'> | null = null;
    const Child = defineModule({
      name: 'Leaky2',
      io: () => ({ y: output(UInt(8)) }),
      body: (m, io) => {
        const w = m.wire('w', UInt(8)); // @leak2-decl
        leaked = w;
        w.set(0);
        io.y.set(w);
      },
    });
    const e = expectElabError(() =>
      build('Reader', () => ({ y: output(UInt(8)), z: output(UInt(8)) }), (m, io) => {
        io.y.set(m.instance('u', Child, {}).io.y);
        io.z.set(leaked!.add(1)); // @leak2-use
      }),
    );
    expect(e.diagnostics).toHaveLength(1);
    expect(e.message).toBe(
      diag(
        loc('leak2-use', 'add('),
        'multiple-drivers',
        "'w' belongs to module 'Leaky2' and cannot be used in 'Reader'",
        [[loc('leak2-decl', 'wire('), "'w' is declared here"]],
        'pass the value through a port of the instance',
      ),
    );
  });
});
