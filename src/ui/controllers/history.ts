// Why: a learner experiments ("what if S = 3?") and must be able to step back. Plain snapshots of
// immutable documents are the simplest correct undo; typing "32" into one box coalesces into one step.

export class History<T> {
  #past: T[] = [];
  #future: T[] = [];
  #present: T;
  #lastKey: string | undefined;
  #lastAt = 0;
  readonly #limit: number;
  readonly #coalesceMs: number;
  readonly #now: () => number;

  constructor(initial: T, options: { limit?: number; coalesceMs?: number; now?: () => number } = {}) {
    this.#present = initial;
    this.#limit = options.limit ?? 200;
    this.#coalesceMs = options.coalesceMs ?? 1500;
    this.#now = options.now ?? (() => Date.now());
  }

  get present(): T {
    return this.#present;
  }
  get canUndo(): boolean {
    return this.#past.length > 0;
  }
  get canRedo(): boolean {
    return this.#future.length > 0;
  }

  /** Records `next` as the new present. A `key` equal to the previous push's key, soon after it,
   *  replaces that step instead of adding one (typing into the same box). */
  push(next: T, key?: string): void {
    const now = this.#now();
    const coalesce = key !== undefined && key === this.#lastKey && now - this.#lastAt <= this.#coalesceMs && this.#past.length > 0;
    if (!coalesce) {
      this.#past.push(this.#present);
      if (this.#past.length > this.#limit) this.#past.splice(0, this.#past.length - this.#limit);
    }
    this.#present = next;
    this.#future = [];
    this.#lastKey = key;
    this.#lastAt = now;
  }

  undo(): T | undefined {
    const prev = this.#past.pop();
    if (prev === undefined) return undefined;
    this.#future.push(this.#present);
    this.#present = prev;
    this.#lastKey = undefined;
    return prev;
  }

  redo(): T | undefined {
    const next = this.#future.pop();
    if (next === undefined) return undefined;
    this.#past.push(this.#present);
    this.#present = next;
    this.#lastKey = undefined;
    return next;
  }

  /** Forgets every step: `value` becomes the only state. */
  reset(value: T): void {
    this.#past = [];
    this.#future = [];
    this.#present = value;
    this.#lastKey = undefined;
  }
}
