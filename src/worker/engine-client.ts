// Why: the page's handle on the engine worker: send a command, get a promise of its reply; listen to
// the events that arrive on their own (progress, device lost).
import type { Command, Envelope, ReplyTo, WorkerEvent } from './protocol';

export class EngineRequestError extends Error {
  override name = 'EngineRequestError';
  constructor(readonly kind: string, message: string) {
    super(message);
  }
}

type Listener = (event: WorkerEvent) => void;

export class EngineClient {
  #worker: Worker;
  #nextId = 1;
  #pending = new Map<number, { resolve: (e: WorkerEvent) => void; reject: (e: Error) => void }>();
  #listeners = new Set<Listener>();

  constructor(worker: Worker = new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module', name: 'convplay-engine' })) {
    this.#worker = worker;
    worker.addEventListener('message', (e: MessageEvent<WorkerEvent>) => this.#receive(e.data));
    worker.addEventListener('error', (e) => {
      const err = new EngineRequestError('worker-error', `The engine worker failed: ${e.message || 'unknown error'}`);
      for (const p of this.#pending.values()) p.reject(err);
      this.#pending.clear();
    });
  }

  #receive(event: WorkerEvent): void {
    const id = 'replyTo' in event ? event.replyTo : undefined;
    const pending = id === undefined ? undefined : this.#pending.get(id);
    if (pending && id !== undefined) {
      this.#pending.delete(id);
      if (event.type === 'error') pending.reject(new EngineRequestError(event.kind, event.message));
      else pending.resolve(event);
    }
    for (const l of this.#listeners) l(event);
  }

  /** Sends a command and resolves with its reply event (rejects with the worker's error). */
  request<C extends Command>(command: C, transfer: Transferable[] = []): Promise<ReplyTo<C['type']>> {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (e: WorkerEvent) => void, reject });
      this.#worker.postMessage({ ...command, id } satisfies Envelope, transfer);
    });
  }

  /** Listens to every event (replies included); returns an unsubscribe function. */
  listen(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  terminate(): void {
    this.#worker.terminate();
  }
}
