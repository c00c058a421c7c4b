import { describe, expect, it } from 'vitest';
import { SInt, UInt, input, output, elaborate } from '../../../hdl-gen/index.ts';
import type { IrDesign, IrModule, IrNode, IrOp } from '../../../hdl-gen/ir/ir.ts';
import { checkWidths, nodeWidthProblem } from '../../../hdl-gen/passes/check-widths.ts';
import { Counter } from '../../../hdl-gen/examples/counter.ts';
import { build, diag, expectElabError, locator } from '../core/support.ts';

const loc = locator(import.meta.url);
const HELP = 'make the widths agree with an explicit zext/sext/trunc/resize';

describe('width-mismatch at the call site (front end)', () => {
  it('operands of a binary operator', () => {
    const e = expectElabError(() =>
      build('W1', () => ({ a: input(UInt(8)), b: input(UInt(4)), y: output(UInt(8)) }), (_m, io) => {
        io.y.set(io.a.sub(io.b)); // @sub
      }),
    );
    expect(e.message).toBe(
      diag(loc('sub', 'sub('), 'width-mismatch', 'sub: operand widths differ, UInt<8> and UInt<4> (no implicit extension)', [], 'make both 8 bits with zext()/sext()/resize(), or drop bits with trunc()'),
    );
  });
  it('assigning a wider value: no silent truncation', () => {
    const e = expectElabError(() =>
      build('W2', () => ({ a: input(UInt(8)), y: output(UInt(8)) }), (_m, io) => {
        io.y.set(io.a.addExpand(1)); // @wide
      }),
    );
    expect(e.message).toBe(diag(loc('wide', 'set('), 'width-mismatch', 'cannot assign UInt<9> to UInt<8> (no silent truncation)', [], 'drop the extra bits explicitly with trunc(8) or resize(8)'));
  });
  it('assigning a narrower signed value: no implicit extension', () => {
    const e = expectElabError(() =>
      build('W3', () => ({ a: input(SInt(4)), y: output(SInt(8)) }), (m, io) => {
        const w = m.wire('w', SInt(8));
        w.set(io.a); // @narrow
        io.y.set(w);
      }),
    );
    expect(e.message).toBe(diag(loc('narrow', 'set('), 'width-mismatch', 'cannot assign SInt<4> to SInt<8> (no implicit extension)', [], 'widen explicitly with zext(8), sext(8) or resize(8)'));
  });
  it('the fix suggested by the help works', () => {
    expect(() =>
      build('W4', () => ({ a: input(SInt(4)), b: input(UInt(8)), y: output(SInt(8)), z: output(UInt(4)) }), (_m, io) => {
        io.y.set(io.a.sext(8));
        io.z.set(io.b.trunc(4));
      }),
    ).not.toThrow();
  });
});

// ---- the IR-level pass on hand-built IR ---------------------------------------------------------

const L = (line: number) => ({ file: 'hand.ts', line, col: 1 });

type NodeSpec = Partial<IrNode> & { op: IrOp; width: number };

function irModule(specs: NodeSpec[], extra: Partial<IrModule> = {}): IrModule {
  const nodes = specs.map((s, id) => ({ signed: false, args: [], loc: L(id + 1), ...s, id }) as IrNode);
  return { name: 'Hand', params: {}, loc: L(0), ports: [], nodes, domains: [], memories: [], instances: [], ...extra };
}

function problem(specs: NodeSpec[]): string | null {
  const m = irModule(specs);
  return nodeWidthProblem(m, m.nodes[m.nodes.length - 1]);
}

