// Why: several training steps are recorded into one command buffer, and the few values that change per
// step (which batch to gather, which stats slot, dropout's step, the optimizer's step count and learning
// rate) must not cost a writeBuffer each. A StepTable is one uniform buffer with a region per (step slot,
// kernel): while a group is recorded, a kernel's setParams lands in the slot of the step being recorded
// and its dispatch binds that region; the whole group's values go to the GPU in one writeBuffer, queued
// before the group's submit. The values are the ones the CPU computes today (float64 maths, packed to
// the same f32/u32 uniforms), so every step sees exactly what it saw with a write per step.
import type { BoundKernel, Gpu, ParamsRecorder } from './gpu';

/** Uniform binding offsets must be multiples of minUniformBufferOffsetAlignment (≤ 256 everywhere). */
const ALIGN = 256;

interface Entry {
  index: number;
  /** One bind group per slot, reading this kernel's region of that slot. */
  groups: GPUBindGroup[];
  /** The packed Params of each slot in the group recorded last (undefined: not set in that slot). */
  bytes: (ArrayBuffer | undefined)[];
}

export class StepTable implements ParamsRecorder {
  readonly slots: number;
  #gpu: Gpu;
  #buffer: GPUBuffer;
  /** Kernels the buffer has room for per slot (grows by doubling). */
  #capacity: number;
  #entries = new Map<BoundKernel, Entry>();
  #slot = -1;
  #encoding = false;

  constructor(gpu: Gpu, slots: number, capacity = 8) {
    if (!Number.isInteger(slots) || slots < 1) throw new Error(`StepTable: slots must be a positive integer, got ${slots}`);
    this.#gpu = gpu;
    this.slots = slots;
    this.#capacity = capacity;
    this.#buffer = this.#allocate();
  }

  #allocate(): GPUBuffer {
    return this.#gpu.pool.acquire(this.slots * this.#capacity * ALIGN, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST, 'step-table');
  }

  #offsets(index: number): number[] {
    return Array.from({ length: this.slots }, (_, s) => (s * this.#capacity + index) * ALIGN);
  }

  /**
   * Records `count` steps: `prepare(slot)` for every slot first (each kernel's setParams lands in that
   * slot), then `encode(slot)` for every slot (each kernel set in that slot binds its region). Writes
   * the group's values with one writeBuffer before returning, so the caller submits after this.
   */
  record(count: number, prepare: (slot: number) => void, encode: (slot: number) => void): void {
    if (!Number.isInteger(count) || count < 1 || count > this.slots) throw new Error(`StepTable: ${count} steps do not fit its ${this.slots} slots`);
    if (this.#gpu.recording) throw new Error('StepTable: another group is being recorded');
    for (const e of this.#entries.values()) e.bytes = [];
    this.#gpu.recording = this;
    try {
      for (let s = 0; s < count; s++) {
        this.#slot = s;
        prepare(s);
      }
      // A kernel no longer set per step (e.g. a replaced optimizer) gives its region back.
      for (const [k, e] of this.#entries) if (e.bytes.every((b) => b === undefined)) this.#entries.delete(k);
      this.#encoding = true;
      for (let s = 0; s < count; s++) {
        this.#slot = s;
        encode(s);
      }
    } finally {
      this.#gpu.recording = undefined;
      this.#encoding = false;
      this.#slot = -1;
    }
    this.#flush(count);
  }

  /** Encodes again with the values of `slot` of the group recorded last (e.g. replaying its last step). */
  replay(slot: number, encode: () => void): void {
    if (this.#gpu.recording) throw new Error('StepTable: another group is being recorded');
    this.#gpu.recording = this;
    this.#encoding = true;
    this.#slot = slot;
    try {
      encode();
    } finally {
      this.#gpu.recording = undefined;
      this.#encoding = false;
      this.#slot = -1;
    }
  }

  /** Called by BoundKernel.setParams while this table records. */
  capture(kernel: BoundKernel, bytes: ArrayBuffer): void {
    if (bytes.byteLength > ALIGN) throw new Error(`${kernel.name}: ${bytes.byteLength} bytes of Params do not fit a ${ALIGN}-byte step slot`);
    let e = this.#entries.get(kernel);
    if (!e) {
      if (this.#encoding) throw new Error(`${kernel.name}: its Params were set while the group was being encoded`);
      e = this.#register(kernel);
    }
    e.bytes[this.#slot] = bytes;
  }

  /** The bind group `kernel` uses in the slot being encoded (undefined: its own uniform). */
  bindGroupOf(kernel: BoundKernel): GPUBindGroup | undefined {
    if (!this.#encoding) return undefined;
    const e = this.#entries.get(kernel);
    return e?.bytes[this.#slot] ? e.groups[this.#slot] : undefined;
  }

  #register(kernel: BoundKernel): Entry {
    const used = new Set([...this.#entries.values()].map((e) => e.index));
    let index = 0;
    while (used.has(index)) index++;
    if (index >= this.#capacity) {
      // Only while preparing (nothing encoded yet reads the old buffer's layout).
      this.#gpu.pool.release(this.#buffer);
      this.#capacity *= 2;
      this.#buffer = this.#allocate();
      for (const [k, e] of this.#entries) e.groups = k.bindUniformSlots(this.#buffer, this.#offsets(e.index));
    }
    const e: Entry = { index, groups: kernel.bindUniformSlots(this.#buffer, this.#offsets(index)), bytes: [] };
    this.#entries.set(kernel, e);
    return e;
  }

  #flush(count: number): void {
    const data = new Uint8Array(count * this.#capacity * ALIGN);
    for (const e of this.#entries.values()) {
      for (let s = 0; s < count; s++) {
        const b = e.bytes[s];
        if (b) data.set(new Uint8Array(b), (s * this.#capacity + e.index) * ALIGN);
      }
    }
    this.#gpu.device.queue.writeBuffer(this.#buffer, 0, data);
  }

  dispose(): void {
    this.#gpu.pool.release(this.#buffer);
    this.#entries.clear();
  }
}
