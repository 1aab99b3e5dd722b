// Why: one run's readbacks, judged without the loop waiting. A readback is recorded into a group's
// submit (the stats since the last one, the weights, and a GPU copy of the whole state for the guard);
// its bytes arrive later and are judged in order, off the loop: losses and weight norms to the
// divergence guard (which keeps the copied state as a rollback point when the stretch was clean), a
// progress report, and the measured pace. Trouble is left for the loop to find before its next group.
import type { DivergenceGuard, Trouble } from './divergence-guard';
import { layerNorms } from './divergence-guard';
import type { StepPacer } from './pacing';
import type { PendingState } from './rollback-ring';
import type { StatsBack, StatsReadback } from './stats-readback';

export interface StepStats {
  step: number;
  loss: number;
  accuracy: number;
}

interface PendingRecord {
  firstStep: number;
  endStep: number;
  lr: number;
  pending: PendingState;
  read: () => Promise<StatsBack>;
}

export class RunReadbacks {
  /** Set by a review that found trouble, with the stretch's steps up to it. */
  trouble: { trouble: Trouble; steps: StepStats[] } | undefined;
  /** Steps whose loss was not finite (the GPU skipped their updates), as they came back. */
  skipped = 0;
  /** The newest step judged. */
  reviewed: number;
  #inFlight: Promise<void>[] = [];
  #chain: Promise<void> = Promise.resolve();
  #recorded: PendingRecord | undefined;
  #lastBack: { step: number; at: number };
  readonly #readback: StatsReadback;
  readonly #guard: DivergenceGuard;
  readonly #pacer: StepPacer;
  readonly #slots: Parameters<typeof layerNorms>[0];
  readonly #report: (endStep: number, steps: StepStats[], msPerStep: number) => void;

  constructor(f: { readback: StatsReadback; guard: DivergenceGuard; pacer: StepPacer; slots: Parameters<typeof layerNorms>[0]; report: (endStep: number, steps: StepStats[], msPerStep: number) => void; startStep: number }) {
    this.#readback = f.readback;
    this.#guard = f.guard;
    this.#pacer = f.pacer;
    this.#slots = f.slots;
    this.#report = f.report;
    this.reviewed = f.startStep;
    this.#readback.copiedTo = f.startStep;
    this.#lastBack = { step: f.startStep, at: performance.now() };
  }

  /** Readbacks recorded and not yet judged. */
  get inFlight(): number {
    return this.#inFlight.length;
  }

  /** Records into `enc` a readback of every step up to `endStep` (whose last step ran at `lr`). */
  record(enc: GPUCommandEncoder, endStep: number, lr: number): void {
    const firstStep = this.#readback.copiedTo;
    const pending = this.#guard.reserve(enc);
    this.#recorded = { firstStep, endStep, lr, pending, read: this.#readback.record(enc, endStep) };
  }

  /** After the submit: starts the map of the readback recorded; it is judged when it arrives, in order. */
  start(): void {
    const r = this.#recorded;
    if (!r) return;
    this.#recorded = undefined;
    const arrived = r.read();
    const done = this.#chain.then(async () => this.#review(r, await arrived));
    this.#chain = done.catch(() => undefined);
    this.#inFlight.push(done);
  }

  /** Waits for the oldest readback to be judged (back-pressure; it frees its staging buffer). */
  async waitOldest(): Promise<void> {
    await this.#inFlight.shift();
  }

  /** Waits for every readback recorded so far to be judged. */
  async drain(): Promise<void> {
    for (const done of this.#inFlight.splice(0)) await done;
  }

  /** Time spent off the loop (an evaluation) is not step time: the next measurement starts at `step`,
   *  now (every readback recorded so far has been judged). */
  restartClock(step: number): void {
    this.#lastBack = { step, at: performance.now() };
  }

  async #review(r: PendingRecord, back: StatsBack): Promise<void> {
    // A step with any non-finite row has no meaningful mean: call its loss NaN (the GPU skipped it).
    const steps = back.stats.map((s, i) => ({ step: r.firstStep + i + 1, loss: s.nonFinite > 0 ? NaN : s.lossSum / s.rows, accuracy: s.correct / s.rows }));
    this.skipped += steps.filter((p) => Number.isNaN(p.loss)).length;
    if (this.trouble) {
      this.#guard.discard(r.pending);
      return;
    }
    const trouble = await this.#guard.review(steps, r.endStep, r.lr, layerNorms(this.#slots, back.params), r.pending);
    this.reviewed = r.endStep;
    if (trouble) {
      this.trouble = { trouble, steps: steps.filter((p) => p.step <= trouble.step) };
      return;
    }
    // Wall time per step since the last readback judged (or the run's start): what the user waits.
    const now = performance.now();
    const prev = this.#lastBack;
    this.#lastBack = { step: r.endStep, at: now };
    const ms = (now - prev.at) / Math.max(1, r.endStep - prev.step);
    this.#pacer.observe(r.endStep - prev.step, now - prev.at);
    this.#report(r.endStep, steps, ms);
  }
}
