import { Bool, UInt, Vec, Bits, cat, clog2, defineModule, input, lit, mux, output, type ModuleBuilder, type Sig } from '../../../index.ts';
import { LOG2E_Q16, exp2Lut, littleK, logitLayout, routerParams, thresholdBits, type ResolvedRouterParams, type RouterParams } from '../golden/router.ts';

/**
 * Big/little top-k router: one token of N gate logits per beat in, K ranked expert ids, K Q1.W
 * weights and the big/little decision out. The math (ranking, fixed point, base-2 exponential,
 * importance comparator, renormalization) is defined in hdl-gen/units/routing/golden/router.ts.
 *
 * Pipeline (latency K + 2 cycles, II = 1 while `out_ready` is high):
 * - stages 1..K: stage r picks rank r-1 with an argmax tree over the experts not yet picked
 *   (tree nodes keep the left, lower-id operand on equal keys, so the lower id wins ties);
 * - stage K+1: fixed-point conversion of the K picked logits, differences to the top-1, exponential
 *   (table lookup and shift), prefix sums and the importance comparator;
 * - stage K+2: K restoring dividers (round half up) form the weights; outputs are registers.
 * Flow control: one global enable `advance = !out_valid || out_ready`; `in_ready = advance` (a
 * combinational path from out_ready to in_ready, as in any stall-all pipeline).
 *
 * `in_threshold` is the threshold register's value; it is sampled with the token (it travels down
 * the pipeline with it), so changing it never affects tokens already accepted.
 *
 * Ports: `in_logits[i]` = expert i's logit (FP32/BF16 bits); `in_force_big` forces the big set (a
 * MoBiLE fallback re-run, or an external confidence gate on the output distribution);
 * `out_ids[r]` = rank r's expert id for r < K (ranks >= k carry weight 0: prefetch hints);
 * `out_weights[r]` = Q1.W weight (1.0 = 2^W); `out_big` = the token used all K ranks.
 */
export type TopKRouterParams = RouterParams;

type Candidate = { valid: Sig<'bool'>; key: Sig<'uint'>; id: Sig<'uint'> };

/** Argmax over the nodes in id order: the left (lower-id) node wins equal keys. */
function argmaxTree(nodes: Candidate[]): Candidate {
  let level = nodes;
  while (level.length > 1) {
    const next: Candidate[] = [];
    for (let i = 0; i + 1 < level.length; i += 2) {
      const a = level[i];
      const b = level[i + 1];
      const takeA = a.valid.and(b.valid.not().or(a.key.ge(b.key)));
      next.push({ valid: a.valid.or(b.valid), key: mux(takeA, a.key, b.key), id: mux(takeA, a.id, b.id) });
    }
    if (level.length % 2) next.push(level[level.length - 1]); // highest ids: stays to the right
    level = next;
  }
  return level[0];
}

/** The logit bits back from an order key (inverse of `sign ? ~bits : bits | signBit`). */
function keyToBits(key: Sig<'uint'>): Sig<'uint'> {
  const msb = key.width - 1;
  return mux(key.bit(msb), key.xor(1n << BigInt(msb)), key.not());
}

/** x = sign ? -mag : mag, mag = min(floor(|v| 2^F), 2^(I+F) - 1), as SInt(I+F+1). */
function toFixed(m: ModuleBuilder, name: string, bits: Sig<'uint'>, p: ResolvedRouterParams): Sig<'sint'> {
  const L = logitLayout(p.format);
  const F = p.fracBits;
  const I = p.intBits;
  const sign = bits.bit(L.width - 1);
  const e = bits.slice(L.width - 2, L.fracBits);
  const frac = bits.slice(L.fracBits - 1, 0);
  const sat = e.ge(L.bias + I); // |v| >= 2^I (Inf/NaN too)
  // wide = 1.frac * 2^(M + I - 1 + F); mag = floor(wide >> P) >> M with P = bias + I - 1 - e.
  // Subnormals (e = 0, true hidden bit 0) shift out completely: P = bias + I - 1 >= M + I + F.
  const wide = cat(lit(1, Bool()), frac).shlExpand(I - 1 + F);
  const shift = lit(L.bias + I - 1, UInt(L.expBits)).sub(e); // used only when !sat, so e <= bias + I - 1
  const shifted = wide.shr(shift);
  const magnitude = mux(sat, lit((1n << BigInt(I + F)) - 1n, UInt(I + F)), shifted.slice(L.fracBits + I + F - 1, L.fracBits));
  const mag = m.let(`${name}_mag`, magnitude).zext(I + F + 1).asSInt();
  return m.let(`${name}_x`, mux(sign, mag.neg(), mag));
}

