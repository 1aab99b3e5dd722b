// Why: some kernels bind an optional output (or optimizer state) the caller did not ask for; the binding
// still needs a buffer, so they bind a small pooled placeholder. OwnedKernel is a BoundKernel (so
// setParams still works, e.g. per-step optimizer params) that also releases those buffers on dispose.
import { BoundKernel, type BufferBinding, type Gpu, type ParamsLayout, type ParamsValues, type PreparedPipeline, type KernelSpec } from '../gpu';

export class OwnedKernel<L extends ParamsLayout> extends BoundKernel<L> {
  #owner: Gpu;
  #owned: GPUBuffer[];

  constructor(gpu: Gpu, prepared: PreparedPipeline & { spec: KernelSpec<L> }, params: ParamsValues<L>, buffers: readonly BufferBinding[], workgroups: [number, number, number], owned: GPUBuffer[]) {
    const max = gpu.limits.maxComputeWorkgroupsPerDimension;
    if (workgroups.some((w) => w > max)) throw new Error(`${prepared.spec.name}: dispatch ${workgroups.join('×')} exceeds ${max} workgroups per dimension`);
    super(gpu, prepared, prepared.spec.params, params, buffers, workgroups);
    this.#owner = gpu;
    this.#owned = owned;
  }

  override dispose(): void {
    super.dispose();
    for (const b of this.#owned) this.#owner.release(b);
    this.#owned = [];
  }
}

/** Binds `prepared`; every `undefined` buffer is replaced by a 4-byte placeholder released on dispose. */
export function bindWithPlaceholders<L extends ParamsLayout>(
  gpu: Gpu,
  prepared: PreparedPipeline & { spec: KernelSpec<L> },
  params: ParamsValues<L>,
  buffers: readonly (BufferBinding | undefined)[],
  workgroups: [number, number, number],
): BoundKernel<L> {
  const owned: GPUBuffer[] = [];
  const bound = buffers.map((b, i) => {
    if (b !== undefined) return b;
    const placeholder = gpu.storage(4, `${prepared.spec.name}:unused-${prepared.spec.bindings[i]?.name ?? i}`);
    owned.push(placeholder);
    return placeholder;
  });
  return new OwnedKernel(gpu, prepared, params, bound, workgroups, owned);
}
