// Why: the one object the engine talks to for GPU work. It owns the device, the buffer pool and the
// pipeline cache; it alone creates bind groups, writes uniforms and submits (DESIGN.md layering rule 2).
import { BufferPool } from './buffer-pool';
import { computeProfile, type AdapterProfile, type ProfileKind } from './adapter-profile';
import { acquireDevice, type AcquiredDevice, type AdapterSummary, type DeviceLostInfo, type GpuLimits } from './device';
import type { KernelSpec, Overrides } from './kernel-spec';
import { packParams, paramsByteSize, type ParamsLayout, type ParamsValues } from './params';
import { PipelineCache, type PreparedPipeline } from './pipeline-cache';
import { readBuffer } from './readback';

export const STORAGE_USAGE = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;

/** A storage binding: a whole buffer, or a byte range of one (offsets must be 256-aligned). */
export type BufferBinding = GPUBuffer | { buffer: GPUBuffer; offset: number; size: number };

/** Splits a workgroup count over x and y so no dimension exceeds the adapter's per-dimension cap. */
export function splitGrid(groups: number, maxPerDim = 65535): [number, number, number] {
  if (groups <= maxPerDim) return [Math.max(1, groups), 1, 1];
  const y = Math.ceil(groups / maxPerDim);
  return [Math.ceil(groups / y), y, 1];
}

/** A kernel with its pipeline, uniform buffer and bind group made once; encode() replays it. */
export class BoundKernel<L extends ParamsLayout = ParamsLayout> implements Encodable {
  #gpu: Gpu;
  #uniform: GPUBuffer;
  #bindGroup: GPUBindGroup;
  #prepared: PreparedPipeline;
  #layout: L;
  #entries: GPUBindGroupEntry[];
  workgroups: [number, number, number];

  constructor(gpu: Gpu, prepared: PreparedPipeline, layout: L, params: ParamsValues<L>, buffers: readonly BufferBinding[], workgroups: [number, number, number]) {
    const spec = prepared.spec;
    if (buffers.length !== spec.bindings.length) {
      throw new Error(`${spec.name}: expects ${spec.bindings.length} buffers (${spec.bindings.map((b) => b.name).join(', ')}), got ${buffers.length}`);
    }
    this.#gpu = gpu;
    this.#prepared = prepared;
    this.#layout = layout;
    this.workgroups = workgroups;
    this.#uniform = gpu.pool.acquire(paramsByteSize(layout), GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST, `${spec.name}:params`);
    this.#write(packParams(spec.name, layout, params));
    this.#entries = buffers.map((b, i) => ({ binding: i + 1, resource: b instanceof GPUBuffer ? { buffer: b } : b }));
    this.#bindGroup = this.#bindUniform(this.#uniform, 0);
  }

