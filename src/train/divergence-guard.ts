// Why: the trainer's loop only hands this guard the losses it read back; the guard judges them with the
// health rule, keeps rollback points from clean stretches only, and on divergence puts back the newest
// state from before the trouble began and names the layer that went bad. Its interface is narrow (steps
// in, a verdict out) so the loop around it can change. The loop never waits for it: the state at each
// readback is copied on the GPU in the same submit (reserve), and kept or dropped when that readback's
// losses and weight norms are judged, later, off the loop (review).
import type { Gpu } from '../gpu';
import type { Network } from '../engine/network';
import type { Snapshot } from '../engine/param-store';
import { explodedLayer, firstBadLayer, formatLoss, HealthMonitor, troubleStart, type LayerNorm, type LayerSignal, type StepLoss } from './health';
import { RollbackRing, type PendingState, type RollbackPoint } from './rollback-ring';

/** Steps of loss history kept to find where a rise began (several readbacks' worth). */
const HISTORY = 512;

/** What the guard needs from the loop to say which layer went bad. */
export interface StepProbe {
  /** Each layer's output size and weight-gradient norm in the last step run (forward order). */
  signals(): Promise<LayerSignal[]>;
  /** Runs the last step's forward and backward again (same batch), without an optimizer update. */
  replay(): void;
}

/** Where training went wrong: the step, why, and from which step the trouble ran. */
export interface Trouble {
  step: number;
  reason: string;
  /** First step whose loss was part of the trouble. */
  start: number;
}

export interface Rollback {
  /** The step that broke. */
  step: number;
  /** The step training went back to, and its charted loss. */
  restoredStep: number;
  restoredLoss?: number;
  /** A learning rate to resume with: a tenth of the current one, at most the last healthy one. */
  suggestedLr: number;
  message: string;
}

export class DivergenceGuard {
  readonly #gpu: Gpu;
  readonly #network: Network;
  readonly #monitor: HealthMonitor;
  readonly #ring: RollbackRing;
  #history: StepLoss[] = [];
  /** The weight norms of the run's first point, read without the loop waiting (see start). */
  #startNorms?: Promise<LayerNorm[]>;

  constructor(gpu: Gpu, network: Network, classes: number) {
    this.#gpu = gpu;
    this.#network = network;
    this.#monitor = new HealthMonitor(classes);
    this.#ring = new RollbackRing(gpu, network.store);
  }

  /** The newest state judged healthy (undefined before any). */
  get healthy(): RollbackPoint | undefined {
    return this.#ring.newest;
  }

  get points(): RollbackPoint[] {
    return this.#ring.points;
  }

  /** A CPU copy of the newest healthy state. */
  async healthySnapshot(): Promise<Snapshot | undefined> {
    const p = this.#ring.newest;
    return p && this.#ring.snapshot(p);
  }

