import { Bool, UInt, cat, clog2, defineModule, input, lit, mux, output, type Sig } from '../../../index.ts';
import { expertCacheParams, loadCycles, type ExpertCacheParams } from '../golden/expert-cache.ts';

/**
 * Expert cache + prefetch controller: tag store of S slots (valid, tag, in flight, pinned, LRU age),
 * demand path with hit/miss/stall, a FIFO prefetch queue of predicted tags, a host-link model (one
 * load at a time, `linkLatency + ceil(expertBytes / linkBytesPerCycle)` cycles each) and the MoBiLE
 * optional-expert skip. Every decision is specified in hdl-gen/units/routing/golden/expert-cache.ts
 * and tag-store.ts; this module matches that model cycle for cycle.
 *
 * The demand response is combinational on the current state (a request is served in the cycle it
 * hits); all state changes at the clock edge. Lookups are S parallel tag comparators; the victim is
 * an argmax tree over {invalid, age} (left = lower slot wins equal keys); the LRU update is one
 * compare-and-increment per slot.
 */
export type ExpertCacheRtlParams = ExpertCacheParams;

type Cand = { valid: Sig<'bool'>; key: Sig<'uint'>; idx: Sig<'uint'> };

function argmax(nodes: Cand[]): Cand {
  let level = nodes;
  while (level.length > 1) {
    const next: Cand[] = [];
    for (let i = 0; i + 1 < level.length; i += 2) {
      const a = level[i];
      const b = level[i + 1];
      const takeA = a.valid.and(b.valid.not().or(a.key.ge(b.key)));
      next.push({ valid: a.valid.or(b.valid), key: mux(takeA, a.key, b.key), idx: mux(takeA, a.idx, b.idx) });
    }
    if (level.length % 2) next.push(level[level.length - 1]);
    level = next;
  }
  return level[0];
}

/** The index of the (at most one) set bit; 0 if none. */
function encode(onehot: Sig<'bool'>[], bits: number): Sig<'uint'> {
  return onehot.reduce<Sig<'uint'>>((acc, b, i) => acc.or(mux(b, lit(i, UInt(bits)), lit(0, UInt(bits)))), lit(0, UInt(bits)));
}

const anyOf = (bs: Sig<'bool'>[]): Sig<'bool'> => bs.reduce((a, b) => a.or(b));

