import { Bool, UInt, defineModule, input, lit, mux, output, type Sig } from '../../../index.ts';
import { governorWidths, initialGovernorStats, specGovernorParams, type SpecGovernorParams } from '../golden/spec-governor.ts';

/**
 * MoE-SpeQ speculation-depth governor: keeps moving averages of the per-token acceptance p and of
 * expert loads per verified position, and on request picks k in 1..kMax maximising
 * Theta(k) = N(k) / T(k). Every rule (encodings, rounding, update, tie-break, timeline) is specified in
 * hdl-gen/units/routing/golden/spec-governor.ts; this module matches that model cycle for cycle.
 *
 * Datapath: a choose evaluates one candidate k per cycle (latency kMax + 1 cycles from request to
 * k_valid). Per cycle: q_k = (q_{k-1} p) >> F (one (F+1)x(F+1) multiplier), running sums for N(k),
 * k Td, (k+1) Tverify_pos and (k+1) loads Tload (the product loads x Tload is formed once, when the
 * request is taken), and the cross-multiplied compare N(k) T(best) > N(best) T(k) (two multipliers),
 * so there is no divider. An update is one cycle: two small-integer multiplies, constant adds and arithmetic shifts.
 */
export type SpecGovernorRtlParams = SpecGovernorParams;

/**
 * a + floor((plus - minus + h) / 2^s), h = 2^(s-1) (round half up; 0 when s = 0), truncated to `w`
 * bits: the golden model proves the result lies in [0, 2^w).
 */
function addRoundShift(a: Sig<'uint'>, plus: Sig<'uint'>, minus: Sig<'uint'>, s: number, w: number): Sig<'uint'> {
  const sw = Math.max(a.width, plus.width, minus.width) + 2; // sign bit + headroom for h
  const half = s === 0 ? 0n : 1n << BigInt(s - 1);
  const d = plus.zext(sw).asSInt().sub(minus.zext(sw).asSInt()).add(half).shr(s); // arithmetic shift: floor
  return a.zext(sw).asSInt().add(d).asUInt().trunc(w);
}

