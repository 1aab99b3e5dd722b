// Why: GPU buffers are reused instead of created and destroyed per use, and every byte is counted,
// so the UI can show GPU memory in use and tests can prove a reset leaks nothing.

export interface PoolStats {
  /** Bytes in buffers handed out and not yet released. */
  bytesLive: number;
  /** Bytes in released buffers kept for reuse. */
  bytesPooled: number;
  /** Highest bytesLive seen. */
  peakBytesLive: number;
  buffersLive: number;
  buffersPooled: number;
}

/** Sizes are rounded up to a bucket so a released buffer can serve a slightly different request. */
export function bucketSize(bytes: number): number {
  const min = 256;
  if (bytes <= min) return min;
  // Powers of two up to 1 MiB, then steps of 1/8 of the power of two: bounded waste for big tensors.
  const pow = 2 ** Math.ceil(Math.log2(bytes));
  if (pow <= 1 << 20) return pow;
  const step = pow / 16;
  return Math.ceil(bytes / step) * step;
}

export class BufferPool {
  #device: GPUDevice;
  #maxBufferSize: number;
  #free = new Map<string, GPUBuffer[]>();
  #live = new Set<GPUBuffer>();
  #stats: PoolStats = { bytesLive: 0, bytesPooled: 0, peakBytesLive: 0, buffersLive: 0, buffersPooled: 0 };

  constructor(device: GPUDevice, maxBufferSize: number) {
    this.#device = device;
    this.#maxBufferSize = maxBufferSize;
  }

  get stats(): PoolStats {
    return { ...this.#stats };
  }

  /** A buffer of at least `bytes` bytes with `usage`; reuses a pooled one of the same bucket and usage. */
  acquire(bytes: number, usage: GPUBufferUsageFlags, label = 'buffer'): GPUBuffer {
    if (!Number.isFinite(bytes) || bytes < 0) throw new RangeError(`BufferPool.acquire(${label}): bad size ${bytes}`);
    let size = bucketSize(Math.max(4, bytes));
    if (size > this.#maxBufferSize) size = Math.ceil(bytes / 4) * 4;
    if (size > this.#maxBufferSize) {
      throw new RangeError(`${label}: ${bytes} bytes exceeds this adapter's maxBufferSize (${this.#maxBufferSize})`);
    }
    const key = `${size}:${usage}`;
    const list = this.#free.get(key);
    let buf = list?.pop();
    if (buf) {
      this.#stats.bytesPooled -= size;
      this.#stats.buffersPooled--;
      buf.label = label;
    } else {
      buf = this.#device.createBuffer({ size, usage, label });
    }
    this.#live.add(buf);
    this.#stats.bytesLive += size;
    this.#stats.buffersLive++;
    this.#stats.peakBytesLive = Math.max(this.#stats.peakBytesLive, this.#stats.bytesLive);
    return buf;
  }

  /** Returns a buffer for reuse. Releasing a buffer twice, or one from elsewhere, throws. */
  release(buf: GPUBuffer): void {
    if (!this.#live.delete(buf)) throw new Error(`BufferPool.release: ${buf.label} is not a live buffer of this pool`);
    const key = `${buf.size}:${buf.usage}`;
    let list = this.#free.get(key);
    if (!list) this.#free.set(key, (list = []));
    list.push(buf);
    this.#stats.bytesLive -= buf.size;
    this.#stats.buffersLive--;
    this.#stats.bytesPooled += buf.size;
    this.#stats.buffersPooled++;
  }

  /** Destroys pooled (free) buffers, e.g. after a network with different sizes replaced the old one. */
  trim(): void {
    for (const list of this.#free.values()) for (const b of list) b.destroy();
    this.#free.clear();
    this.#stats.bytesPooled = 0;
    this.#stats.buffersPooled = 0;
  }

  /** Destroys everything (device loss or shutdown). */
  destroyAll(): void {
    this.trim();
    for (const b of this.#live) b.destroy();
    this.#live.clear();
    this.#stats.bytesLive = 0;
    this.#stats.buffersLive = 0;
  }
}