export const ExpertCache = defineModule({
  name: 'ExpertCache',
  io: (params: ExpertCacheRtlParams) => {
    const p = expertCacheParams(params);
    const sb = clog2(p.slots);
    return {
      dem_valid: input(Bool()),
      dem_tag: input(UInt(p.tagBits)),
      dem_optional: input(Bool()),
      dem_done: output(Bool()),
      dem_hit: output(Bool()),
      dem_skip: output(Bool()),
      dem_slot: output(UInt(sb)),
      pf_valid: input(Bool()),
      pf_tag: input(UInt(p.tagBits)),
      pf_ready: output(Bool()),
      pin_valid: input(Bool()),
      pin_tag: input(UInt(p.tagBits)),
      pin_set: input(Bool()),
      load_valid: output(Bool()),
      load_slot: output(UInt(sb)),
      load_tag: output(UInt(p.tagBits)),
      load_prefetch: output(Bool()),
      done_valid: output(Bool()),
      done_slot: output(UInt(sb)),
    };
  },
  moduleName: (params) => {
    const p = expertCacheParams(params);
    return `ExpertCache_s${p.slots}_t${p.tagBits}_q${p.queueDepth}_ld${loadCycles(p)}${p.mobileFallback ? '_mobile' : ''}`;
  },
  body: (m, io, params) => {
    const p = expertCacheParams(params);
    const S = p.slots;
    const sb = clog2(S);
    const T = loadCycles(p);
    const cb = clog2(T + 1);
    const qb = clog2(p.queueDepth);

    // ---- state -----------------------------------------------------------------------------------
    const slots = Array.from({ length: S }, (_, i) => ({
      valid: m.reg(`slot${i}_valid`, Bool(), { init: 0 }),
      tag: m.reg(`slot${i}_tag`, UInt(p.tagBits), { init: 0 }),
      inflight: m.reg(`slot${i}_inflight`, Bool(), { init: 0 }),
      pinned: m.reg(`slot${i}_pinned`, Bool(), { init: 0 }),
      age: m.reg(`slot${i}_age`, UInt(sb), { init: i }),
    }));
    const busy = m.reg('link_busy', Bool(), { init: 0 });
    const counter = m.reg('link_counter', UInt(cb), { init: 0 });
    const current = m.reg('link_slot', UInt(sb), { init: 0 });
    const queue = m.memory('pf_queue', { type: UInt(p.tagBits), depth: p.queueDepth });
    const qHead = m.reg('pf_head', UInt(qb), { init: 0 });
    const qTail = m.reg('pf_tail', UInt(qb), { init: 0 });
    const qCount = m.reg('pf_count', UInt(qb + 1), { init: 0 });

    // ---- lookups ---------------------------------------------------------------------------------
    const matches = (tag: Sig<'uint'>) => slots.map((s) => s.valid.and(s.tag.eq(tag)));
    const done = m.let('link_done', busy.and(counter.eq(1)));
    const linkFree = m.let('link_free', busy.not().or(done));

    const demMatch = matches(io.dem_tag);
    const demFound = m.let('dem_found', anyOf(demMatch));
    const demSlot = m.let('dem_found_slot', encode(demMatch, sb));
    const demInflight = anyOf(demMatch.map((x, i) => x.and(slots[i].inflight)));
    const resident = m.let('dem_resident', io.dem_valid.and(demFound).and(demInflight.not()));
    const skip = p.mobileFallback ? m.let('dem_skip_now', io.dem_valid.and(demFound.not()).and(io.dem_optional)) : lit(0, Bool());
    const needLoad = m.let('dem_need_load', io.dem_valid.and(demFound.not()).and(skip.not()));

    const pinMatch = matches(io.pin_tag).map((x) => x.and(io.pin_valid));
    const victim = argmax(
      slots.map((s, i) => ({
        valid: s.valid.not().or(s.inflight.not().and(s.pinned.not()).and(pinMatch[i].not())),
        key: cat(s.valid.not(), mux(s.valid, s.age, lit(0, UInt(sb)))).asUInt(),
        idx: lit(i, UInt(sb)),
      })),
    );
    const victimOk = m.let('victim_ok', victim.valid);
    const victimSlot = m.let('victim_slot', victim.idx);

    const qNonEmpty = qCount.ne(0);
    const head = m.let('pf_head_tag', queue.read(qHead));
    const headFound = anyOf(matches(head));
    const headDrop = m.let('pf_drop', qNonEmpty.and(headFound.or(victimOk.not())));
    const demLoad = m.let('dem_load', linkFree.and(needLoad).and(victimOk));
    const pfLoad = m.let('pf_load', qNonEmpty.and(headDrop.not()).and(linkFree).and(needLoad.not()).and(resident.not()));
    const load = m.let('load', demLoad.or(pfLoad));
    const loadTag = m.let('load_tag_now', mux(demLoad, io.dem_tag, head));
    const pop = headDrop.or(pfLoad);
    const pfReady = qCount.ne(p.queueDepth);
    const push = io.pf_valid.and(pfReady);

    // ---- outputs ---------------------------------------------------------------------------------
    io.dem_done.set(resident.or(skip));
    io.dem_hit.set(resident);
    io.dem_skip.set(skip);
    io.dem_slot.set(mux(resident, demSlot, lit(0, UInt(sb))));
    io.pf_ready.set(pfReady);
    io.load_valid.set(load);
    io.load_slot.set(mux(load, victimSlot, lit(0, UInt(sb))));
    io.load_tag.set(mux(load, loadTag, lit(0, UInt(p.tagBits))));
    io.load_prefetch.set(pfLoad);
    io.done_valid.set(done);
    io.done_slot.set(mux(done, current, lit(0, UInt(sb))));

    // ---- clock edge: link, tag store, LRU, pins, queue -------------------------------------------
    m.when(load, () => {
      busy.set(true);
      counter.set(lit(T, UInt(cb)));
      current.set(victimSlot);
    }).elsewhen(done, () => busy.set(false))
      .elsewhen(busy, () => counter.set(counter.sub(1)));

    const touch = m.let('touch', resident.or(load));
    const touchSlot = m.let('touch_slot', mux(resident, demSlot, victimSlot));
    const touchAge = m.let('touch_age', slots.reduce<Sig<'uint'>>((acc, s, i) => acc.or(mux(touchSlot.eq(i), s.age, lit(0, UInt(sb)))), lit(0, UInt(sb))));
    slots.forEach((s, i) => {
      m.when(touch, () => {
        m.when(touchSlot.eq(i), () => s.age.set(lit(0, UInt(sb)))).elsewhen(s.age.lt(touchAge), () => s.age.set(s.age.add(1)));
      });
      m.when(done.and(current.eq(i)), () => s.inflight.set(false));
      m.when(pinMatch[i], () => s.pinned.set(io.pin_set));
      m.when(load.and(victimSlot.eq(i)), () => {
        s.valid.set(true);
        s.tag.set(loadTag);
        s.inflight.set(true);
        s.pinned.set(false);
      });
    });

    m.when(push, () => {
      queue.write(qTail, io.pf_tag);
      qTail.set(qTail.add(1));
    });
    m.when(pop, () => qHead.set(qHead.add(1)));
    qCount.set(qCount.add(mux(push, lit(1, UInt(qb + 1)), lit(0, UInt(qb + 1)))).sub(mux(pop, lit(1, UInt(qb + 1)), lit(0, UInt(qb + 1)))));
  },
});
