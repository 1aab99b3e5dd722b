// Why: one small, pure rule says whether training is healthy, so the trainer (whatever its loop looks
// like: one step per submit today, several with a GPU-side guard later) only feeds it numbers. A loss
// is judged against the run's own recent level (the median of the last healthy steps), never a fixed
// number, and against the untrained level ln(classes): a loss of 3 is a blow-up at 0.05 but normal at
// step 1. Rollback points are only taken from stretches this rule calls clean.

/** Thresholds of the rule (exported so tests and messages quote the same numbers). */
export const HEALTH_RULE = {
  /** Healthy losses kept for the running median. */
  window: 32,
  /** Diverged: loss > factor × the recent median … */
  divergeFactor: 10,
  /** … and above ln(classes) + this margin (nats), so noise late in training never counts. */
  untrainedMargin: 1,
  /** Elevated (not yet diverged, but no rollback point is taken): loss > factor × median … */
  elevatedFactor: 2,
  /** … and above median + this margin (nats). */
  elevatedMargin: 0.5,
  /** This many elevated steps in a row without a blow-up is the run's new level (e.g. a higher rate). */
  newLevelAfter: 64,
  /** A layer's weights exploded: norm > factor × its norm at the last healthy rollback point + floor. */
  normFactor: 10,
  normFloor: 1,
  /** A layer's output or gradient went bad: larger than factor × its healthy size + floor. */
  signalFactor: 100,
  signalFloor: 1e-3,
} as const;

export type LossVerdict = { kind: 'healthy' } | { kind: 'elevated' } | { kind: 'diverged'; reason: string };

export interface StepLoss {
  step: number;
  loss: number;
}

/** The running level of a run's loss and the verdict on each new one. */
export class HealthMonitor {
  readonly #untrained: number;
  #recent: number[] = [];
  /** The unbroken run of elevated losses so far. */
  #elevated: number[] = [];

  constructor(classes: number) {
    this.#untrained = Math.log(classes);
  }

  /** The loss an untrained network has (ln classes). */
  get untrained(): number {
    return this.#untrained;
  }

  /** The run's recent level: the median of the last healthy losses (ln classes before any). */
  get reference(): number {
    return this.#recent.length === 0 ? this.#untrained : median(this.#recent);
  }

