/**
 * The expert cache's tag store and its replacement decisions (spec
 * /work/shared/specs/routing_prefetch.md, "Hardware blocks"): S slots, each
 * {valid, tag, in flight, pinned, LRU age}. Shared by the cycle-level controller model
 * (expert-cache.ts, which the RTL matches cycle for cycle) and the system model.
 *
 * - tag = {layer, expert} concatenated by the user; an expert is never resident (or in flight) twice.
 * - LRU ages are a permutation of 0..S-1 over all slots (reset: slot i has age i); touching slot x
 *   increments every age below age_x and sets age_x = 0 (0 = most recently used).
 * - Victim: the lowest-index invalid slot; else the evictable slot (valid, not in flight, not pinned,
 *   not excluded) with the largest age, lower index on equal ages; none if no slot qualifies.
 * - A new allocation is valid, in flight, not pinned, and touched.
 */
export interface Slot {
  valid: boolean;
  tag: number;
  inflight: boolean;
  pinned: boolean;
  age: number;
}

export class TagStore {
  readonly slots: Slot[];

  constructor(readonly size: number) {
    this.slots = Array.from({ length: size }, (_, i) => ({ valid: false, tag: 0, inflight: false, pinned: false, age: i }));
  }

  /** The slot holding `tag` (resident or in flight), or -1. */
  find(tag: number): number {
    return this.slots.findIndex((s) => s.valid && s.tag === tag);
  }

  /** The replacement victim (see the file comment); `exclude(slot)` removes candidates. */
  victim(exclude: (slot: number) => boolean = () => false): number {
    const invalid = this.slots.findIndex((s) => !s.valid);
    if (invalid >= 0) return invalid;
    let best = -1;
    this.slots.forEach((s, i) => {
      if (s.inflight || s.pinned || exclude(i)) return;
      if (best < 0 || s.age > this.slots[best].age) best = i;
    });
    return best;
  }

  touch(slot: number): void {
    const a = this.slots[slot].age;
    for (const s of this.slots) if (s.age < a) s.age++;
    this.slots[slot].age = 0;
  }

  allocate(slot: number, tag: number): void {
    const s = this.slots[slot];
    s.valid = true;
    s.tag = tag;
    s.inflight = true;
    s.pinned = false;
    this.touch(slot);
  }

  complete(slot: number): void {
    this.slots[slot].inflight = false;
  }

  setPinned(slot: number, pinned: boolean): void {
    this.slots[slot].pinned = pinned;
  }

  /** Throws if an invariant is broken (tests call it every cycle). */
  checkInvariants(): void {
    const ages = this.slots.map((s) => s.age).sort((a, b) => a - b);
    if (ages.some((a, i) => a !== i)) throw new Error(`LRU ages are not a permutation: ${ages.join(',')}`);
    const tags = this.slots.filter((s) => s.valid).map((s) => s.tag);
    if (new Set(tags).size !== tags.length) throw new Error(`an expert is resident twice: ${tags.join(',')}`);
  }
}