  #bindUniform(buffer: GPUBuffer, offset: number): GPUBindGroup {
    return this.#gpu.device.createBindGroup({
      label: this.#prepared.spec.name,
      layout: this.#prepared.layout,
      entries: [{ binding: 0, resource: { buffer, offset, size: paramsByteSize(this.#layout) } }, ...this.#entries],
    });
  }

  /** Bind groups that read the Params uniform at each of `offsets` in `buffer` (a StepTable's slots). */
  bindUniformSlots(buffer: GPUBuffer, offsets: readonly number[]): GPUBindGroup[] {
    return offsets.map((o) => this.#bindUniform(buffer, o));
  }

  /** Bytes of this kernel's Params uniform. */
  get paramsBytes(): number {
    return paramsByteSize(this.#layout);
  }

  #write(bytes: ArrayBuffer): void {
    this.#gpu.device.queue.writeBuffer(this.#uniform, 0, bytes);
  }

  get name(): string {
    return this.#prepared.spec.name;
  }

  /**
   * Rewrites the uniforms (e.g. the optimizer's step count); ordered before later submits. While a
   * StepTable records a group of steps, the values go to its slot for the step being recorded instead
   * (one writeBuffer for the whole group, see step-table.ts).
   */
  setParams(params: ParamsValues<L>): void {
    const bytes = packParams(this.#prepared.spec.name, this.#layout, params);
    const table = this.#gpu.recording;
    if (table) table.capture(this, bytes);
    else this.#write(bytes);
  }

  encode(pass: GPUComputePassEncoder): void {
    pass.setPipeline(this.#prepared.pipeline);
    pass.setBindGroup(0, this.#gpu.recording?.bindGroupOf(this) ?? this.#bindGroup);
    const [x, y, z] = this.workgroups;
    if (x > 0 && y > 0 && z > 0) pass.dispatchWorkgroups(x, y, z);
  }

  dispose(): void {
    this.#gpu.pool.release(this.#uniform);
  }
}

/** Where kernels' per-step Params go while several steps are recorded (a StepTable, step-table.ts). */
export interface ParamsRecorder {
  capture(kernel: BoundKernel, bytes: ArrayBuffer): void;
  bindGroupOf(kernel: BoundKernel): GPUBindGroup | undefined;
}

type LostListener = (info: DeviceLostInfo) => void;

export class Gpu {
  readonly device: GPUDevice;
  readonly adapter: AdapterSummary;
  readonly limits: GpuLimits;
  /** Which kernel family this device gets (computed once; forceable), read by the kernel strategies. */
  readonly profile: AdapterProfile;
  readonly pool: BufferPool;
  readonly pipelines: PipelineCache;
  readonly lost: Promise<DeviceLostInfo>;
  #lostListeners = new Set<LostListener>();
  #isLost = false;
  /** The step table recording a group of steps right now (set only inside StepTable.record). */
  recording: ParamsRecorder | undefined;

  /** `profile`: a kind to force, or a whole profile to take over (a stand-in planning as another Gpu). */
  constructor(acquired: AcquiredDevice, profile?: ProfileKind | AdapterProfile) {
    this.device = acquired.device;
    this.adapter = acquired.adapter;
    this.limits = acquired.limits;
    this.profile = typeof profile === 'object' ? profile : computeProfile({ info: acquired.adapter, features: acquired.adapter.features, limits: acquired.limits }, profile);
    this.lost = acquired.lost;
    this.pool = new BufferPool(this.device, this.limits.maxBufferSize);
    this.pipelines = new PipelineCache(this.device, this.limits);
    void this.lost.then((info) => {
      this.#isLost = true;
      for (const l of this.#lostListeners) l(info);
    });
  }

  /** Acquires a device; `profile` forces the kernel family (else detected, or as the page asks). */
  static async create(gpu?: GPU | null, profile?: ProfileKind): Promise<Gpu> {
    return new Gpu(gpu === undefined ? await acquireDevice() : await acquireDevice(gpu), profile);
  }

  get isLost(): boolean {
    return this.#isLost;
  }

  /** Calls `listener` when the device is lost; returns an unsubscribe function. */
  onLost(listener: LostListener): () => void {
    this.#lostListeners.add(listener);
    return () => this.#lostListeners.delete(listener);
  }

  /** A pooled storage buffer of at least `bytes` bytes (contents undefined until written). */
  storage(bytes: number, label: string): GPUBuffer {
    return this.pool.acquire(bytes, STORAGE_USAGE, label);
  }

  /** A pooled storage buffer holding `data` (4-byte aligned). */
  upload(data: ArrayBufferView, label: string): GPUBuffer {
    const buf = this.storage(data.byteLength, label);
    this.write(buf, data);
    return buf;
  }

  write(buffer: GPUBuffer, data: ArrayBufferView, byteOffset = 0): void {
    const bytes = new Uint8Array(data.buffer as ArrayBuffer, data.byteOffset, data.byteLength);
    if (bytes.byteLength % 4 === 0) {
      this.device.queue.writeBuffer(buffer, byteOffset, bytes);
    } else {
      const padded = new Uint8Array(Math.ceil(bytes.byteLength / 4) * 4);
      padded.set(bytes);
      this.device.queue.writeBuffer(buffer, byteOffset, padded);
    }
  }

  /** Fills the first `bytes` bytes of a buffer with zeros on the GPU timeline. */
  clear(buffer: GPUBuffer, bytes = buffer.size): void {
    const enc = this.device.createCommandEncoder({ label: 'clear' });
    enc.clearBuffer(buffer, 0, Math.ceil(bytes / 4) * 4);
    this.device.queue.submit([enc.finish()]);
  }

  release(buffer: GPUBuffer): void {
    this.pool.release(buffer);
  }

  prepare(spec: KernelSpec, overrides?: Overrides): Promise<PreparedPipeline> {
    return this.pipelines.prepare(spec, overrides);
  }

  bind<L extends ParamsLayout>(prepared: PreparedPipeline & { spec: KernelSpec<L> }, params: ParamsValues<L>, buffers: readonly BufferBinding[], workgroups: [number, number, number]): BoundKernel<L> {
    const max = this.limits.maxComputeWorkgroupsPerDimension;
    if (workgroups.some((w) => w > max)) throw new Error(`${prepared.spec.name}: dispatch ${workgroups.join('×')} exceeds ${max} workgroups per dimension`);
    return new BoundKernel(this, prepared, prepared.spec.params, params, buffers, workgroups);
  }

  /** Encodes kernels into one compute pass and submits once. */
  run(kernels: Iterable<{ encode(pass: GPUComputePassEncoder): void }>, label = 'step'): void {
    const enc = this.device.createCommandEncoder({ label });
    const pass = enc.beginComputePass({ label });
    for (const k of kernels) k.encode(pass);
    pass.end();
    this.device.queue.submit([enc.finish()]);
  }

  /** Encodes arbitrary work (passes and copies) into one command buffer and submits once. */
  submit(encode: (enc: GPUCommandEncoder) => void, label = 'work'): void {
    const enc = this.device.createCommandEncoder({ label });
    encode(enc);
    this.device.queue.submit([enc.finish()]);
  }

  /** Resolves when all submitted work has finished. */
  done(): Promise<void> {
    return this.device.queue.onSubmittedWorkDone();
  }

  read(buffer: GPUBuffer, byteOffset = 0, byteLength?: number): Promise<ArrayBuffer> {
    return readBuffer(this.device, this.pool, buffer, byteOffset, byteLength);
  }

  async readF32(buffer: GPUBuffer, count: number, offsetElements = 0): Promise<Float32Array> {
    return new Float32Array(await this.read(buffer, offsetElements * 4, count * 4));
  }

  async readU32(buffer: GPUBuffer, count: number, offsetElements = 0): Promise<Uint32Array> {
    return new Uint32Array(await this.read(buffer, offsetElements * 4, count * 4));
  }

  destroy(): void {
    this.pool.destroyAll();
    this.device.destroy();
  }
}

/** Anything that records its dispatches into a compute pass and frees what it owns. */
export interface Encodable {
  encode(pass: GPUComputePassEncoder): void;
  dispose(): void;
}

/**
 * Several dispatches that form one operation (e.g. a split reduction and its final sum), with scratch
 * buffers it owns. Dispatches in one compute pass run in order and see each other's writes.
 */
export class KernelGroup implements Encodable {
  #parts: Encodable[];
  #scratch: GPUBuffer[];
  #gpu: Gpu;

  constructor(gpu: Gpu, parts: Encodable[], scratch: GPUBuffer[] = []) {
    this.#gpu = gpu;
    this.#parts = parts;
    this.#scratch = scratch;
  }

  encode(pass: GPUComputePassEncoder): void {
    for (const p of this.#parts) p.encode(pass);
  }

  dispose(): void {
    for (const p of this.#parts) p.dispose();
    for (const b of this.#scratch) this.#gpu.release(b);
    this.#parts = [];
    this.#scratch = [];
  }
}
