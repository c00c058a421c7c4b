/**
 * Cycle-level golden model of the expert cache + prefetch controller (RTL:
 * hdl-gen/units/routing/rtl/expert-cache.ts, matched cycle for cycle on every output).
 *
 * Ports (one call of `cycle` = one clock cycle; outputs are computed from the state at the start
 * of the cycle and this cycle's inputs, then the state updates at the clock edge):
 * - demand: `dem_valid`, `dem_tag`, `dem_optional` -> `dem_done`, `dem_hit`, `dem_skip`, `dem_slot`.
 *   The requester holds the request until `dem_done`. Resident (valid, not in flight): done + hit,
 *   the slot is touched (LRU). In flight: stall. Absent: a demand load is issued when the link is
 *   free and a victim exists (stall meanwhile). With `mobileFallback`, an absent `dem_optional`
 *   expert (a big-set-only rank of an unimportant token) is skipped at once: done + skip, no load.
 * - prefetch: `pf_valid`, `pf_tag` -> `pf_ready` (queue not full) into a FIFO of `queueDepth`
 *   predicted tags. Each cycle the head is: dropped if already resident or in flight; dropped if no
 *   slot can be evicted; else issued as a load when the link is free and neither a demand load nor a
 *   demand hit (which owns the LRU update) takes this cycle; else it waits.
 * - pin: `pin_valid`, `pin_tag`, `pin_set`: sets/clears `pinned` on the slot holding the tag (no effect
 *   if absent); that slot is not a victim in the same cycle. Allocation clears `pinned`.
 * - host link: one load at a time, each `loadCycles = linkLatency + ceil(expertBytes /
 *   linkBytesPerCycle)` cycles after issue; `done_valid`/`done_slot` in its last cycle, resident the
 *   cycle after; a new load may issue in that last cycle. `load_valid/slot/tag/prefetch` show an issue.
 */
import { UserError } from '../../../errors.ts';
import { TagStore } from './tag-store.ts';

export interface ExpertCacheParams {
  /** Expert slots S (2..64). */
  readonly slots: number;
  /** Width of an expert tag {layer, expert} (1..16). */
  readonly tagBits: number;
  /** Prefetch queue entries (power of two, 2..64). */
  readonly queueDepth: number;
  /** Bytes of one expert's weights. */
  readonly expertBytes: number;
  /** Host-link bandwidth in bytes per cycle. */
  readonly linkBytesPerCycle: number;
  /** Host-link latency in cycles (added to each load). */
  readonly linkLatency: number;
  /** MoBiLE: skip absent optional (big-only) experts instead of loading them. */
  readonly mobileFallback: boolean;
}

function checkInt(name: string, v: unknown, lo: number, hi: number): void {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) throw new UserError(`ExpertCache: ${name} must be an integer from ${lo} to ${hi}, got ${String(v)}`);
}

export function expertCacheParams(p: ExpertCacheParams): ExpertCacheParams {
  checkInt('slots', p.slots, 2, 64);
  checkInt('tagBits', p.tagBits, 1, 16);
  checkInt('queueDepth', p.queueDepth, 2, 64);
  if ((p.queueDepth & (p.queueDepth - 1)) !== 0) throw new UserError(`ExpertCache: queueDepth must be a power of two, got ${p.queueDepth}`);
  checkInt('expertBytes', p.expertBytes, 1, 2 ** 40);
  checkInt('linkBytesPerCycle', p.linkBytesPerCycle, 1, 2 ** 20);
  checkInt('linkLatency', p.linkLatency, 0, 2 ** 20);
  if (typeof p.mobileFallback !== 'boolean') throw new UserError(`ExpertCache: mobileFallback must be true or false, got ${String(p.mobileFallback)}`);
  if (loadCycles(p) > 2 ** 31) throw new UserError(`ExpertCache: a load takes ${loadCycles(p)} cycles (linkLatency + expertBytes / linkBytesPerCycle); at most 2^31 are supported`);
  return p;
}

/** Cycles of one load on the link. */
export function loadCycles(p: Pick<ExpertCacheParams, 'expertBytes' | 'linkBytesPerCycle' | 'linkLatency'>): number {
  return p.linkLatency + Math.ceil(p.expertBytes / p.linkBytesPerCycle);
}

export interface ExpertCacheInputs {
  readonly dem_valid: boolean;
  readonly dem_tag: number;
  readonly dem_optional: boolean;
  readonly pf_valid: boolean;
  readonly pf_tag: number;
  readonly pin_valid: boolean;
  readonly pin_tag: number;
  readonly pin_set: boolean;
}

export interface ExpertCacheOutputs {
  readonly dem_done: boolean;
  readonly dem_hit: boolean;
  readonly dem_skip: boolean;
  readonly dem_slot: number;
  readonly pf_ready: boolean;
  readonly load_valid: boolean;
  readonly load_slot: number;
  readonly load_tag: number;
  readonly load_prefetch: boolean;
  readonly done_valid: boolean;
  readonly done_slot: number;
}

export class ExpertCacheModel {
  readonly store: TagStore;
  readonly queue: number[] = [];
  readonly loadCycles: number;
  private busy = false;
  private counter = 0;
  private current = 0;

  constructor(readonly p: ExpertCacheParams) {
    expertCacheParams(p);
    this.store = new TagStore(p.slots);
    this.loadCycles = loadCycles(p);
  }

  cycle(x: ExpertCacheInputs): ExpertCacheOutputs {
    const st = this.store;
    const done = this.busy && this.counter === 1;
    const linkFree = !this.busy || done;
    const h = x.dem_valid ? st.find(x.dem_tag) : -1;
    const resident = x.dem_valid && h >= 0 && !st.slots[h].inflight;
    const skip = x.dem_valid && h < 0 && x.dem_optional && this.p.mobileFallback;
    const needLoad = x.dem_valid && h < 0 && !skip;
    const pinSlot = x.pin_valid ? st.find(x.pin_tag) : -1;
    const v = st.victim((i) => i === pinSlot);

    let load: { slot: number; tag: number; prefetch: boolean } | null = null;
    if (linkFree && needLoad && v >= 0) load = { slot: v, tag: x.dem_tag, prefetch: false };
    let pop = false;
    if (this.queue.length) {
      const head = this.queue[0];
      if (st.find(head) >= 0 || v < 0) pop = true;
      else if (linkFree && !needLoad && !resident) {
        load = { slot: v, tag: head, prefetch: true };
        pop = true;
      }
    }
    const pfReady = this.queue.length < this.p.queueDepth;
    const out: ExpertCacheOutputs = {
      dem_done: resident || skip,
      dem_hit: resident,
      dem_skip: skip,
      dem_slot: resident ? h : 0,
      pf_ready: pfReady,
      load_valid: load !== null,
      load_slot: load?.slot ?? 0,
      load_tag: load?.tag ?? 0,
      load_prefetch: load?.prefetch ?? false,
      done_valid: done,
      done_slot: done ? this.current : 0,
    };

    // clock edge
    if (done) {
      st.complete(this.current);
      this.busy = false;
    }
    if (resident) st.touch(h);
    if (load) {
      st.allocate(load.slot, load.tag);
      this.busy = true;
      this.counter = this.loadCycles;
      this.current = load.slot;
    } else if (this.busy) this.counter--;
    if (pinSlot >= 0) st.setPinned(pinSlot, x.pin_set);
    if (pop) this.queue.shift();
    if (x.pf_valid && pfReady) this.queue.push(x.pf_tag);
    return out;
  }
}
