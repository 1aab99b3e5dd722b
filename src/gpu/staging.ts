// Why: the training loop reads its statistics back without ever waiting for them. Copies into one of a
// few mappable staging buffers are recorded into a group's own command buffer; mapAsync starts after
// the submit and is not awaited by the loop (a callback takes the bytes); the next readback uses the
// other buffer, so a readback is always in flight while the loop records on. The loop skips a readback
// while every buffer is still mapping (the stats ring keeps the steps until the next one).
import type { Gpu } from './gpu';

export interface StagedCopy {
  src: GPUBuffer;
  srcOffset: number;
  bytes: number;
}

interface Staging {
  buffer: GPUBuffer;
  busy: boolean;
}

export class StagingBuffers {
  readonly bytes: number;
  #gpu: Gpu;
  #buffers: Staging[];

  constructor(gpu: Gpu, bytes: number, count = 2, label = 'staging') {
    this.#gpu = gpu;
    this.bytes = Math.ceil(bytes / 4) * 4;
    this.#buffers = Array.from({ length: count }, (_, i) => ({ buffer: gpu.pool.acquire(this.bytes, GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST, `${label}-${i}`), busy: false }));
  }

  /** Whether a buffer is free for the next readback. */
  get free(): boolean {
    return this.#buffers.some((b) => !b.busy);
  }

  /**
   * Records `copies` (packed one after another) into `enc` onto a free buffer. Call the returned
   * function after submitting `enc`: it starts the map and resolves with the bytes.
   */
  record(enc: GPUCommandEncoder, copies: readonly StagedCopy[]): () => Promise<ArrayBuffer> {
    const s = this.#buffers.find((b) => !b.busy);
    if (!s) throw new Error('StagingBuffers: every buffer is still mapping');
    const total = copies.reduce((n, c) => n + c.bytes, 0);
    if (total > this.bytes) throw new Error(`StagingBuffers: ${total} bytes do not fit ${this.bytes}`);
    let at = 0;
    for (const c of copies) {
      if (c.bytes > 0) enc.copyBufferToBuffer(c.src, c.srcOffset, s.buffer, at, c.bytes);
      at += c.bytes;
    }
    s.busy = true;
    return async () => {
      try {
        await s.buffer.mapAsync(GPUMapMode.READ, 0, total);
        const out = s.buffer.getMappedRange(0, total).slice(0);
        s.buffer.unmap();
        return out;
      } finally {
        s.busy = false;
      }
    };
  }

  dispose(): void {
    for (const s of this.#buffers) this.#gpu.pool.release(s.buffer);
    this.#buffers = [];
  }
}