describe('nodeWidthProblem', () => {
  const in8: NodeSpec = { op: 'input', width: 8, name: 'a' };
  const in4: NodeSpec = { op: 'input', width: 4, name: 'b' };
  const in1: NodeSpec = { op: 'input', width: 1, name: 'c' };
  it('accepts well-formed nodes', () => {
    expect(problem([in8, in8, { op: 'add', width: 8, args: [0, 1] }])).toBeNull();
    expect(problem([in8, in4, { op: 'dshl', width: 8, args: [0, 1] }])).toBeNull();
    expect(problem([in8, in8, { op: 'eq', width: 1, args: [0, 1] }])).toBeNull();
    expect(problem([in1, in8, in8, { op: 'mux', width: 8, args: [0, 1, 2] }])).toBeNull();
    expect(problem([in8, in4, { op: 'concat', width: 12, args: [0, 1] }])).toBeNull();
    expect(problem([in8, { op: 'slice', width: 4, args: [0], lo: 4 }])).toBeNull();
    expect(problem([in4, { op: 'sext', width: 8, args: [0] }])).toBeNull();
    expect(problem([{ op: 'const', width: 8, value: 255n }])).toBeNull();
  });
  it('reports each operator rule', () => {
    expect(problem([{ op: 'const', width: 8, value: 256n }])).toBe('constant 256 does not fit 8 bits');
    expect(problem([{ op: 'const', width: 8, value: -1n }])).toBe('constant -1 does not fit 8 bits');
    expect(problem([in4, { op: 'wire', width: 8, args: [0], name: 'w' }])).toBe("'w' (8 bits) is driven by 4 bits");
    expect(problem([{ op: 'wire', width: 8, args: [], name: 'w' }])).toBe("'w' (8 bits) is driven by no bits");
    expect(problem([in4, { op: 'not', width: 8, args: [0] }])).toBe('not needs 1 operand(s) of 8 bits, got 4');
    expect(problem([in8, in4, { op: 'add', width: 8, args: [0, 1] }])).toBe('add needs 2 operand(s) of 8 bits, got 8, 4');
    expect(problem([in8, in4, { op: 'lt', width: 1, args: [0, 1] }])).toBe('lt compares 8 with 4 bits');
    expect(problem([in4, { op: 'shl', width: 8, args: [0], amount: 2 }])).toBe('shl by 2 of 4 bits into 8');
    expect(problem([in8, { op: 'shr', width: 8, args: [0], amount: -1 }])).toBe('shr by -1 of 8 bits into 8');
    expect(problem([in4, in4, { op: 'dshr', width: 8, args: [0, 1] }])).toBe('dshr of 4 bits into 8');
    expect(problem([in8, { op: 'orr', width: 2, args: [0] }])).toBe('orr must produce 1 bit');
    expect(problem([in8, in8, in8, { op: 'mux', width: 8, args: [0, 1, 2] }])).toBe('mux with a 8-bit select and arms of 8 and 8 bits into 8');
    expect(problem([in8, { op: 'slice', width: 4, args: [0], lo: 5 }])).toBe('slice [8:5] of a 8-bit value');
    expect(problem([in8, in4, { op: 'concat', width: 16, args: [0, 1] }])).toBe('concat of 12 bits into 16');
    expect(problem([in8, { op: 'zext', width: 4, args: [0] }])).toBe('zext from 8 to 4 bits narrows');
  });
  it('a compare producing more than one bit is reported as such', () => {
    const p = problem([in8, in8, { op: 'eq', width: 2, args: [0, 1] }]);
    expect(p).not.toBeNull();
    // "eq compares 8 with 8 bits" would not say what is wrong: the result must be 1 bit.
    expect(p).toMatch(/1 bit/);
  });
  it('a memory read port must have the word width', () => {
    const m = irModule([in1, { op: 'memread', width: 4, args: [0], memory: 0, name: 'q' }], {
      memories: [{ name: 'mem', width: 8, depth: 2, init: null, writes: [], loc: L(9) }],
    });
    expect(nodeWidthProblem(m, m.nodes[1])).toBe("read port of memory 'mem' is 4 bits for 8-bit words");
  });
});

describe('checkWidths', () => {
  it('reports bad nodes at their location, prefixed with the module', () => {
    const m = irModule([{ op: 'input', width: 8, name: 'a' }, { op: 'input', width: 4, name: 'b' }, { op: 'xor', width: 8, args: [0, 1] }]);
    const d: IrDesign = { top: 'Hand', modules: [m], blackboxes: [] };
    expect(checkWidths(d)).toEqual([{ check: 'width-mismatch', loc: L(3), message: "in module 'Hand': xor needs 2 operand(s) of 8 bits, got 8, 4", help: HELP }]);
  });
  it('reports instance connections whose width differs from the child port', () => {
    const child = irModule([{ op: 'input', width: 8, name: 'a' }], { name: 'Child', ports: [{ name: 'a', dir: 'input', width: 8, signed: false, node: 0, loc: L(1) }] });
    const parent = irModule([{ op: 'input', width: 4, name: 'x' }, { op: 'wire', width: 4, args: [0], name: 'u_a', instance: 0, port: 'a' }], {
      name: 'Parent',
      instances: [{ name: 'u', module: 'Child', blackbox: false, svParams: {}, connections: [{ port: 'a', dir: 'input', node: 1 }], loc: L(7) }],
    });
    const d: IrDesign = { top: 'Parent', modules: [child, parent], blackboxes: [] };
    expect(checkWidths(d)).toEqual([{ check: 'width-mismatch', loc: L(7), message: "port 'a' of instance 'u' is 8 bits, connected to 4 bits", help: 'connect a value of the port width' }]);
  });
  it('reports memory writes with data of the wrong width', () => {
    const m = irModule(
      [
        { op: 'input', width: 1, name: 'a' },
        { op: 'input', width: 4, name: 'd' },
        { op: 'const', width: 1, value: 1n },
      ],
      { memories: [{ name: 'mem', width: 8, depth: 2, init: null, writes: [{ domain: 0, addr: 0, data: 1, enable: 2, loc: L(5) }], loc: L(4) }] },
    );
    expect(checkWidths({ top: 'Hand', modules: [m], blackboxes: [] })).toEqual([
      { check: 'width-mismatch', loc: L(5), message: "write to memory 'mem' has data of 4 bits for 8-bit words", help: 'write words of the memory width' },
    ]);
  });
  it('a memory write enable that is not one bit is reported as an enable problem, not as a data width problem', () => {
    const m = irModule(
      [
        { op: 'input', width: 1, name: 'a' },
        { op: 'input', width: 8, name: 'd' },
        { op: 'input', width: 2, name: 'en' },
      ],
      { memories: [{ name: 'mem', width: 8, depth: 2, init: null, writes: [{ domain: 0, addr: 0, data: 1, enable: 2, loc: L(5) }], loc: L(4) }] },
    );
    const ds = checkWidths({ top: 'Hand', modules: [m], blackboxes: [] });
    expect(ds).toHaveLength(1);
    expect(ds[0].message).not.toBe("write to memory 'mem' has data of 8 bits for 8-bit words");
    expect(ds[0].message).toMatch(/enable/);
  });
  it('elaborated designs pass', () => {
    expect(checkWidths(elaborate(Counter, { width: 5 }))).toEqual([]);
  });
});