/**
 * table[index] as a balanced tree of 2:1 muxes, one named Vec per level (level l selects on index
 * bit l), so large tables neither build a deep mux chain nor a deeply nested expression.
 */
function romLookup(m: ModuleBuilder, name: string, table: readonly bigint[], width: number, index: Sig<'uint'>): Sig<'uint'> {
  let level: Sig<'uint'>[] = table.map((v) => lit(v, UInt(width)));
  for (let b = 0; level.length > 1; b++) {
    const wire = m.wire(`${name}_l${b + 1}`, Vec(UInt(width), level.length / 2));
    const prev = level;
    wire.elements().forEach((e, i) => e.set(mux(index.bit(b), prev[2 * i + 1], prev[2 * i])));
    level = wire.elements();
  }
  return level[0];
}

/** floor(num / den) for a quotient known to be < 2^qBits (restoring division, one stage per bit). */
function divide(num: Sig<'uint'>, den: Sig<'uint'>, qBits: number): Sig<'uint'> {
  const w = Math.max(num.width, den.width + qBits);
  let rem = num.zext(w);
  const d = den.zext(w);
  const q: Sig<'bool'>[] = [];
  for (let b = qBits - 1; b >= 0; b--) {
    const trial = d.shl(b); // den * 2^b < 2^w: no bits lost
    const fits = rem.ge(trial);
    q.push(fits);
    rem = mux(fits, rem.sub(trial), rem);
  }
  return cat(...q).asUInt();
}