  /**
   * At the start of a run: the state it starts from is the first rollback point if none is kept. Its
   * copy is queued now; its weight norms (the first baseline) are read in the background.
   */
  start(step: number, lr: number | undefined): void {
    if (this.#ring.newest) return;
    const point: RollbackPoint = { step, ...(lr !== undefined && { lr }), ...this.#lastLoss(step), norms: [] };
    this.#ring.capture(point);
    const norms = this.#norms();
    this.#startNorms = norms;
    void norms.then((n) => (point.norms = n)).catch(() => undefined);
  }

  /** Copies the live state (at that point of `enc`) for judgement with the readback recorded beside it. */
  reserve(enc: GPUCommandEncoder): PendingState {
    return this.#ring.reserve(enc);
  }

  /** Drops a reserved state unjudged (its readback came after the trouble). */
  discard(pending: PendingState): void {
    this.#ring.discard(pending);
  }

  #lastLoss(step: number): { loss?: number } {
    const h = this.#history.at(-1);
    return h && h.step === step ? { loss: h.loss } : {};
  }

  /**
   * Judges the steps read back (in order, ending with the state after `endStep`, copied into `pending`,
   * whose weights have per-layer `norms`). Returns the trouble, or undefined when none; a clean stretch
   * whose weights did not explode makes `pending` a rollback point, else it is dropped.
   */
  async review(steps: readonly StepLoss[], endStep: number, lr: number, norms: LayerNorm[], pending: PendingState): Promise<Trouble | undefined> {
    const verdict = await this.#judge(steps, endStep, norms);
    if (verdict === 'clean') this.#ring.commit(pending, { step: endStep, lr, ...this.#lastLoss(endStep), norms });
    else this.#ring.discard(pending);
    return verdict === 'clean' || verdict === 'elevated' ? undefined : verdict;
  }

  async #judge(steps: readonly StepLoss[], endStep: number, norms: LayerNorm[]): Promise<Trouble | 'clean' | 'elevated'> {
    let clean = true;
    for (const [i, s] of steps.entries()) {
      this.#history.push(s);
      const v = this.#monitor.observe(s.loss);
      if (v.kind === 'elevated') clean = false;
      if (v.kind === 'diverged') {
        this.#history.push(...steps.slice(i + 1));
        this.#trim();
        const start = troubleStart(this.#history, this.#history.length - (steps.length - i), this.#monitor.reference);
        return { step: s.step, reason: v.reason, start };
      }
    }
    this.#trim();
    if (!clean) return 'elevated';
    const newest = this.#ring.newest;
    if (newest && newest.norms.length === 0 && this.#startNorms) await this.#startNorms;
    const baseline = this.#ring.newest?.norms;
    const exploded = baseline && explodedLayer(norms, baseline);
    // Exploded weights after `endStep` are first used by the next step's loss.
    if (exploded) return { step: endStep, reason: exploded.reason, start: endStep + 1 };
    return 'clean';
  }

  #trim(): void {
    if (this.#history.length > HISTORY) this.#history.splice(0, this.#history.length - HISTORY);
  }

  /** Restores the newest state from before the trouble and explains what happened. */
  async rollBack(trouble: Trouble, currentLr: number, probe: StepProbe): Promise<Rollback> {
    const point = this.#ring.before(trouble.start) ?? this.#ring.oldest;
    if (!point) throw new Error(`training diverged at step ${trouble.step} and no earlier state was kept`);
    const bad = await probe.signals();
    this.#ring.restore(point);
    // The same batch through the healthy weights gives each layer's normal size to compare with;
    // restoring again undoes what that pass changed (batch-norm running statistics).
    probe.replay();
    const healthy = await probe.signals();
    this.#ring.restore(point);
    const where = firstBadLayer(bad, healthy);
    // At step 0 no loss was charted: the loss its weights gave on the next batch says the same.
    const loss = point.loss ?? this.#history.find((h) => h.step === point.step + 1)?.loss;
    this.#history = this.#history.filter((h) => h.step <= point.step);
    const suggestedLr = Math.min(currentLr / 10, point.lr ?? Infinity);
    const before = point.step + 1 < trouble.start ? '' : ' (the trouble began before every state kept; this is the earliest)';
    const message =
      `Training diverged at step ${trouble.step}: ${trouble.reason}${where ? `; ${where}` : ''}. ` +
      `Training is paused and the network went back to step ${point.step}${loss !== undefined ? ` (loss ${formatLoss(loss)})` : ''}${before}, ` +
      `with the optimizer state it had then.`;
    return { step: trouble.step, restoredStep: point.step, ...(loss !== undefined && { restoredLoss: loss }), suggestedLr, message };
  }

  /** New weights: the kept states and the loss level no longer apply. */
  forget(): void {
    this.#ring.clear();
    this.#monitor.reset();
    this.#history = [];
  }

  /** A new optimizer: the kept states hold the old one's moments; the loss level still holds. */
  forgetStates(): void {
    this.#ring.clear();
  }

  /** Each layer's weight norm (all its tensors together), from the live weights. */
  async #norms(): Promise<LayerNorm[]> {
    const store = this.#network.store;
    const params = await this.#gpu.readF32(store.params, store.layout.total);
    return layerNorms(store.layout.slots, params);
  }

  dispose(): void {
    this.#ring.dispose();
  }
}

/** ‖θ‖ per layer over its slots in a flat buffer (NaN when any value is non-finite). */
export function layerNorms(slots: readonly { layerId: string; offset: number; count: number }[], flat: Float32Array): LayerNorm[] {
  const sums = new Map<string, number>();
  for (const s of slots) {
    let sum = sums.get(s.layerId) ?? 0;
    for (let i = s.offset; i < s.offset + s.count; i++) sum += flat[i]! * flat[i]!;
    sums.set(s.layerId, sum);
  }
  return [...sums].map(([layerId, sum]) => ({ layerId, norm: Math.sqrt(sum) }));
}
