// Why: the loop's statistics come back without the loop waiting. Each step's loss kernel writes its
// own slot of a ring of stats slots on the GPU; every so often a submit also copies the slots written
// since the last copy, and the live weights (for the divergence guard's norms), into a staging buffer,
// and the bytes arrive later through a callback (gpu/staging.ts, two buffers: one readback in flight
// while the next is recorded).
import { StagingBuffers, type Gpu, type StagedCopy } from '../gpu';
import { decodeStats, STATS_SLOT_BYTES, type LossStats } from '../kernels/softmax-cross-entropy';

export interface StatsBack {
  /** One per step, in order. */
  stats: LossStats[];
  /** The weights as they were after the last of those steps. */
  params: Float32Array;
}

export class StatsReadback {
  /** Steps (global count) whose stats were copied out of the ring so far. */
  copiedTo = 0;
  readonly #stats: GPUBuffer;
  readonly #slots: number;
  readonly #params: GPUBuffer;
  readonly #paramCount: number;
  readonly #staging: StagingBuffers;

  constructor(gpu: Gpu, stats: GPUBuffer, slots: number, params: GPUBuffer, paramCount: number) {
    this.#stats = stats;
    this.#slots = slots;
    this.#params = params;
    this.#paramCount = paramCount;
    this.#staging = new StagingBuffers(gpu, slots * STATS_SLOT_BYTES + paramCount * 4, 2, 'stats-readback');
  }

  /** The ring slot step `step` (0-based, global) writes. */
  slotOf(step: number): number {
    return step % this.#slots;
  }

  /** Whether a staging buffer is free to record a readback into. */
  get free(): boolean {
    return this.#staging.free;
  }

  /** Steps whose stats are in the ring, not yet copied, when `endStep` steps have been recorded. */
  uncopied(endStep: number): number {
    return endStep - this.copiedTo;
  }

  /**
   * Records into `enc` the copy of the stats of steps [copiedTo, endStep) and of the weights. Call the
   * returned function after the submit: it resolves with them.
   */
  record(enc: GPUCommandEncoder, endStep: number): () => Promise<StatsBack> {
    const count = endStep - this.copiedTo;
    if (count < 1 || count > this.#slots) throw new Error(`stats readback: ${count} steps do not fit a ring of ${this.#slots}`);
    const first = this.slotOf(this.copiedTo);
    const head = Math.min(count, this.#slots - first);
    const copies: StagedCopy[] = [
      { src: this.#stats, srcOffset: first * STATS_SLOT_BYTES, bytes: head * STATS_SLOT_BYTES },
      { src: this.#stats, srcOffset: 0, bytes: (count - head) * STATS_SLOT_BYTES },
      { src: this.#params, srcOffset: 0, bytes: this.#paramCount * 4 },
    ];
    const start = this.#staging.record(enc, copies);
    this.copiedTo = endStep;
    return async () => {
      const data = await start();
      return { stats: decodeStats(data, count), params: new Float32Array(data, count * STATS_SLOT_BYTES, this.#paramCount) };
    };
  }

  dispose(): void {
    this.#staging.dispose();
  }
}
