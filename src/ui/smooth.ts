// Why: a per-step training loss is noisy (one batch each); the smoothed curve shows the trend. An
// exponential moving average with bias correction (as TensorBoard draws it) starts at the first value
// instead of climbing up from 0.

export class Ema {
  #alpha: number;
  #avg = 0;
  #weight = 0;

  /** alpha: how much the average keeps (0.9 ≈ the last ten values). */
  constructor(alpha = 0.9) {
    this.#alpha = alpha;
  }

  /** Adds a value and returns the smoothed value. Non-finite values are skipped. */
  push(v: number): number {
    if (Number.isFinite(v)) {
      this.#avg = this.#alpha * this.#avg + (1 - this.#alpha) * v;
      this.#weight = this.#alpha * this.#weight + (1 - this.#alpha);
    }
    return this.value;
  }

  get value(): number {
    return this.#weight > 0 ? this.#avg / this.#weight : NaN;
  }
}