export const SpecGovernor = defineModule({
  name: 'MoeSpecGovernor',
  io: (params: SpecGovernorRtlParams) => {
    const p = specGovernorParams(params);
    const w = governorWidths(p);
    const timing = UInt(p.timingWidth);
    return {
      set_valid: input(Bool()),
      set_ready: output(Bool()),
      set_p: input(UInt(w.p)),
      set_loads: input(UInt(w.loads)),
      upd_valid: input(Bool()),
      upd_ready: output(Bool()),
      upd_k: input(UInt(w.k)),
      upd_accepted: input(UInt(w.k)),
      upd_loads: input(UInt(p.loadsIntBits)),
      upd_error: output(Bool()),
      choose_valid: input(Bool()),
      choose_ready: output(Bool()),
      cfg_draft_cycles: input(timing),
      cfg_init_cycles: input(timing),
      cfg_new_fixed: input(timing),
      cfg_load_cycles: input(timing),
      cfg_verify_base: input(timing),
      cfg_verify_per_pos: input(timing),
      busy: output(Bool()),
      k_valid: output(Bool()),
      k_out: output(UInt(w.k)),
      k_num: output(UInt(w.num)),
      k_cycles: output(UInt(w.cycles)),
      p_out: output(UInt(w.p)),
      loads_out: output(UInt(w.loads)),
    };
  },
  moduleName: (params) => {
    const p = specGovernorParams(params);
    const init = initialGovernorStats(p);
    return `MoeSpecGovernor_k${p.kMax}_p${p.pFracBits}s${p.pShift}_l${p.loadsIntBits}f${p.loadsFracBits}s${p.loadsShift}_t${p.timingWidth}_i${init.p}_${init.loads}${p.bonusToken ? '_bonus' : ''}`;
  },
  body: (m, io, params) => {
    const p = specGovernorParams(params);
    const w = governorWidths(p);
    const F = p.pFracBits;
    const Fl = p.loadsFracBits;
    const W = p.timingWidth;
    const init = initialGovernorStats(p);
    const one = 1n << BigInt(F);

    // ---- state ------------------------------------------------------------------------------------
    const pAvg = m.reg('p_avg', UInt(w.p), { init: init.p });
    const loadsAvg = m.reg('loads_avg', UInt(w.loads), { init: init.loads });
    const updError = m.reg('upd_error_r', Bool(), { init: 0 });
    const busy = m.reg('busy_r', Bool(), { init: 0 });
    const cand = m.reg('cand', UInt(w.k), { init: 0 }); // the k evaluated this cycle
    // timing, latched when a choose is taken
    const td = m.reg('td', UInt(W), { init: 0 });
    const tInit = m.reg('t_init', UInt(W), { init: 0 });
    const tFixed = m.reg('t_fixed', UInt(W + 1), { init: 0 }); // Tnew_fixed + Tverify_base
    const tvp = m.reg('t_verify_pos', UInt(W), { init: 0 });
    const loadStep = m.reg('load_step', UInt(w.loadStep), { init: 0 }); // loads x Tload
    // running terms of the previous candidate (k - 1)
    const q = m.reg('q', UInt(w.p), { init: 0 }); // p^(k-1)
    const num = m.reg('num', UInt(w.num), { init: 0 }); // N(k-1)
    const draft = m.reg('draft', UInt(w.draft), { init: 0 }); // (k-1) Td
    const verifyPos = m.reg('verify_pos', UInt(w.verifyPos), { init: 0 }); // k Tverify_pos
    const loadTotal = m.reg('load_total', UInt(w.loadTotal), { init: 0 }); // k loads Tload
    // best so far, and the last result
    const bestK = m.reg('best_k', UInt(w.k), { init: 0 });
    const bestNum = m.reg('best_num', UInt(w.num), { init: 0 });
    const bestCycles = m.reg('best_cycles', UInt(w.cycles), { init: 0 });
    const kValid = m.reg('k_valid_r', Bool(), { init: 0 });
    const kOut = m.reg('k_out_r', UInt(w.k), { init: 0 });
    const kNum = m.reg('k_num_r', UInt(w.num), { init: 0 });
    const kCycles = m.reg('k_cycles_r', UInt(w.cycles), { init: 0 });

    // ---- command arbitration (idle only; set > update > choose) ------------------------------------
    const idle = m.let('idle', busy.not());
    const setFire = m.let('set_fire', idle.and(io.set_valid));
    const updFire = m.let('upd_fire', idle.and(io.set_valid.not()).and(io.upd_valid));
    const chooseFire = m.let('choose_fire', idle.and(io.set_valid.not()).and(io.upd_valid.not()).and(io.choose_valid));

    // ---- set -----------------------------------------------------------------------------------------
    m.when(setFire, () => {
      pAvg.set(mux(io.set_p.gt(one), lit(one, UInt(w.p)), io.set_p));
      loadsAvg.set(io.set_loads);
    });

    // ---- update ----------------------------------------------------------------------------------
    const k = io.upd_k;
    const acc = io.upd_accepted;
    const kTooLarge = p.kMax < 2 ** w.k - 1 ? k.gt(p.kMax) : lit(false, Bool());
    const updOk = m.let('upd_ok', kTooLarge.not().and(acc.le(k)));
    const trials = m.let('trials', acc.add(mux(acc.lt(k), lit(1, UInt(w.k)), lit(0, UInt(w.k))))); // <= k when updOk
    const pNext = m.let('p_next', addRoundShift(pAvg, acc.shlExpand(F), trials.mulExpand(pAvg), p.pShift, w.p));
    const positions = k.addExpand(lit(1, UInt(1)));
    const loadsNext = m.let('loads_next', addRoundShift(loadsAvg, io.upd_loads.shlExpand(Fl), positions.mulExpand(loadsAvg), p.loadsShift, w.loads));
    m.when(updFire, () => {
      updError.set(updOk.not());
      m.when(updOk, () => {
        pAvg.set(pNext);
        loadsAvg.set(loadsNext);
      });
    });

    // ---- choose: take the request, then one candidate per cycle ------------------------------------
    m.when(chooseFire, () => {
      busy.set(true);
      cand.set(1);
      td.set(io.cfg_draft_cycles);
      tInit.set(io.cfg_init_cycles);
      tFixed.set(io.cfg_new_fixed.addExpand(io.cfg_verify_base));
      tvp.set(io.cfg_verify_per_pos);
      const step = loadsAvg.mulExpand(io.cfg_load_cycles);
      loadStep.set(step);
      q.set(one);
      num.set(p.bonusToken ? one : 0n);
      draft.set(0);
      verifyPos.set(io.cfg_verify_per_pos.zext(w.verifyPos));
      loadTotal.set(step.zext(w.loadTotal));
    });

    const qK = m.let('q_k', q.mulExpand(pAvg).slice(2 * F, F)); // floor(q p / 2^F) <= 2^F
    const numK = m.let('num_k', num.add(qK.zext(w.num)));
    const draftK = m.let('draft_k', draft.add(td.zext(w.draft)));
    const verifyPosK = m.let('verify_pos_k', verifyPos.add(tvp.zext(w.verifyPos)));
    const loadTotalK = m.let('load_total_k', loadTotal.add(loadStep.zext(w.loadTotal)));
    const tInitW = tInit.zext(w.draft);
    const longer = mux(draftK.gt(tInitW), draftK, tInitW);
    const whole = m.let('whole_cycles_k', longer.zext(w.cycleInt).add(tFixed.zext(w.cycleInt)).add(verifyPosK.zext(w.cycleInt)));
    const cyclesK = m.let('cycles_k', whole.shlExpand(Fl).zext(w.cycles).add(loadTotalK.zext(w.cycles)));
    // Theta(k) > Theta(best)  <=>  N(k) T(best) > N(best) T(k); the first candidate is always taken
    const better = m.let('better', numK.mulExpand(bestCycles).gt(bestNum.mulExpand(cyclesK)));
    const take = m.let('take', cand.eq(1).or(better));
    const last = m.let('last', cand.eq(p.kMax));

    kValid.set(false);
    m.when(busy, () => {
      q.set(qK);
      num.set(numK);
      draft.set(draftK);
      verifyPos.set(verifyPosK);
      loadTotal.set(loadTotalK);
      m.when(take, () => {
        bestK.set(cand);
        bestNum.set(numK);
        bestCycles.set(cyclesK);
      });
      m.when(last, () => {
        busy.set(false);
        kValid.set(true);
        kOut.set(mux(take, cand, bestK));
        kNum.set(mux(take, numK, bestNum));
        kCycles.set(mux(take, cyclesK, bestCycles));
      }).otherwise(() => cand.set(cand.add(1)));
    });

    // ---- outputs ---------------------------------------------------------------------------------
    io.set_ready.set(idle);
    io.upd_ready.set(idle.and(io.set_valid.not()));
    io.choose_ready.set(idle.and(io.set_valid.not()).and(io.upd_valid.not()));
    io.upd_error.set(updError);
    io.busy.set(busy);
    io.k_valid.set(kValid);
    io.k_out.set(kOut);
    io.k_num.set(kNum);
    io.k_cycles.set(kCycles);
    io.p_out.set(pAvg);
    io.loads_out.set(loadsAvg);
  },
});
