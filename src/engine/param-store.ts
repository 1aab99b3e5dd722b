// Why: every trainable tensor of a network lives in ONE flat parameter buffer (and its gradients,
// optimizer moments alike), so the optimizer is one dispatch and a checkpoint is one copy. Each tensor
// starts on a 256-byte boundary, the storage-binding offset alignment WebGPU requires.
import type { BufferBinding, Gpu } from '../gpu';
import type { ParamInit } from '../model';

export { weightInit, type ParamInit } from '../model';
import { Prng } from '../util/prng';

export type ParamRole = 'weight' | 'bias' | 'gamma' | 'beta';
export interface ParamSlot {
  layerId: string;
  role: ParamRole;
  shape: number[];
  count: number;
  /** Offset in floats into the flat buffers (a multiple of 64 floats = 256 bytes). */
  offset: number;
  init: ParamInit;
}

export interface StateSlot {
  layerId: string;
  role: 'running-mean' | 'running-var';
  count: number;
  offset: number;
  initial: number;
}

const ALIGN_FLOATS = 64;
const alignUp = (n: number, a: number) => Math.ceil(n / a) * a;

/** Declares tensors first, then allocates once. */
export class ParamLayout {
  readonly slots: ParamSlot[] = [];
  readonly stateSlots: StateSlot[] = [];
  #total = 0;
  #stateTotal = 0;

  param(layerId: string, role: ParamRole, shape: number[], init: ParamInit): ParamSlot {
    const count = shape.reduce((a, b) => a * b, 1);
    const slot = { layerId, role, shape, count, offset: this.#total, init };
    this.#total = alignUp(this.#total + count, ALIGN_FLOATS);
    this.slots.push(slot);
    return slot;
  }

  state(layerId: string, role: StateSlot['role'], count: number, initial: number): StateSlot {
    const slot = { layerId, role, count, offset: this.#stateTotal, initial };
    this.#stateTotal = alignUp(this.#stateTotal + count, ALIGN_FLOATS);
    this.stateSlots.push(slot);
    return slot;
  }

  /** Floats in the flat parameter buffer, padding included (a multiple of 64, so of 4). */
  get total(): number {
    return Math.max(ALIGN_FLOATS, this.#total);
  }

  get stateTotal(): number {
    return Math.max(ALIGN_FLOATS, this.#stateTotal);
  }

  /** Trainable parameters without padding (what the model's parameter count says). */
  get trainableCount(): number {
    return this.slots.reduce((a, s) => a + s.count, 0);
  }
}

/** The CPU copy of a network's trained state: weights, optimizer moments, running statistics, step. */
export interface Snapshot {
  params: Float32Array;
  m: Float32Array;
  v: Float32Array;
  state: Float32Array;
  step: number;
}

export class ParamStore {
  readonly layout: ParamLayout;
  readonly params: GPUBuffer;
  readonly grads: GPUBuffer;
  /** Adam's first moment, or SGD's velocity. */
  readonly m: GPUBuffer;
  /** Adam's second moment. */
  readonly v: GPUBuffer;
  /** Batch-norm running statistics (not trained by the optimizer). */
  readonly state: GPUBuffer;
  #gpu: Gpu;

  /** The device this store lives on (a lost device makes it unusable). */
  get gpu(): Gpu {
    return this.#gpu;
  }

  constructor(gpu: Gpu, layout: ParamLayout) {
    this.#gpu = gpu;
    this.layout = layout;
    const bytes = layout.total * 4;
    this.params = gpu.storage(bytes, 'params');
    this.grads = gpu.storage(bytes, 'grads');
    this.m = gpu.storage(bytes, 'optimizer-m');
    this.v = gpu.storage(bytes, 'optimizer-v');
    this.state = gpu.storage(layout.stateTotal * 4, 'bn-state');
  }

  #range(buffer: GPUBuffer, slot: { offset: number; count: number }): BufferBinding {
    return { buffer, offset: slot.offset * 4, size: alignUp(slot.count, 4) * 4 };
  }

  value(slot: ParamSlot): BufferBinding {
    return this.#range(this.params, slot);
  }

  grad(slot: ParamSlot): BufferBinding {
    return this.#range(this.grads, slot);
  }

  stateOf(slot: StateSlot): BufferBinding {
    return this.#range(this.state, slot);
  }

  /** Binding of the whole flat buffer (for the optimizer). */
  flat(buffer: GPUBuffer): BufferBinding {
    return { buffer, offset: 0, size: this.layout.total * 4 };
  }

  /** Fresh weights from the seed (each slot's init), zero gradients and moments, initial running stats. */
  initialise(seed: number): void {
    const rng = new Prng(seed);
    const p = new Float32Array(this.layout.total);
    for (const s of this.layout.slots) {
      const view = p.subarray(s.offset, s.offset + s.count);
      const init = s.init;
      switch (init.kind) {
        case 'he-normal': {
          const std = Math.sqrt(2 / init.fanIn);
          for (let i = 0; i < view.length; i++) view[i] = rng.normal() * std;
          break;
        }
        case 'glorot-uniform': {
          const limit = Math.sqrt(6 / (init.fanIn + init.fanOut));
          for (let i = 0; i < view.length; i++) view[i] = rng.uniform(-limit, limit);
          break;
        }
        case 'fan-in-uniform': {
          const bound = 1 / Math.sqrt(init.fanIn);
          for (let i = 0; i < view.length; i++) view[i] = rng.uniform(-bound, bound);
          break;
        }
        case 'const':
          view.fill(init.value);
          break;
        default:
          throw new Error(`unknown init ${(init satisfies never as ParamInit).kind}`);
      }
    }
    const st = new Float32Array(this.layout.stateTotal);
    for (const s of this.layout.stateSlots) st.fill(s.initial, s.offset, s.offset + s.count);
    this.#gpu.write(this.params, p);
    this.#gpu.write(this.state, st);
    for (const b of [this.grads, this.m, this.v]) this.#gpu.clear(b, this.layout.total * 4);
  }

  /** Zeroes the optimizer's moments (a new optimizer, or a reset). */
  clearOptimizerState(): void {
    this.#gpu.clear(this.m, this.layout.total * 4);
    this.#gpu.clear(this.v, this.layout.total * 4);
  }

  async snapshot(step: number): Promise<Snapshot> {
    const n = this.layout.total;
    const [params, m, v, state] = await Promise.all([
      this.#gpu.readF32(this.params, n),
      this.#gpu.readF32(this.m, n),
      this.#gpu.readF32(this.v, n),
      this.#gpu.readF32(this.state, this.layout.stateTotal),
    ]);
    return { params, m, v, state, step };
  }

  restore(s: Snapshot): void {
    if (s.params.length !== this.layout.total || s.state.length !== this.layout.stateTotal) {
      throw new Error(`snapshot of ${s.params.length} parameters does not fit this network (${this.layout.total})`);
    }
    this.#gpu.write(this.params, s.params);
    this.#gpu.write(this.m, s.m);
    this.#gpu.write(this.v, s.v);
    this.#gpu.write(this.state, s.state);
  }

  /** One layer's tensor as a CPU array (for the filter view and export). */
  async read(slot: ParamSlot): Promise<Float32Array> {
    return this.#gpu.readF32(this.params, slot.count, slot.offset);
  }

  dispose(): void {
    for (const b of [this.params, this.grads, this.m, this.v, this.state]) this.#gpu.release(b);
  }
}
