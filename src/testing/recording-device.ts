// Why: "no GPU round trip inside training" is a property of what the loop asks the device for, so the
// test watches the device itself: it counts submits, writeBuffer calls and completion requests
// (onSubmittedWorkDone, mapAsync), and can hold every completion back (resolve none until released)
// or delay each by a fixed time, as a browser that polls completion every 100 ms does. A loop that
// awaited a completion would stall while they are held. It patches the device's own objects (a Proxy
// cannot stand in for a GPUBuffer in native calls), so wrap a fresh device before creating buffers.

export interface DeviceCounts {
  submits: number;
  writeBuffers: number;
  /** onSubmittedWorkDone calls. */
  workDone: number;
  mapAsyncs: number;
  /** Completions (either kind) resolved to their callers so far. */
  resolved: number;
}

const zero = (): DeviceCounts => ({ submits: 0, writeBuffers: 0, workDone: 0, mapAsyncs: 0, resolved: 0 });

export class RecordingDevice {
  counts: DeviceCounts = zero();
  /** Each completion reaches its caller this many ms after the GPU reported it. */
  delayMs = 0;
  #held = false;
  #release: (() => void) | undefined;
  #gate: Promise<void> = Promise.resolve();
  #undo: (() => void)[] = [];

  constructor(device: GPUDevice) {
    const queue = device.queue;
    const patch = <T extends object, K extends keyof T>(target: T, key: K, make: (orig: T[K]) => T[K]) => {
      const orig = target[key];
      (target as Record<K, unknown>)[key] = make((orig as (...a: unknown[]) => unknown).bind(target) as T[K]);
      this.#undo.push(() => delete (target as Record<K, unknown>)[key]);
    };
    patch(queue, 'submit', (orig) => (buffers) => {
      this.counts.submits++;
      orig(buffers);
    });
    patch(queue, 'writeBuffer', (orig) => ((...args: Parameters<GPUQueue['writeBuffer']>) => {
      this.counts.writeBuffers++;
      orig(...args);
    }) as GPUQueue['writeBuffer']);
    patch(queue, 'onSubmittedWorkDone', (orig) => () => {
      this.counts.workDone++;
      return this.#complete(orig());
    });
    patch(device, 'createBuffer', (orig) => (descriptor) => {
      const buffer = orig(descriptor);
      if (descriptor.usage & GPUBufferUsage.MAP_READ) {
        const map = buffer.mapAsync.bind(buffer);
        buffer.mapAsync = (...args: Parameters<GPUBuffer['mapAsync']>) => {
          this.counts.mapAsyncs++;
          return this.#complete(map(...args));
        };
      }
      return buffer;
    });
  }

  async #complete<T>(p: Promise<T>): Promise<T> {
    const v = await p;
    await this.#gate;
    if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
    this.counts.resolved++;
    return v;
  }

  /** From now on no completion reaches its caller until release(). */
  hold(): void {
    if (this.#held) return;
    this.#held = true;
    this.#gate = new Promise((r) => (this.#release = r));
  }

  release(): void {
    this.#held = false;
    this.#release?.();
  }

  reset(): void {
    this.counts = zero();
  }

  /** Puts the device's own methods back (buffers already made keep their counting mapAsync). */
  restore(): void {
    this.release();
    for (const u of this.#undo.splice(0)) u();
  }
}
