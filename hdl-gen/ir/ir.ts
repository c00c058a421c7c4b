import type { SourceLoc } from '../core/source-location.ts';

/**
 * The elaborated netlist IR consumed by the checks, the SystemVerilog emitter and the simulator.
 * Each module is a flat array of nodes; a node's value is a `width`-bit two's complement vector and
 * its operands are earlier or later node ids (registers, wires and memory reads may form cycles
 * through sequential elements only). Semantics of every operator are defined in `semantics.ts`.
 */
export type IrOp =
  // sources
  | 'input'
  | 'const'
  | 'reg'
  | 'memread'
  | 'instout'
  | 'wire'
  // a placeholder left by lowering where nothing drives some bits (reported by the checks)
  | 'undriven'
  | IrOperator;

/** The operators, shared with the front-end expression AST (semantics in `semantics.ts`). */
export type IrOperator =
  | 'not'
  | 'and'
  | 'or'
  | 'xor'
  | 'add'
  | 'sub'
  | 'mul'
  | 'neg'
  | 'eq'
  | 'ne'
  | 'lt'
  | 'le'
  | 'gt'
  | 'ge'
  | 'shl'
  | 'shr'
  | 'dshl'
  | 'dshr'
  | 'andr'
  | 'orr'
  | 'xorr'
  | 'mux'
  | 'slice'
  | 'concat'
  | 'zext'
  | 'sext';

export interface IrNode {
  readonly id: number;
  readonly op: IrOp;
  readonly width: number;
  /** Type information only (SInt); operators read `signedOp`. */
  readonly signed: boolean;
  /** Operand node ids. For `wire`: [driver]; `reg`: [next]; `memread`: [addr] or [addr, enable]. */
  args: number[];
  readonly value?: bigint;
  readonly lo?: number;
  readonly amount?: number;
  readonly signedOp?: boolean;
  /** User-visible name (ports, wires, registers, memory read ports, instance ports). */
  readonly name?: string;
  readonly loc: SourceLoc;
  /** Wires and registers: where the last assignment in program order was written. */
  driverLoc?: SourceLoc;
  // register
  readonly domain?: number;
  readonly init?: bigint | null;
  // memory read port
  readonly memory?: number;
  readonly sync?: boolean;
  // instance port (instout nodes, and wires feeding instance inputs)
  readonly instance?: number;
  readonly port?: string;
  // port marker on inputs and output wires
  readonly portDir?: 'input' | 'output';
  readonly role?: 'clock' | 'reset';
  // undriven placeholder
  readonly undriven?: { readonly reason: 'never' | 'partial'; readonly target: number; readonly whenLoc?: SourceLoc };
}

export interface IrDomain {
  readonly name: string;
  readonly clock: number;
  readonly reset: number | null;
  readonly resetKind: 'sync' | 'async';
  readonly resetActiveLow: boolean;
}

export interface IrMemoryWrite {
  readonly domain: number;
  readonly addr: number;
  readonly data: number;
  readonly enable: number;
  readonly loc: SourceLoc;
}

export interface IrMemory {
  readonly name: string;
  readonly width: number;
  readonly depth: number;
  readonly init: readonly bigint[] | null;
  readonly writes: IrMemoryWrite[];
  readonly loc: SourceLoc;
}

export interface IrConnection {
  readonly port: string;
  readonly dir: 'input' | 'output';
  /** For inputs: the node driving the child port; for outputs: the `instout` node. */
  readonly node: number;
}

export interface IrInstance {
  readonly name: string;
  readonly module: string;
  readonly blackbox: boolean;
  readonly svParams: Readonly<Record<string, number | string>>;
  readonly connections: IrConnection[];
  readonly loc: SourceLoc;
}

export interface IrPort {
  readonly name: string;
  readonly dir: 'input' | 'output';
  readonly width: number;
  readonly signed: boolean;
  /** The `input` node, or the `wire` node driving the output. */
  readonly node: number;
  readonly role?: 'clock' | 'reset';
  readonly loc: SourceLoc;
}

export interface IrModule {
  readonly name: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly loc: SourceLoc;
  readonly ports: IrPort[];
  readonly nodes: IrNode[];
  readonly domains: IrDomain[];
  readonly memories: IrMemory[];
  readonly instances: IrInstance[];
}

export interface IrBlackbox {
  readonly name: string;
  readonly ports: { readonly name: string; readonly dir: 'input' | 'output'; readonly width: number }[];
  /** Project-relative path of its SV source, if the project ships one. */
  readonly source?: string;
}

export interface IrDesign {
  readonly top: string;
  /** Children before parents; the top module is last. */
  readonly modules: IrModule[];
  readonly blackboxes: IrBlackbox[];
}

/** Operators whose value depends only on their operands in the same cycle. */
export const combinationalOps: ReadonlySet<IrOp> = new Set<IrOp>([
  'wire', 'not', 'and', 'or', 'xor', 'add', 'sub', 'mul', 'neg', 'eq', 'ne', 'lt', 'le', 'gt', 'ge', 'shl', 'shr', 'dshl', 'dshr',
  'andr', 'orr', 'xorr', 'mux', 'slice', 'concat', 'zext', 'sext',
]);
