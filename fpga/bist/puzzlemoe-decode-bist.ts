import { UserError } from '../../hdl-gen/errors.ts';
import { Bits, Bool, UInt, cat, clog2, defineModule, mux, output } from '../../hdl-gen/index.ts';
import { PuzzleMoeDecodeUnit } from '../../hdl-gen/units/puzzlemoe/rtl/decode-unit.ts';
import { decodeBistVectors } from './decode-bist-vectors.ts';

/**
 * Built-in self-test top for a board: the PuzzleMoE decode unit fed from a ROM of stimulus beats,
 * its outputs compared with a ROM of expected beats (both computed by the golden model at
 * elaboration, see decode-bist-vectors.ts), and three status outputs for LEDs:
 *
 *   done: every expected beat was checked (or the watchdog expired)
 *   pass: done and every beat matched
 *   fail: a beat mismatched, an extra beat came out, or the watchdog expired (sticky)
 *
 * With `backpressure`, a 16-bit LFSR withholds `in_valid` (holding it once offered, as valid/ready
 * requires) and `out_ready` at pseudo-random cycles, so the unit's skid buffer is exercised.
 *
 * Every register resets to 0, which is also the state iCE40 flip-flops power up in: on a board the
 * test runs once after configuration without a reset pulse; `rst` (synchronous, active high)
 * reruns it.
 */
export type DecodeBistParams = {
  /** Packed words per beat of the decode unit. */
  readonly lanes?: number;
  /** Beats in the ROM (a power of two, >= 2). */
  readonly vectors?: number;
  /** Seed of the random part of the stimulus. */
  readonly seed?: number;
  readonly outputRegister?: boolean;
  readonly exponentOffset?: number;
  readonly backpressure?: boolean;
  /** Fault injection for testing the checker: flips bit 0 of the expected lane 0 of this beat. */
  readonly corruptBeat?: number;
};

export function decodeBistParams(p: DecodeBistParams): Required<Omit<DecodeBistParams, 'corruptBeat'>> & { corruptBeat: number | null } {
  const r = {
    lanes: p.lanes ?? 2,
    vectors: p.vectors ?? 256,
    seed: p.seed ?? 1,
    outputRegister: p.outputRegister ?? true,
    exponentOffset: p.exponentOffset ?? 112,
    backpressure: p.backpressure ?? true,
    corruptBeat: p.corruptBeat ?? null,
  };
  if (!Number.isInteger(r.vectors) || r.vectors < 2 || (r.vectors & (r.vectors - 1)) !== 0) {
    throw new UserError(`PuzzleMoeDecodeBist: vectors must be a power of two >= 2, got ${r.vectors}`);
  }
  if (r.corruptBeat !== null && (!Number.isInteger(r.corruptBeat) || r.corruptBeat < 0 || r.corruptBeat >= r.vectors)) {
    throw new UserError(`PuzzleMoeDecodeBist: corruptBeat must be a beat index from 0 to ${r.vectors - 1}, got ${r.corruptBeat}`);
  }
  return r;
}

/** Watchdog: with ready/valid each withheld about a quarter of the time, a beat takes ~2 cycles. */
export const watchdogCycles = (vectors: number) => 8 * vectors + 64;

/** Packs 16-bit values into one vector, element k at bits [16k+15:16k] (the eDSL Vec layout). */
function pack16(values: readonly number[]): bigint {
  return values.reduceRight((acc, v) => (acc << 16n) | BigInt(v), 0n);
}

