import { describe, expect, it } from 'vitest';
import { Bool, UInt, input, output } from '../../../hdl-gen/index.ts';
import { checkPasses, runChecks } from '../../../hdl-gen/passes/run-checks.ts';
import { ElaborationError } from '../../../hdl-gen/index.ts';
import { build, diag, expectElabError, locator } from '../core/support.ts';

const loc = locator(import.meta.url);

describe('runChecks', () => {
  it('runs the named passes in a fixed order', () => {
    expect(checkPasses.map((p) => p.name)).toEqual(['name-collision', 'width-mismatch', 'undriven', 'latch', 'comb-loop']);
  });
  it('does nothing for a clean design', () => {
    const d = build('Clean', () => ({ a: input(UInt(2)), y: output(UInt(2)) }), (_m, io) => io.y.set(io.a));
    expect(() => runChecks(d)).not.toThrow();
  });
  it('reports every problem of every check in one error, in source order', () => {
    const e = expectElabError(() =>
      build(
        'Many',
        () => ({
          c: input(Bool()),
          y: output(UInt(2)), // @y
        }),
        (m, io) => {
          const a = m.wire('a', UInt(2)); // @a
          const b = m.wire('b', UInt(2)); // @b
          a.set(b);
          b.set(a);
          const w = m.wire('logic', UInt(2)); // @logic
          m.when(io.c, () => w.set(1)); // @when
          io.y.set(w); // @first
          io.y.set(a); // @twice
        },
      ),
    );
    expect(e).toBeInstanceOf(ElaborationError);
    expect(e.name).toBe('ElaborationError');
    expect(e.diagnostics.map((d) => d.check)).toEqual(['comb-loop', 'name-collision', 'latch', 'multiple-drivers']);
    expect(e.message).toBe(
      [
        diag(loc('a', 'wire('), 'comb-loop', "combinational loop in module 'Many': a -> b -> a", [[loc('b', 'wire('), "'b' is part of the loop"]], 'break the loop with a register (m.reg / m.regNext), or compute the value from signals outside the loop'),
        diag(loc('logic', 'wire('), 'name-collision', "wire name 'logic' is a SystemVerilog keyword", [], "rename it, e.g. 'logic_r'"),
        diag(
          loc('when', 'when('),
          'latch',
          "wire 'logic' of module 'Many' is assigned on only some paths of this when: it would infer a latch",
          [[loc('logic', 'wire('), "'logic' is declared here"]],
          "give 'logic' a default with .set(...) before the when, or assign it in an otherwise branch",
        ),
        diag(loc('twice', 'set('), 'multiple-drivers', "'y' is driven twice in the same block", [[loc('first', 'set('), 'first driven here']], 'keep one assignment, or make the later one conditional with m.when(...)'),
      ].join('\n'),
    );
  });
});
