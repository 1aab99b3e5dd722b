// Why: commands to the worker run one after another, so a quick Train–Pause–Step never races in the
// worker. Two kinds: `enqueue` (a training command; its failure is reported through `onError`) and
// `exclusive` (a request whose caller wants the result or the error, e.g. saving a checkpoint).
import type { EngineClient } from '../../worker/engine-client';

export class CommandQueue {
  #client?: EngineClient;
  #queue: Promise<void> = Promise.resolve();
  readonly #onError: (e: unknown) => void;

  constructor(onError: (e: unknown) => void) {
    this.#onError = onError;
  }

  attach(client: EngineClient): void {
    this.#client = client;
  }

  /** Runs after the queued commands; rejects with the error (the training phase is left alone). */
  exclusive<T>(work: (c: EngineClient) => Promise<T>): Promise<T> {
    const client = this.#client;
    if (!client) return Promise.reject(new Error('the engine is not running'));
    const result = this.#queue.then(() => work(client));
    this.#queue = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  enqueue(work: (c: EngineClient) => Promise<void>): Promise<void> {
    const client = this.#client;
    if (!client) return Promise.resolve();
    const next = this.#queue.then(() => work(client)).catch((e: unknown) => this.#onError(e));
    this.#queue = next;
    return next;
  }
}
