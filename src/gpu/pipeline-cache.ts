// Why: pipelines are expensive (SwiftShader compiles each one to CPU code), so each (kernel, override
// constants) pair is created once, asynchronously, at build time, and reused for every step after.
import type { GpuLimits } from './device';
import { KernelLimitError, ShaderCompileError, type KernelSpec, type Overrides } from './kernel-spec';

export interface PreparedPipeline {
  pipeline: GPUComputePipeline;
  layout: GPUBindGroupLayout;
  spec: KernelSpec;
  overrides: Overrides;
}

export function pipelineKey(name: string, overrides: Overrides): string {
  const keys = Object.keys(overrides).sort();
  return `${name}|${keys.map((k) => `${k}=${overrides[k]}`).join(',')}`;
}

export class PipelineCache {
  #device: GPUDevice;
  #limits: GpuLimits;
  #modules = new Map<string, Promise<GPUShaderModule>>();
  #pipelines = new Map<string, Promise<PreparedPipeline>>();
  #ready = new Map<string, PreparedPipeline>();
  #created = 0;
  #hits = 0;
  /** Called after each new pipeline is compiled with its kernel's name and its key (a build reports
   *  its progress with it). */
  onCompiled?: (name: string, key: string) => void;

  constructor(device: GPUDevice, limits: GpuLimits) {
    this.#device = device;
    this.#limits = limits;
  }

  /** How many pipelines were compiled, and how many requests were served from the cache. */
  get stats(): { created: number; hits: number } {
    return { created: this.#created, hits: this.#hits };
  }

  /** Whether the pipeline of this key (see pipelineKey) was asked for: compiled, or being compiled. */
  has(key: string): boolean {
    return this.#pipelines.has(key);
  }

  /** The keys of every pipeline asked for so far (failed ones excepted). */
  keys(): string[] {
    return [...this.#pipelines.keys()];
  }

  /** Checks a tiling against the adapter before asking the driver for it. */
  checkLimits(spec: KernelSpec, overrides: Overrides): void {
    const [x, y, z] = spec.workgroupSize(overrides);
    const invocations = x * y * z;
    const l = this.#limits;
    if (invocations > l.maxComputeInvocationsPerWorkgroup) {
      throw new KernelLimitError(
        `${spec.name}: workgroup ${x}×${y}×${z} = ${invocations} invocations exceeds this adapter's maxComputeInvocationsPerWorkgroup (${l.maxComputeInvocationsPerWorkgroup})`,
      );
    }
    if (x > l.maxComputeWorkgroupSizeX || y > l.maxComputeWorkgroupSizeY) {
      throw new KernelLimitError(`${spec.name}: workgroup ${x}×${y} exceeds maxComputeWorkgroupSize (${l.maxComputeWorkgroupSizeX}×${l.maxComputeWorkgroupSizeY})`);
    }
    const bytes = spec.workgroupBytes?.(overrides) ?? 0;
    if (bytes > l.maxComputeWorkgroupStorageSize) {
      throw new KernelLimitError(
        `${spec.name}: needs ${bytes} bytes of workgroup memory, this adapter allows ${l.maxComputeWorkgroupStorageSize} (maxComputeWorkgroupStorageSize)`,
      );
    }
  }

  #module(spec: KernelSpec): Promise<GPUShaderModule> {
    let m = this.#modules.get(spec.name);
    if (!m) {
      m = (async () => {
        const module = this.#device.createShaderModule({ code: spec.source, label: spec.name });
        const info = await module.getCompilationInfo();
        const errors = info.messages.filter((msg) => msg.type === 'error');
        if (errors.length > 0) {
          throw new ShaderCompileError(spec.name, errors.map((e) => ({ line: e.lineNum, column: e.linePos, text: e.message })));
        }
        return module;
      })();
      m.catch(() => this.#modules.delete(spec.name));
      this.#modules.set(spec.name, m);
    }
    return m;
  }

  /** Compiles (or returns the cached) pipeline; override values default to the spec's. */
  prepare(spec: KernelSpec, overrides: Overrides = {}): Promise<PreparedPipeline> {
    const full = { ...spec.overrides, ...overrides };
    const key = pipelineKey(spec.name, full);
    const cached = this.#pipelines.get(key);
    if (cached) {
      this.#hits++;
      return cached;
    }
    const p = (async () => {
      this.checkLimits(spec, full);
      const module = await this.#module(spec);
      const layout = this.#device.createBindGroupLayout({
        label: spec.name,
        entries: [
          { binding: 0, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'uniform' } },
          ...spec.bindings.map((b, i) => ({
            binding: i + 1,
            visibility: GPUShaderStage.COMPUTE,
            buffer: { type: b.access === 'read' ? ('read-only-storage' as const) : ('storage' as const) },
          })),
        ],
      });
      let pipeline: GPUComputePipeline;
      try {
        pipeline = await this.#device.createComputePipelineAsync({
          label: spec.name,
          layout: this.#device.createPipelineLayout({ label: spec.name, bindGroupLayouts: [layout] }),
          compute: { module, entryPoint: 'main', constants: full },
        });
      } catch (e) {
        throw new Error(`${spec.name}: pipeline creation failed: ${e instanceof Error ? e.message : String(e)}`);
      }
      this.#created++;
      this.onCompiled?.(spec.name, key);
      const prepared = { pipeline, layout, spec, overrides: full };
      this.#ready.set(key, prepared);
      return prepared;
    })();
    p.catch(() => this.#pipelines.delete(key));
    this.#pipelines.set(key, p);
    return p;
  }
}