export const TopKRouter = defineModule({
  name: 'TopKRouter',
  io: (params: TopKRouterParams) => {
    const p = routerParams(params);
    const L = logitLayout(p.format);
    return {
      in_valid: input(Bool()),
      in_ready: output(Bool()),
      in_logits: input(Vec(Bits(L.width), p.experts)),
      in_threshold: input(UInt(thresholdBits(p))),
      in_force_big: input(Bool()),
      out_valid: output(Bool()),
      out_ready: input(Bool()),
      out_ids: output(Vec(UInt(clog2(p.experts)), p.k)),
      out_weights: output(Vec(UInt(p.weightBits + 1), p.k)),
      out_big: output(Bool()),
    };
  },
  moduleName: (params) => {
    const p = routerParams(params);
    return `TopKRouter_${p.format}_n${p.experts}_k${p.k}_${p.importance}_f${p.fracBits}i${p.intBits}w${p.weightBits}g${p.lutBits}`;
  },
  body: (m, io, params) => {
    const p = routerParams(params);
    const N = p.experts;
    const K = p.k;
    const W = p.weightBits;
    const F = p.fracBits;
    const I = p.intBits;
    const idBits = clog2(N);
    const L = logitLayout(p.format);
    const outValid = m.reg('out_valid_r', Bool(), { init: 0 });
    const advance = m.let('advance', outValid.not().or(io.out_ready));
    io.in_ready.set(advance);
    const stage = <K2 extends 'uint' | 'bool' | 'sint'>(name: string, value: Sig<K2>): Sig<K2> => m.regNext(name, value, { enable: advance });
    const stageValid = (name: string, value: Sig<'bool'>): Sig<'bool'> => m.regNext(name, value, { enable: advance, init: 0 });

    // ---- stages 1..K: ranking --------------------------------------------------------------------
    const signBit = 1n << BigInt(L.width - 1);
    let keys: Sig<'uint'>[] = io.in_logits.elements().map((b, i) => {
      const bits = b.asUInt();
      return m.let(`key${i}`, mux(bits.bit(L.width - 1), bits.not(), bits.or(signBit)));
    });
    let taken: Sig<'bool'>[] = keys.map(() => lit(0, Bool()));
    let valid: Sig<'bool'> = io.in_valid;
    let threshold: Sig<'uint'> = io.in_threshold;
    let forceBig: Sig<'bool'> = io.in_force_big;
    let pickedIds: Sig<'uint'>[] = [];
    let pickedKeys: Sig<'uint'>[] = [];
    for (let r = 0; r < K; r++) {
      const win = argmaxTree(keys.map((key, i) => ({ valid: taken[i].not(), key, id: lit(i, UInt(idBits)) })));
      const winId = m.let(`rank${r}_id`, win.id);
      const nowTaken = taken.map((t, i) => t.or(winId.eq(i)));
      const s = `s${r + 1}`;
      valid = stageValid(`${s}_valid`, valid);
      threshold = stage(`${s}_threshold`, threshold);
      forceBig = stage(`${s}_force_big`, forceBig);
      pickedIds = [...pickedIds.map((x, j) => stage(`${s}_id${j}`, x)), stage(`${s}_id${r}`, winId)];
      pickedKeys = [...pickedKeys.map((x, j) => stage(`${s}_key${j}`, x)), stage(`${s}_key${r}`, win.key)];
      if (r + 1 < K) {
        keys = keys.map((x, i) => stage(`${s}_logit_key${i}`, x));
        taken = nowTaken.map((x, i) => stage(`${s}_taken${i}`, x));
      }
    }

    // ---- stage K+1: fixed point, exponentials, sums, importance ---------------------------------
    const fixed = pickedKeys.map((key, r) => toFixed(m, `rank${r}`, keyToBits(key), p));
    const dBits = I + F + 1;
    const diffs = fixed.map((x, r) => (r === 0 ? lit(0, UInt(dBits)) : m.let(`rank${r}_d`, fixed[0].subExpand(x).asUInt().slice(dBits - 1, 0)))); // x_0 >= x_r: fits dBits
    const lut = exp2Lut(W, p.lutBits);
    const one = lit(1n << BigInt(W), UInt(W + 1));
    const exps = diffs.map((d, r) => {
      if (r === 0) return one; // d_0 = 0: LUT[0] >> 0 = 2^W
      const t = d.mulExpand(lit(LOG2E_Q16, UInt(17))).slice(dBits + 16, 16); // floor(d L / 2^16) < 2^(dBits+1)
      const idx = t.slice(F - 1, F - p.lutBits);
      const n = t.slice(dBits, F);
      return m.let(`rank${r}_e`, romLookup(m, `rank${r}_lut`, lut, W + 1, idx).shr(n));
    });
    const sumBits = W + 1 + clog2(K);
    const sumOf = (count: number) => exps.slice(1, count).reduce((acc, e) => acc.add(e.zext(sumBits)), one.zext(sumBits));
    const sumBig = m.let('sum_big', sumOf(K));
    const sumLittle = m.let('sum_little', sumOf(littleK(p)));
    const important =
      p.importance === 'margin'
        ? diffs[1].lt(threshold)
        : threshold.mulExpand(sumBig).gt(1n << BigInt(2 * W)); // p1 = 2^W / sumBig < thr / 2^W
    const bigNow = m.let('big', forceBig.or(important));
    const sumUsed = m.let('sum_used', mux(bigNow, sumBig, sumLittle));
    const s2 = `s${K + 1}`;
    const v2 = stageValid(`${s2}_valid`, valid);
    const big2 = stage(`${s2}_big`, bigNow);
    const sum2 = stage(`${s2}_sum`, sumUsed);
    const ids2 = pickedIds.map((x, r) => stage(`${s2}_id${r}`, x));
    const exps2 = exps.map((x, r) => (r === 0 ? x : stage(`${s2}_e${r}`, x)));

    // ---- stage K+2: weights = round(e_r 2^W / s) -------------------------------------------------
    const den = sum2.shlExpand(1); // 2s
    const weights = exps2.map((e, r) => {
      const num = e.shlExpand(W + 1).addExpand(sum2); // e 2^(W+1) + s
      const q = m.let(`rank${r}_w`, divide(num, den, W + 1));
      return r < littleK(p) ? q : mux(big2, q, lit(0, UInt(W + 1)));
    });
    outValid.set(mux(advance, v2, outValid));
    const outBig = m.reg('out_big_r', Bool(), { enable: advance });
    outBig.set(big2);
    io.out_valid.set(outValid);
    io.out_big.set(outBig);
    ids2.forEach((x, r) => io.out_ids.at(r).set(stage(`out_id${r}`, x)));
    weights.forEach((x, r) => io.out_weights.at(r).set(stage(`out_w${r}`, x)));
  },
});
