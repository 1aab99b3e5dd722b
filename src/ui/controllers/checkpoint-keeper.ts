// Why: a crashed worker loses its weights; the page keeps the last checkpoint in memory (fetched at
// epoch ends, at most every KEEP_CHECKPOINT_MS, and at every pause: always the worker's newest healthy
// state, never one from a diverging stretch) so that a restarted worker can have them back. Fetches never overlap: one asked for meanwhile runs once the current one returns.

/** A checkpoint file held in memory (the worker's state at `step`). */
export interface KeptCheckpoint {
  bytes: Uint8Array;
  step: number;
}

/** How often (at most) an epoch end refreshes the in-memory checkpoint; pauses always do. */
export const KEEP_CHECKPOINT_MS = 5000;

export class CheckpointKeeper {
  /** The last checkpoint fetched from the worker (for "Restore last saved weights"). */
  kept?: KeptCheckpoint;
  #keeping = false;
  #keepAgain = false;
  #keptAt = 0;
  readonly #fetch: () => Promise<KeptCheckpoint>;
  readonly #changed: () => void;

  /** fetch(): the worker's state with optimizer moments; changed(): a new checkpoint is kept. */
  constructor(fetch: () => Promise<KeptCheckpoint>, changed: () => void) {
    this.#fetch = fetch;
    this.#changed = changed;
  }

  /** A checkpoint the page already has (a loaded file): keep it as is. */
  set(k: KeptCheckpoint): void {
    this.kept = k;
    this.#keptAt = Date.now();
  }

  /** Fetches a checkpoint into memory; `force`: even if one was fetched a moment ago. */
  keep(force: boolean): void {
    if (!force && Date.now() - this.#keptAt < KEEP_CHECKPOINT_MS) return;
    if (this.#keeping) {
      this.#keepAgain = true;
      return;
    }
    this.#keeping = true;
    this.#keptAt = Date.now();
    // The file names its own design, so even if the network is rebuilt meanwhile it stays a faithful
    // copy of what was trained.
    this.#fetch()
      .then((k) => {
        this.kept = k;
        this.#changed();
      })
      .catch(() => undefined)
      .finally(() => {
        this.#keeping = false;
        if (this.#keepAgain) {
          this.#keepAgain = false;
          this.keep(true);
        }
      });
  }
}
