import { afterEach, describe, expect, it } from 'vitest';
import { UserError } from '../../../hdl-gen/errors.ts';
import { checkMain } from '../../../verif/verilator/check.ts';
import { VerilatorSim } from '../../../verif/verilator/verilator-sim.ts';
import { findVerilator, parseVerilatorVersion } from '../../../verif/verilator/verilator-version.ts';
import { mulDesign } from './designs.ts';

describe('Verilator discovery', () => {
  const saved = process.env.VERILATOR;
  afterEach(() => {
    if (saved === undefined) delete process.env.VERILATOR;
    else process.env.VERILATOR = saved;
  });

  it('parses version banners', () => {
    expect(parseVerilatorVersion('Verilator 5.006 2023-01-22 rev (Debian 5.006-3)')).toEqual({ version: '5.006', major: 5, minor: 6 });
    expect(parseVerilatorVersion('Verilator 4.038 2020-07-11 rev v4.036-114-g0cd4a57ad')?.major).toBe(4);
    expect(parseVerilatorVersion('bash: verilator: command not found')).toBeNull();
  });

  it('finds the installed Verilator 5', async () => {
    const v = await findVerilator();
    expect(v.major).toBeGreaterThanOrEqual(5);
  });

  it('VERILATOR=/nonexistent gives the clear UserError', async () => {
    process.env.VERILATOR = '/nonexistent';
    const err = await VerilatorSim.build(mulDesign()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toMatch(/^Verilator 5 is required but was not found on PATH: install it with `apt-get install verilator` \(Debian/);
    expect((err as Error).message).toContain("VERILATOR environment variable is set to '/nonexistent'");
  });

  it('a Verilator that is not Verilator (or too old) is rejected', async () => {
    process.env.VERILATOR = '/bin/echo'; // prints "--version"
    await expect(findVerilator()).rejects.toThrow(/did not print a Verilator version/);
  });

  it('checkMain prints the message and returns the exit code', async () => {
    process.env.VERILATOR = '/nonexistent';
    const code = await checkMain({ name: 'x', design: mulDesign(), mode: 'comb', seed: 1, vectors: 1, stimulus: () => ({ a: 1n, b: 1n }), golden: () => ({}) });
    expect(code).toBe(1);
  });
});
