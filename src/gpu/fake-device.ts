// Why: planning a network without a GPU. The engine plans against this stand-in for a WebGPU device: it
// creates nothing on a GPU, but keeps what the engine asked for (buffer sizes, pipeline labels and
// override constants, bind groups and their layouts) and records every dispatch encoded into a compute
// pass. `npm run plan` (tools/plan/) lists a training step kernel by kernel with it, and the worker plans
// a build against it first (worker/build-run.ts) to learn how many pipelines the real build will compile.
// It imports nothing: in Node its installWebGpuGlobals must run before the engine's modules load.

/** One recorded dispatch: the pipeline's kernel name and constants, the workgroups, and each binding. */
export interface RecordedDispatch {
  kernel: string;
  constants: Record<string, number>;
  workgroups: [number, number, number];
  bindings: { access: 'uniform' | 'read' | 'read_write'; bytes: number; label: string }[];
}

class FakeBuffer {
  declare readonly size: number;
  declare readonly usage: number;
  declare label: string;
  constructor(d: GPUBufferDescriptor) {
    // Own properties, defined rather than assigned: in a browser GPUBuffer.prototype (see linkToGpuBuffer)
    // has accessors of these names that refuse any object but a real buffer.
    Object.defineProperties(this, { size: { value: d.size }, usage: { value: d.usage }, label: { value: d.label ?? '', writable: true } });
  }
  destroy(): void {}
  mapAsync(): Promise<void> {
    return Promise.resolve();
  }
  getMappedRange(_o = 0, size = this.size): ArrayBuffer {
    return new ArrayBuffer(size);
  }
  unmap(): void {}
}

interface FakeLayout {
  entries: { binding: number; buffer?: { type?: string } }[];
}
interface FakePipeline {
  label: string;
  constants: Record<string, number>;
}
interface FakeBindGroup {
  layout: FakeLayout;
  entries: { binding: number; resource: { buffer: FakeBuffer; offset?: number; size?: number } }[];
}

/** Installs the WebGPU globals the engine reads when its modules load (usage flags, GPUBuffer). */
export function installWebGpuGlobals(): void {
  const g = globalThis as Record<string, unknown>;
  g.GPUBufferUsage ??= { MAP_READ: 1, MAP_WRITE: 2, COPY_SRC: 4, COPY_DST: 8, INDEX: 16, VERTEX: 32, UNIFORM: 64, STORAGE: 128, INDIRECT: 256, QUERY_RESOLVE: 512 };
  g.GPUShaderStage ??= { VERTEX: 1, FRAGMENT: 2, COMPUTE: 4 };
  g.GPUMapMode ??= { READ: 1, WRITE: 2 };
  g.GPUBuffer ??= FakeBuffer;
}

/**
 * In a browser the engine tells a whole buffer from a view of one with `instanceof GPUBuffer` (the real
 * class); the stand-in's buffers must pass that test, or a plan would take other paths than on the GPU.
 * Their own fields and methods come first in the chain, so no method of the real class is ever called.
 */
function linkToGpuBuffer(): void {
  const real = (globalThis as { GPUBuffer?: { prototype: object } }).GPUBuffer;
  if (real && real !== (FakeBuffer as unknown) && Object.getPrototypeOf(FakeBuffer.prototype) !== real.prototype) Object.setPrototypeOf(FakeBuffer.prototype, real.prototype);
}

/** A device that records; `dispatches` holds what passes encoded since the last `reset()`. */
export function fakeDevice(features: string[], limits: Record<string, number>) {
  linkToGpuBuffer();
  const dispatches: RecordedDispatch[] = [];
  const pass = () => {
    let pipeline: FakePipeline | undefined;
    let group: FakeBindGroup | undefined;
    return {
      setPipeline: (p: FakePipeline) => (pipeline = p),
      setBindGroup: (_i: number, g: FakeBindGroup) => (group = g),
      dispatchWorkgroups: (x: number, y = 1, z = 1) => {
        const access = (binding: number) => {
          const t = group!.layout.entries.find((e) => e.binding === binding)?.buffer?.type;
          return t === 'uniform' ? 'uniform' : t === 'read-only-storage' ? 'read' : 'read_write';
        };
        dispatches.push({
          kernel: pipeline!.label,
          constants: pipeline!.constants,
          workgroups: [x, y, z],
          bindings: group!.entries.map((e) => ({ access: access(e.binding), bytes: e.resource.size ?? e.resource.buffer.size - (e.resource.offset ?? 0), label: e.resource.buffer.label })),
        });
      },
      end: () => {},
      writeTimestamp: () => {},
    };
  };
  const device = {
    label: 'plan',
    features: new Set(features),
    limits,
    lost: new Promise(() => {}),
    queue: { writeBuffer: () => {}, submit: () => {}, onSubmittedWorkDone: () => Promise.resolve() },
    createBuffer: (d: GPUBufferDescriptor) => new FakeBuffer(d),
    createShaderModule: () => ({ getCompilationInfo: () => Promise.resolve({ messages: [] }) }),
    createBindGroupLayout: (d: FakeLayout) => d,
    createPipelineLayout: (d: unknown) => d,
    createComputePipelineAsync: (d: { label: string; compute: { constants?: Record<string, number> } }) => Promise.resolve({ label: d.label, constants: d.compute.constants ?? {} }),
    createBindGroup: (d: FakeBindGroup) => d,
    createQuerySet: (d: unknown) => ({ ...(d as object), destroy: () => {} }),
    createCommandEncoder: () => ({
      beginComputePass: () => pass(),
      clearBuffer: () => {},
      copyBufferToBuffer: () => {},
      resolveQuerySet: () => {},
      finish: () => ({}),
    }),
    destroy: () => {},
  };
  return { device: device as unknown as GPUDevice, dispatches, reset: () => void dispatches.splice(0) };
}