export const PuzzleMoeDecodeBist = defineModule({
  name: 'PuzzleMoeDecodeBist',
  io: (_: DecodeBistParams) => ({
    done: output(Bool()),
    pass: output(Bool()),
    fail: output(Bool()),
  }),
  moduleName: (params) => {
    const p = decodeBistParams(params);
    const parts = [`lanes${p.lanes}`, `v${p.vectors}`, `s${p.seed}`, p.outputRegister ? 'reg' : 'comb', `off${p.exponentOffset}`, p.backpressure ? 'bp' : 'nobp'];
    if (p.corruptBeat !== null) parts.push(`corrupt${p.corruptBeat}`);
    return `PuzzleMoeDecodeBist_${parts.join('_')}`;
  },
  body: (m, io, params) => {
    const p = decodeBistParams(params);
    const v = decodeBistVectors(p);
    const beatBits = 16 * p.lanes;
    const expectInit = v.expected.map((beat) => (pack16(beat.map((x) => x[1])) << BigInt(beatBits)) | pack16(beat.map((x) => x[0])));
    if (p.corruptBeat !== null) expectInit[p.corruptBeat] ^= 1n;
    const aw = clog2(p.vectors);
    const cw = aw + 1; // counters reach `vectors`
    const stimRom = m.memory('stim_rom', { type: Bits(beatBits), depth: p.vectors, init: v.words.map(pack16) });
    const expectRom = m.memory('expect_rom', { type: Bits(2 * beatBits), depth: p.vectors, init: expectInit });

    // Nothing fires in the first cycle after reset, so the ROM reads below start from address 0.
    const primed = m.reg('primed', Bool(), { init: 0 });
    primed.set(true);

    // x^16 + x^15 + x^13 + x^4 + 1 with XNOR feedback: the all-zero reset state is on the sequence.
    const lfsr = m.reg('lfsr', UInt(16), { init: 0 });
    lfsr.set(cat(lfsr.slice(14, 0), lfsr.bit(15).xor(lfsr.bit(14)).xor(lfsr.bit(12)).xor(lfsr.bit(3)).not()).asUInt());

    const dut = m.instance('dut', PuzzleMoeDecodeUnit, { lanes: p.lanes, outputRegister: p.outputRegister, exponentOffset: p.exponentOffset });

    // ---- stimulus: the ROM output always holds beat `issued` (read at the next address) ----
    const issued = m.reg('issued', UInt(cw), { init: 0 });
    const offerPending = m.reg('offer_pending', Bool(), { init: 0 });
    const offer = p.backpressure ? offerPending.or(lfsr.bit(5)) : primed;
    const inValid = m.let('in_valid', primed.and(issued.lt(p.vectors)).and(offer));
    const inFire = m.let('in_fire', inValid.and(dut.io.in_ready));
    offerPending.set(inValid.and(dut.io.in_ready.not()));
    const issueNext = m.let('issue_next', mux(inFire, issued.add(1), issued));
    issued.set(issueNext);
    const stim = stimRom.readSync(issueNext.trunc(aw));
    dut.io.in_valid.set(inValid);
    for (let k = 0; k < p.lanes; k++) dut.io.in_words.at(k).set(stim.slice(16 * k + 15, 16 * k));

    // ---- checker: the expected ROM output always holds beat `checked` ----
    const outReady = p.backpressure ? primed.and(lfsr.bit(0).or(lfsr.bit(7))) : primed;
    dut.io.out_ready.set(outReady);
    const outFire = m.let('out_fire', dut.io.out_valid.and(outReady));
    const checked = m.reg('checked', UInt(cw), { init: 0 });
    const allChecked = m.let('all_checked', checked.eq(p.vectors));
    const checkNext = m.let('check_next', mux(outFire.and(allChecked.not()), checked.add(1), checked));
    checked.set(checkNext);
    const want = expectRom.readSync(checkNext.trunc(aw));
    const got = m.let('got', cat(dut.io.out_lane1.asBits(), dut.io.out_lane0.asBits()).asBits());
    const mismatch = m.let('mismatch', outFire.and(allChecked.not()).and(got.ne(want)));
    const extraBeat = m.let('extra_beat', outFire.and(allChecked));

    const limit = watchdogCycles(p.vectors);
    const cycles = m.reg('cycles', UInt(clog2(limit + 1)), { init: 0 });
    const timedOut = m.let('timed_out', cycles.eq(limit));
    m.when(allChecked.not().and(timedOut.not()), () => cycles.set(cycles.add(1)));

    const failed = m.reg('failed', Bool(), { init: 0 });
    m.when(mismatch.or(extraBeat), () => failed.set(true));

    const done = m.let('done_w', allChecked.or(timedOut));
    io.done.set(done);
    io.fail.set(failed.or(timedOut));
    io.pass.set(done.and(failed.not()).and(timedOut.not()));
  },
});
