import { describe, expect, it } from 'vitest';
import { Bool, UInt, Vec, defineModule, input, output } from '../../../hdl-gen/index.ts';
import { checkLatches } from '../../../hdl-gen/passes/check-latches.ts';
import { build, diag, evalModule, expectElabError, locator, moduleOf } from '../core/support.ts';

const loc = locator(import.meta.url);
const help = (n: string) => `give '${n}' a default with .set(...) before the when, or assign it in an otherwise branch`;

describe('latch', () => {
  it('a wire assigned only inside a when: located at the when, the note names the declaration', () => {
    const e = expectElabError(() =>
      build('L1', () => ({ c: input(Bool()), y: output(UInt(4)) }), (m, io) => {
        const w = m.wire('w', UInt(4)); // @w-decl
        m.when(io.c, () => w.set(1)); // @w-when
        io.y.set(w);
      }),
    );
    expect(e.message).toBe(
      diag(loc('w-when', 'when('), 'latch', "wire 'w' of module 'L1' is assigned on only some paths of this when: it would infer a latch", [[loc('w-decl', 'wire('), "'w' is declared here"]], help('w')),
    );
  });
  it('an output assigned in when/elsewhen without otherwise: located at the elsewhen that lacks the else', () => {
    const e = expectElabError(() =>
      build(
        'L2',
        () => ({
          a: input(Bool()),
          b: input(Bool()),
          y: output(UInt(4)), // @y-decl
        }),
        (m, io) => {
          m.when(io.a, () => io.y.set(1))
            .elsewhen(io.b, () => io.y.set(2)); // @y-elsewhen
        },
      ),
    );
    expect(e.message).toBe(
      diag(loc('y-elsewhen', 'elsewhen('), 'latch', "output port 'y' of module 'L2' is assigned on only some paths of this when: it would infer a latch", [[loc('y-decl', 'output('), "'y' is declared here"]], help('y')),
    );
  });
  it('assigned only in the otherwise branch', () => {
    const e = expectElabError(() =>
      build('L3', () => ({ a: input(Bool()), y: output(UInt(4)) }), (m, io) => {
        m.when(io.a, () => {}).otherwise(() => io.y.set(2)); // @otherwise-only
      }),
    );
    expect(e.diagnostics).toHaveLength(1);
    expect(e.message.split('\n')[0]).toBe(`${loc('otherwise-only', 'when(')}: error[latch]: output port 'y' of module 'L3' is assigned on only some paths of this when: it would infer a latch`);
  });
  it('a switch without default is a latch at the last case', () => {
    const e = expectElabError(() =>
      build('L4', () => ({ s: input(UInt(2)), y: output(UInt(4)) }), (m, io) => {
        m.switch(io.s)
          .is(0, () => io.y.set(1))
          .is(1, () => io.y.set(2)); // @sw-last
      }),
    );
    expect(e.diagnostics).toHaveLength(1);
    expect(e.diagnostics[0].check).toBe('latch');
    expect(e.message.split('\n')[0].split(': error')[0]).toBe(loc('sw-last', 'is('));
  });
  it('an instance input assigned only inside a when', () => {
    const Child = defineModule({ name: 'C', io: () => ({ a: input(UInt(2)), y: output(UInt(2)) }), body: (_m, io) => io.y.set(io.a) });
    const e = expectElabError(() =>
      build('L5', () => ({ c: input(Bool()), y: output(UInt(2)) }), (m, io) => {
        const u = m.instance('u', Child, {}); // @inst
        m.when(io.c, () => u.io.a.set(1)); // @inst-when
        io.y.set(u.io.y);
      }),
    );
    expect(e.message).toBe(
      diag(loc('inst-when', 'when('), 'latch', "input 'a' of instance 'u' in module 'L5' is assigned on only some paths of this when: it would infer a latch", [[loc('inst', 'instance('), "'u_a' is declared here"]], help('u_a')),
    );
  });
  it('an element of a vector assigned only inside a when', () => {
    const e = expectElabError(() =>
      build('L6', () => ({ c: input(Bool()), y: output(Vec(UInt(2), 2)) }), (m, io) => {
        io.y.at(0).set(0);
        m.when(io.c, () => io.y.at(1).set(1)); // @vec-when
      }),
    );
    expect(e.diagnostics).toHaveLength(1);
    expect(e.message.split('\n')[0]).toBe(`${loc('vec-when', 'when(')}: error[latch]: output port 'y' of module 'L6' is assigned on only some paths of this when: it would infer a latch`);
  });
  it('not a latch: a default before the when, an otherwise, nested whens under a default, registers', () => {
    const d = build('Ok', () => ({ a: input(Bool()), b: input(Bool()), y: output(UInt(4)), z: output(UInt(4)), r: output(UInt(4)) }), (m, io) => {
      io.y.set(0);
      m.when(io.a, () => m.when(io.b, () => io.y.set(1)));
      m.when(io.a, () => io.z.set(1)).otherwise(() => io.z.set(2));
      const r = m.reg('q', UInt(4), { init: 0 });
      m.when(io.a, () => r.set(3));
      io.r.set(r);
    });
    expect(checkLatches(d)).toEqual([]);
    expect(evalModule(moduleOf(d), { a: 1, b: 1 }).y).toBe(1n);
    expect(evalModule(moduleOf(d), { a: 1, b: 0 }).y).toBe(0n);
  });
  it('not a latch: a when whose assignment is completely overridden by a later when/otherwise', () => {
    const d = () =>
      build('Dead', () => ({ a: input(Bool()), b: input(Bool()), y: output(UInt(4)) }), (m, io) => {
        m.when(io.a, () => io.y.set(1));
        m.when(io.b, () => io.y.set(2)).otherwise(() => io.y.set(3));
      });
    expect(() => d()).not.toThrow();
  });
  it('reported once per signal even when several whens leave it partial', () => {
    const e = expectElabError(() =>
      build('L7', () => ({ a: input(Bool()), b: input(Bool()), y: output(UInt(4)) }), (m, io) => {
        m.when(io.a, () => io.y.set(1)); // @first
        m.when(io.b, () => io.y.set(2));
      }),
    );
    expect(e.diagnostics).toHaveLength(1);
    expect(e.message.split(': error')[0]).toBe(loc('first', 'when('));
  });
});
