import { Bool, input, output, type IoSpec, type ModuleBuilder, type Sig } from '../../../index.ts';

/**
 * Optional pipeline registers for the FP units. A unit names its possible cut points in datapath
 * order and ranks them; `stages` = N registers the N best-ranked cuts. Each active cut registers
 * every value crossing it (enabled by the stage's valid bit, no reset: the data is meaningless
 * while valid is low) and a `valid` bit (reset to 0). With 0 stages nothing is registered and no
 * clock, reset or valid port exists.
 */
export class FpPipeline {
  private readonly active: ReadonlySet<string>;
  private validBit: Sig<'bool'> | null;

  constructor(
    private readonly m: ModuleBuilder,
    readonly unit: string,
    /** Cut names, best first (the first `stages` of them get registers). */
    ranked: readonly string[],
    readonly stages: number,
    validIn: Sig<'bool'> | null,
  ) {
    if (!Number.isInteger(stages) || stages < 0 || stages > ranked.length) {
      throw new Error(`${unit}: stages must be an integer from 0 to ${ranked.length} (cut points: ${ranked.join(', ')}), got ${stages}`);
    }
    if ((stages > 0) !== (validIn !== null)) throw new Error(`${unit}: a valid input is needed exactly when stages > 0`);
    this.active = new Set(ranked.slice(0, stages));
    this.validBit = validIn;
  }

  /** Registers `values` when cut `name` is active, else passes them through. */
  cut<T extends Record<string, Sig>>(name: string, values: T): T {
    if (!this.active.has(name)) return values;
    const valid = this.validBit!;
    const out: Record<string, Sig> = {};
    for (const [k, v] of Object.entries(values)) out[k] = this.m.regNext(`${name}_${k}_q`, v, { enable: valid });
    this.validBit = this.m.regNext(`${name}_valid_q`, valid, { init: 0 });
    return out as T;
  }

  /** The valid bit after the last cut so far (the unit's `out_valid` once every cut is placed). */
  get valid(): Sig<'bool'> {
    if (!this.validBit) throw new Error(`${this.unit}: a combinational unit has no valid bit`);
    return this.validBit;
  }
}

/** Module-name suffix for a stage count: '' for combinational, `_s<N>` otherwise. */
export function stageSuffix(stages: number): string {
  return stages > 0 ? `_s${stages}` : '';
}

const validInput = () => input(Bool());
const validOutput = () => output(Bool());
export type ValidPorts = {
  readonly in_valid: ReturnType<typeof validInput>;
  readonly out_valid: ReturnType<typeof validOutput>;
};

/**
 * Adds `in_valid` (first) and `out_valid` (last) to a unit's io when it has pipeline stages. With
 * 0 stages the ports do not exist: the body must not touch them (check `stages` first).
 */
export function withValidPorts<S extends IoSpec>(stages: number, ports: S): S & ValidPorts {
  if (stages === 0) return ports as S & ValidPorts;
  return { in_valid: validInput(), ...ports, out_valid: validOutput() };
}
