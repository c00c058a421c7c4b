import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../../hdl-gen/errors.ts';
import { proveCombEquivalent } from '../../../verif/formal/equivalence.ts';
import { generated, proveDecodeUnit, proveF16ToF32, proveValidReadyStage, proveValidReadyStageUnbounded, reference } from '../../../verif/formal/proofs.ts';

/**
 * Formal proofs with the system Yosys 0.23 (and the embedded 0.55 for one of each kind): generated
 * RTL vs hand-written references of the specs, and the bounded valid/ready proof. Each proof is
 * paired with a broken variant that Yosys must refute with a counterexample, so a proof that
 * passes vacuously would fail the test.
 */
describe('formal: PuzzleMoE decode unit vs the spec decode rule (miter -equiv, sat -prove-asserts)', () => {
  for (const p of [
    { lanes: 2, exponentOffset: 112 },
    { lanes: 3, exponentOffset: 100 },
    { lanes: 1, exponentOffset: 223 },
  ]) {
    it(`lanes ${p.lanes}, exponent offset ${p.exponentOffset}: proved`, async () => {
      expect((await proveDecodeUnit(p)).verdict).toBe('proved');
    });
  }

  it('a reference with the lane-1 mask bit wrong is refuted with a counterexample that shows it', async () => {
    const wrong = reference('puzzlemoe_decode_ref.sv').text.replace('w[12] ?', 'w[13] ?');
    const r = await proveDecodeUnit({ lanes: 1, exponentOffset: 112 }, { refText: wrong });
    expect(r.verdict).toBe('failed');
    const w = Number(r.counterexample.in_words);
    expect(((w >> 13) & 1) !== ((w >> 12) & 1)).toBe(true); // the two mask bits differ
  });

  it('also proved by the embedded Yosys 0.55', async () => {
    expect((await proveDecodeUnit({ lanes: 2, exponentOffset: 112 }, { flavor: 'wasm' })).verdict).toBe('proved');
  });
});

describe('formal: f16 -> f32 converter vs a hand-written reference', () => {
  it('proved for all inputs (Yosys 0.23 and 0.55)', async () => {
    expect((await proveF16ToF32()).verdict).toBe('proved');
    expect((await proveF16ToF32({ flavor: 'wasm' })).verdict).toBe('proved');
  });

  it('a reference with the subnormal exponent off by one is refuted on a subnormal input', async () => {
    const r = await proveF16ToF32({ refText: reference('f16_to_f32_ref.sv').text.replace("8'd103", "8'd104") });
    expect(r.verdict).toBe('failed');
    const a = Number(r.counterexample.a);
    expect((a >> 10) & 31).toBe(0);
    expect(a & 0x3ff).not.toBe(0);
  });
});

describe('formal: valid/ready register slice, bounded proof (sat -seq)', () => {
  it('no loss, no duplication, order kept, full throughput, stalled output held: 16 cycles from reset', async () => {
    const r = await proveValidReadyStage(16);
    expect(r.verdict, r.log.slice(-2000)).toBe('proved');
  });

  it('a stage whose in_ready ignores the skid buffer is refuted', async () => {
    const stage = generated('valid-ready-stage', { width: 4 }).files[0].text;
    expect(stage).toContain('assign in_ready = _t1;');
    const r = await proveValidReadyStage(8, { stageText: stage.replace('assign in_ready = _t1;', "assign in_ready = 1'd1;") });
    expect(r.verdict).toBe('failed');
  });
});

describe('formal: valid/ready register slice, unbounded proof (k-induction, sat -tempinduct)', () => {
  const stage = generated('valid-ready-stage', { width: 4 }).files[0].text;

  it('no loss, no duplication, order, throughput and stall hold in every cycle: the induction closes at length 3 (Yosys 0.23 and 0.55)', async () => {
    const r = await proveValidReadyStageUnbounded();
    expect(r.verdict, r.log.slice(-2000)).toBe('proved');
    expect(r.inductionLength).toBe(3);
    expect((await proveValidReadyStageUnbounded({ flavor: 'wasm' })).verdict).toBe('proved');
  });

  it('the induction step is really checked: limited to length 2 it does not close (inconclusive, not proved)', async () => {
    expect((await proveValidReadyStageUnbounded({ maxSteps: 2 })).verdict).toBe('inconclusive');
  });

  it('a stage that accepts while its skid buffer is full (loses a beat) is refuted from reset', async () => {
    const r = await proveValidReadyStageUnbounded({ stageText: stage.replace('assign in_ready = _t1;', "assign in_ready = 1'd1;") });
    expect(r.verdict).toBe('failed');
    expect(r.trace!.length).toBeGreaterThan(1);
  });

  it('a stage whose skid buffer stays valid after draining (duplicates a beat) is refuted from reset', async () => {
    const broken = stage.replace("skid_valid_r <= _t0 ? (skid_valid_r ? 1'd0 : skid_valid_r)", "skid_valid_r <= _t0 ? (skid_valid_r ? 1'd1 : skid_valid_r)");
    expect(broken).not.toBe(stage);
    expect((await proveValidReadyStageUnbounded({ stageText: broken })).verdict).toBe('failed');
  });
});

describe('formal: tool failures', () => {
  it('a Yosys error (reference that does not parse) is a UserError naming the flavour and the error', async () => {
    const broken = { fileName: 'broken_ref.sv', text: 'module PuzzleMoeDecodeRef (input logic a;\nendmodule\n' };
    const gate = generated('puzzlemoe-decode', { lanes: 1, outputRegister: false, exponentOffset: 112 });
    const err = await proveCombEquivalent({ files: [broken], top: 'PuzzleMoeDecodeRef' }, gate).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toBe("yosys (system) could not run the proof: broken_ref.sv:1: ERROR: syntax error, unexpected ';', expecting ',' or '=' or ')'");
  });

  it('a missing system Yosys is a UserError with install advice', async () => {
    const saved = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      const err = await proveF16ToF32().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UserError);
      expect((err as Error).message).toBe('the system yosys was not found: install it with `apt-get install yosys`, or use the embedded one');
    } finally {
      process.env.PATH = saved;
    }
  });
});
