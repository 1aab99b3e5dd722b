// Why: a diverging run must never cost the user their trained network. A single rollback point that is
// re-saved at every readback ends up holding the blow-up itself; this ring keeps the last few states
// from stretches the health rule called clean (weights, optimizer moments and running statistics
// together, so momentum from a diverging stretch never comes back), on the GPU, as plain buffer copies.
import type { Gpu } from '../gpu';
import type { ParamStore, Snapshot } from '../engine/param-store';
import type { LayerNorm } from './health';

/** One kept state: what the network was after `step` steps. */
export interface RollbackPoint {
  step: number;
  /** The training loss charted at that step (the last step of the clean stretch), when there was one. */
  loss?: number;
  /** The learning rate of the steps that led there (undefined at step 0). */
  lr?: number;
  /** Each layer's weight norm then: the baseline of the "weights exploded" rule. */
  norms: LayerNorm[];
}

interface Slot {
  buffers: GPUBuffer[];
  point?: RollbackPoint;
  /** Copied, its stretch not judged yet (see reserve). */
  pending: boolean;
  /** Order of capture, to find the newest and the oldest. */
  seq: number;
}

/** A state copied at a readback, kept or dropped once its stretch is judged. */
export interface PendingState {
  readonly pendingSlot: number;
}

/** How many states the ring keeps. */
export const ROLLBACK_POINTS = 4;
/** States copied at readbacks still being judged (one per staging buffer of the trainer). */
export const PENDING_STATES = 2;

export class RollbackRing {
  #gpu: Gpu;
  #store: ParamStore;
  #slots: Slot[];
  #keep: number;
  #seq = 0;

  constructor(gpu: Gpu, store: ParamStore, size = ROLLBACK_POINTS) {
    this.#gpu = gpu;
    this.#store = store;
    this.#keep = size;
    const p = store.layout.total * 4;
    const s = store.layout.stateTotal * 4;
    this.#slots = Array.from({ length: size + PENDING_STATES }, (_, i) => ({ buffers: [gpu.storage(p, `rollback-${i}-params`), gpu.storage(p, `rollback-${i}-m`), gpu.storage(p, `rollback-${i}-v`), gpu.storage(s, `rollback-${i}-state`)], pending: false, seq: -1 }));
  }

  #live(): GPUBuffer[] {
    return [this.#store.params, this.#store.m, this.#store.v, this.#store.state];
  }

  #kept(): Slot[] {
    return this.#slots.filter((s) => s.point).sort((a, b) => a.seq - b.seq);
  }

  /** The kept points, oldest first. */
  get points(): RollbackPoint[] {
    return this.#kept().map((s) => s.point!);
  }

  get newest(): RollbackPoint | undefined {
    return this.#kept().at(-1)?.point;
  }

  /** Copies the live state into the ring (queued after all work submitted so far), evicting the oldest. */
  capture(point: RollbackPoint): void {
    let pending: PendingState | undefined;
    this.#gpu.submit((enc) => (pending = this.reserve(enc)), 'rollback-capture');
    this.commit(pending!, point);
  }

  /**
   * Records a copy of the live state, as it is at that point of `enc`, into a free slot: the state at
   * a readback, judged when its statistics come back (commit or discard). Never evicts a kept point.
   */
  reserve(enc: GPUCommandEncoder): PendingState {
    const index = this.#slots.findIndex((s) => !s.point && !s.pending);
    if (index < 0) throw new Error(`rollback ring: more than ${PENDING_STATES} states awaiting judgement`);
    const slot = this.#slots[index]!;
    this.#live().forEach((b, i) => enc.copyBufferToBuffer(b, 0, slot.buffers[i]!, 0, b.size));
    slot.pending = true;
    return { pendingSlot: index };
  }

  /** A reserved state becomes a rollback point (replacing one of the same step); the oldest beyond the
   *  ring's size is evicted. */
  commit(pending: PendingState, point: RollbackPoint): void {
    const slot = this.#pendingSlot(pending);
    for (const s of this.#slots) if (s.point?.step === point.step) s.point = undefined;
    slot.pending = false;
    slot.point = point;
    slot.seq = this.#seq++;
    const kept = this.#kept();
    for (const s of kept.slice(0, Math.max(0, kept.length - this.#keep))) s.point = undefined;
  }

  /** A reserved state that will not be kept (its stretch was not clean). */
  discard(pending: PendingState): void {
    this.#pendingSlot(pending).pending = false;
  }

  #pendingSlot(pending: PendingState): Slot {
    const slot = this.#slots[pending.pendingSlot];
    if (!slot?.pending) throw new Error('rollback ring: that state is not awaiting judgement');
    return slot;
  }

  /**
   * The newest point whose weights were not part of the trouble: the loss computed from a point's
   * weights is the next step's, so it must come before `troubleStart`. Undefined when none does.
   */
  before(troubleStart: number): RollbackPoint | undefined {
    return this.#kept()
      .filter((s) => s.point!.step + 1 < troubleStart)
      .at(-1)?.point;
  }

  /** The oldest kept point (the fallback when the trouble began before every point). */
  get oldest(): RollbackPoint | undefined {
    return this.#kept()[0]?.point;
  }

  #slotOf(point: RollbackPoint): Slot {
    const slot = this.#slots.find((s) => s.point === point);
    if (!slot) throw new Error(`rollback point at step ${point.step} is no longer kept`);
    return slot;
  }

  /** Puts a point back as the live state and forgets every newer point (they led to the trouble). */
  restore(point: RollbackPoint): void {
    const slot = this.#slotOf(point);
    const live = this.#live();
    this.#gpu.submit((enc) => live.forEach((b, i) => enc.copyBufferToBuffer(slot.buffers[i]!, 0, b, 0, b.size)), 'rollback-restore');
    for (const s of this.#slots) if (s.point && s.seq > slot.seq) s.point = undefined;
  }

  /** A CPU copy of a kept point (for the page's recovery copy and device-loss recovery). */
  async snapshot(point: RollbackPoint): Promise<Snapshot> {
    const [p, m, v, state] = this.#slotOf(point).buffers as [GPUBuffer, GPUBuffer, GPUBuffer, GPUBuffer];
    const n = this.#store.layout.total;
    const [params, mm, vv, st] = await Promise.all([this.#gpu.readF32(p, n), this.#gpu.readF32(m, n), this.#gpu.readF32(v, n), this.#gpu.readF32(state, this.#store.layout.stateTotal)]);
    return { params, m: mm, v: vv, state: st, step: point.step };
  }

  /** Forgets every point (new weights or a new optimizer make them meaningless). */
  clear(): void {
    for (const s of this.#slots) s.point = undefined;
  }

  /** Forgets the states awaiting judgement too (a run that ended without judging them). */
  clearPending(): void {
    for (const s of this.#slots) s.pending = false;
  }

  dispose(): void {
    for (const s of this.#slots) for (const b of s.buffers) this.#gpu.release(b);
  }
}
