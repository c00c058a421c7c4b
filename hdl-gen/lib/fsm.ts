import { UInt, clog2, type ModuleBuilder, type Sig } from '../index.ts';

/**
 * A finite state machine on one state register. States are named; `on(state, fn)` runs `fn` while
 * in that state, and `goto(next)` inside it sets the next state (default: stay).
 */
export class Fsm<S extends string> {
  private readonly reg: Sig<'uint'> & { set(v: Sig<'uint'> | number): void };
  constructor(
    private readonly m: ModuleBuilder,
    name: string,
    readonly states: readonly S[],
    initial: S,
  ) {
    this.reg = m.reg(name, UInt(clog2(states.length)), { init: this.code(initial) }) as never;
  }
  /** The encoding of a state (its index in the list). */
  code(s: S): number {
    const i = this.states.indexOf(s);
    if (i < 0) throw new RangeError(`unknown state '${s}'; states are ${this.states.join(', ')}`);
    return i;
  }
  get state(): Sig<'uint'> {
    return this.reg;
  }
  is(s: S): Sig<'bool'> {
    return this.reg.eq(this.code(s));
  }
  on(s: S, fn: () => void): void {
    this.m.when(this.is(s), fn);
  }
  goto(s: S): void {
    this.reg.set(this.code(s));
  }
}

export function fsm<S extends string>(m: ModuleBuilder, name: string, states: readonly S[], initial: S): Fsm<S> {
  return new Fsm(m, name, states, initial);
}