  judge(loss: number): LossVerdict {
    if (!Number.isFinite(loss)) return { kind: 'diverged', reason: `the loss became ${Number.isNaN(loss) ? 'NaN' : '∞'}` };
    const ref = this.reference;
    const limit = Math.max(HEALTH_RULE.divergeFactor * ref, this.#untrained + HEALTH_RULE.untrainedMargin);
    if (loss > limit) return { kind: 'diverged', reason: `the loss jumped to ${formatLoss(loss)}, more than ${HEALTH_RULE.divergeFactor}× its recent level ${formatLoss(ref)}` };
    if (loss > HEALTH_RULE.elevatedFactor * ref && loss > ref + HEALTH_RULE.elevatedMargin) return { kind: 'elevated' };
    return { kind: 'healthy' };
  }

  /**
   * Judges a loss and, when healthy, adds it to the running level. A long, steady stretch of elevated
   * losses that never blows up becomes the new level, so rollback points are taken again.
   */
  observe(loss: number): LossVerdict {
    const v = this.judge(loss);
    if (v.kind === 'healthy') {
      this.#elevated = [];
      this.#recent.push(loss);
      if (this.#recent.length > HEALTH_RULE.window) this.#recent.shift();
    } else if (v.kind === 'elevated') {
      this.#elevated.push(loss);
      if (this.#elevated.length >= HEALTH_RULE.newLevelAfter) {
        // Only a level, not a slow climb: the later half no higher than the earlier half (by 25%).
        const half = this.#elevated.length >> 1;
        if (median(this.#elevated.slice(half)) <= 1.25 * median(this.#elevated.slice(0, half))) this.#recent = this.#elevated.slice(-HEALTH_RULE.window);
        this.#elevated = [];
      }
    } else {
      this.#elevated = [];
    }
    return v;
  }

  /** Forget the run's level (new weights: a reset, a loaded file). */
  reset(): void {
    this.#recent = [];
    this.#elevated = [];
  }
}

/**
 * The step where the trouble that ended in `steps[badIndex]` began: the first step of the unbroken
 * stretch of elevated (or worse) losses that ends there. A rollback point is safe when the loss computed
 * from its weights (the step after it) comes before this step.
 */
export function troubleStart(steps: readonly StepLoss[], badIndex: number, reference: number): number {
  const elevated = (l: number) => !Number.isFinite(l) || (l > HEALTH_RULE.elevatedFactor * reference && l > reference + HEALTH_RULE.elevatedMargin);
  let i = badIndex;
  while (i > 0 && elevated(steps[i - 1]!.loss)) i--;
  return steps[i]!.step;
}

export interface LayerNorm {
  layerId: string;
  norm: number;
}

/** The first layer whose weights grew past the rule's limit (or stopped being finite) since `healthy`. */
export function explodedLayer(now: readonly LayerNorm[], healthy: readonly LayerNorm[]): { layerId: string; reason: string } | undefined {
  const before = new Map(healthy.map((n) => [n.layerId, n.norm]));
  for (const n of now) {
    const h = before.get(n.layerId);
    if (!Number.isFinite(n.norm)) return { layerId: n.layerId, reason: `the weights of layer ${n.layerId} became non-finite` };
    if (h !== undefined && n.norm > HEALTH_RULE.normFactor * h + HEALTH_RULE.normFloor) {
      return { layerId: n.layerId, reason: `the weights of layer ${n.layerId} exploded (norm ${formatLoss(h)} → ${formatLoss(n.norm)})` };
    }
  }
  return undefined;
}

/** One layer's sizes in one training step: largest |output| and its weights' gradient norm. */
export interface LayerSignal {
  layerId: string;
  kind: string;
  /** max |y| over the batch (NaN when any value is non-finite). */
  output?: number;
  /** ‖∂L/∂θ‖ over the layer's parameters (NaN when any is non-finite). */
  gradient?: number;
}

/**
 * Names the layer where a diverged step first went bad, comparing it with the same step run from the
 * healthy weights: the first layer (forward order) whose output is non-finite or far larger than its
 * healthy size; if no output went bad, the first layer in backward order whose weight gradient did.
 */
export function firstBadLayer(bad: readonly LayerSignal[], healthy: readonly LayerSignal[]): string | undefined {
  const h = new Map(healthy.map((s) => [s.layerId, s]));
  const wentBad = (v: number | undefined, ref: number | undefined) => v !== undefined && (!Number.isFinite(v) || (ref !== undefined && Number.isFinite(ref) && v > HEALTH_RULE.signalFactor * ref + HEALTH_RULE.signalFloor));
  const describe = (v: number, ref: number | undefined) => (Number.isFinite(v) ? `grew to ${formatLoss(v)}${ref !== undefined ? ` (healthy: ${formatLoss(ref)})` : ''}` : 'became non-finite');
  for (const s of bad) {
    const ref = h.get(s.layerId)?.output;
    if (wentBad(s.output, ref)) return `the output of layer ${s.layerId} (${s.kind}) ${describe(s.output!, ref)}`;
  }
  for (const s of [...bad].reverse()) {
    const ref = h.get(s.layerId)?.gradient;
    if (wentBad(s.gradient, ref)) return `the weight gradient of layer ${s.layerId} (${s.kind}) ${describe(s.gradient!, ref)}`;
  }
  return undefined;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** 0.734, 12.3, 7.15e+32: three significant digits, exponent form when huge or tiny. */
export function formatLoss(x: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'NaN' : '∞';
  const a = Math.abs(x);
  return a !== 0 && (a >= 1e4 || a < 1e-3) ? x.toExponential(2) : String(Number(x.toPrecision(3)));
}
