// Why: the SGD update (momentum, Nesterov, L2 weight decay, PyTorch semantics) over every layer's
// parameters in ONE dispatch: the engine keeps all parameters in one flat buffer, grads and velocity in
// the same layout, so an optimizer step is one kernel whatever the network.
import source from '../../shaders/sgd.wgsl?raw';
import { defineKernel, splitGrid, type BoundKernel, type BufferBinding, type Gpu, type PreparedPipeline } from '../gpu';
import { assertVec4Cover } from './flat-buffers';
import { bindWithPlaceholders } from './owned-kernel';

const params = { n: 'u32', lr: 'f32', momentum: 'f32', weightDecay: 'f32', statsSlot: 'u32' } as const;
const overrides = { WG: 256, GUARD: 0, MOMENTUM: 1, NESTEROV: 0 };
const ELEMENTS_PER_THREAD = 4;

export const sgdSpec = defineKernel({
  name: 'sgd',
  source,
  params,
  bindings: [
    { name: 'grads', access: 'read' },
    { name: 'weights', access: 'read_write' },
    { name: 'velocity', access: 'read_write' },
    { name: 'stats', access: 'read' },
  ],
  overrides,
  workgroupSize: (o) => [o.WG, 1, 1],
});

export interface SgdConfig {
  lr: number;
  /** μ; 0 = plain SGD (no velocity buffer needed). */
  momentum: number;
  nesterov: boolean;
  /** L2 weight decay added to the gradient (g += wd·p), as torch.optim.SGD. */
  weightDecay: number;
}

export interface SgdArgs extends SgdConfig {
  /** Flat f32 parameters [n], updated in place. */
  params: BufferBinding;
  /** Flat f32 gradients [n], same layout. */
  grads: BufferBinding;
  /** Flat f32 velocity [n], zero before the first step; required when momentum ≠ 0. */
  velocity?: BufferBinding;
  n: number;
  /** The loss stats ring: a step whose stats slot counts a non-finite loss is skipped (see sgd.wgsl). */
  guard?: GPUBuffer;
}

/** The Params values for a step (call setParams with it when the learning rate is scheduled);
 *  `statsSlot`: the stats slot of this step's loss (read when the kernel was bound with a guard). */
export function sgdParams(n: number, cfg: SgdConfig, statsSlot = 0): { n: number; lr: number; momentum: number; weightDecay: number; statsSlot: number } {
  return { n, lr: cfg.lr, momentum: cfg.momentum, weightDecay: cfg.weightDecay, statsSlot };
}

/**
 * One SGD step in place: g = grad + wd·p; v = μ·v + g; p −= lr·(nesterov ? g + μ·v : v). Each binding
 * must cover ceil(n/4)·4 floats (read as vec4). Whether momentum is used is fixed at bind time (μ = 0
 * compiles a variant without velocity); μ itself may change through setParams while it stays ≠ 0.
 */
export async function sgd(gpu: Gpu, a: SgdArgs): Promise<BoundKernel<typeof params>> {
  const useMomentum = a.momentum !== 0;
  if (useMomentum && !a.velocity) throw new Error('sgd: momentum ≠ 0 needs a velocity buffer');
  assertVec4Cover('sgd', a.n, { params: a.params, grads: a.grads, velocity: useMomentum ? a.velocity : undefined });
  const p = (await gpu.prepare(sgdSpec, { GUARD: a.guard ? 1 : 0, MOMENTUM: useMomentum ? 1 : 0, NESTEROV: a.nesterov ? 1 : 0 })) as PreparedPipeline & { spec: typeof sgdSpec };
  const grid = splitGrid(Math.ceil(a.n / (overrides.WG * ELEMENTS_PER_THREAD)));
  return bindWithPlaceholders(gpu, p, sgdParams(a.n, a), [a.grads, a.params, useMomentum ? a.velocity : undefined, a.guard], grid);
}
