// Why: the page's handle on the engine worker: send a command, get a promise of its reply; listen to
// the events that arrive on their own (progress, device lost). When the worker dies of an uncaught
// error, pending requests fail, listeners hear `worker-crashed`, and restart() brings up a fresh one.
import type { Command, Envelope, ReplyTo, WorkerEvent } from './protocol';

export class EngineRequestError extends Error {
  override name = 'EngineRequestError';
  constructor(readonly kind: string, message: string) {
    super(message);
  }
}

type Listener = (event: WorkerEvent) => void;
type WorkerFactory = () => Worker;

// `?profile=hardware|software` on the page reaches the worker in its name (gpu/adapter-profile.ts reads it):
// it forces the kernel family, e.g. to try the hardware kernels on a software adapter.
const profileParam = new URLSearchParams(globalThis.location?.search ?? '').get('profile');
const workerName = `convplay-engine${profileParam === 'hardware' || profileParam === 'software' ? `;profile=${profileParam}` : ''}`;
const defaultFactory: WorkerFactory = () => new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module', name: workerName });

export class EngineClient {
  #factory: WorkerFactory;
  #worker!: Worker;
  #nextId = 1;
  #pending = new Map<number, { resolve: (e: WorkerEvent) => void; reject: (e: Error) => void }>();
  #listeners = new Set<Listener>();

  constructor(factory: WorkerFactory = defaultFactory) {
    this.#factory = factory;
    this.#start();
  }

  #start(): void {
    const worker = this.#factory();
    this.#worker = worker;
    worker.addEventListener('message', (e: MessageEvent<WorkerEvent>) => {
      if (worker === this.#worker) this.#receive(e.data);
    });
    worker.addEventListener('error', (e) => {
      if (worker !== this.#worker) return;
      e.preventDefault();
      const message = `The engine worker crashed: ${e.message || 'unknown error'}`;
      const err = new EngineRequestError('worker-crashed', message);
      for (const p of this.#pending.values()) p.reject(err);
      this.#pending.clear();
      for (const l of this.#listeners) l({ type: 'worker-crashed', message });
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

  /** Replaces the worker with a fresh one (after a crash); pending requests are rejected. */
  restart(): void {
    this.#worker.terminate();
    const err = new EngineRequestError('worker-restarted', 'The engine worker was restarted');
    for (const p of this.#pending.values()) p.reject(err);
    this.#pending.clear();
    this.#start();
  }

  terminate(): void {
    this.#worker.terminate();
  }
}
