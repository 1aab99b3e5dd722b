// Why: the loop records several steps per submit and never waits for a step, but how many steps a
// submit holds, how often stats come back and how far the CPU may run ahead of the GPU depend on how
// long a step takes: ~0.3 ms on a big GPU, ~500 ms on SwiftShader. Sizing them from an estimate of
// the GPU's time per step (first from the network's multiply-adds, then measured from the readbacks)
// keeps a fast GPU fed with few submits and keeps pause, the chart and rollback prompt on a slow one.

/** Most steps recorded into one command buffer. */
export const MAX_GROUP = 8;
/** Aim: one submit's GPU work about this long (ms), so a pause takes effect soon on a slow adapter. */
const GROUP_MS = 50;
/** Aim: a readback about this often (ms): frequent enough for a live chart, rare enough to be free. */
const READBACK_MS = 250;
/** Aim: at most about this much GPU work (ms) queued ahead of the newest statistics judged. */
const QUEUE_MS = 1000;
/** Assumed rate before any measurement (FLOP/s): SwiftShader's GEMMs reach 5–9 GFLOP/s (PERFORMANCE.md). */
const PRIOR_FLOPS = { software: 3e9, hardware: 3e11 } as const;

/** GPU ms per training step expected from the network's forward multiply-adds per sample (×3 for the
 *  backward pass, ×2 FLOPs per multiply-add), at the batch size, on this kind of adapter. */
export function priorMsPerStep(macsPerSample: number, batch: number, software: boolean): number {
  return Math.max(0.01, (6 * macsPerSample * batch * 1000) / PRIOR_FLOPS[software ? 'software' : 'hardware']);
}

export class StepPacer {
  #ms: number;
  #ringSlots: number;

  /** `ringSlots`: steps the stats ring holds (bounds readback spacing and how far the loop runs ahead). */
  constructor(priorMs: number, ringSlots: number) {
    this.#ms = priorMs;
    this.#ringSlots = ringSlots;
  }

  /** The current estimate of ms per step. */
  get msPerStep(): number {
    return this.#ms;
  }

  /** A measurement: `steps` steps came back in `ms` (between two readbacks). */
  observe(steps: number, ms: number): void {
    if (steps <= 0 || !(ms > 0)) return;
    this.#ms = 0.5 * this.#ms + 0.5 * (ms / steps);
  }

  /** Steps per submit. */
  get group(): number {
    return Math.min(MAX_GROUP, Math.max(1, Math.floor(GROUP_MS / this.#ms)));
  }

  /** Steps between readbacks (at least a group, at most a quarter of the ring). */
  get readEvery(): number {
    return Math.min(this.#ringSlots >> 2, Math.max(this.group, Math.round(READBACK_MS / this.#ms)));
  }

  /** Steps the loop may record beyond the newest readback judged (then it waits for one). */
  get window(): number {
    return Math.min(this.#ringSlots - 2 * MAX_GROUP, Math.max(2 * this.group, Math.ceil(QUEUE_MS / this.#ms)));
  }
}
