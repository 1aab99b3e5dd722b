// Why: the Adam / AdamW update (bias-corrected, PyTorch semantics) over every layer's parameters in ONE
// dispatch on the flat parameter buffer. The step count t only enters through scalars (lr/(1 − β1^t),
// 1/√(1 − β2^t)), computed here in float64 and passed as f32 uniforms each step via setParams.
import source from '../../shaders/adam.wgsl?raw';
import { defineKernel, splitGrid, type BoundKernel, type BufferBinding, type Gpu, type PreparedPipeline } from '../gpu';
import { assertVec4Cover } from './flat-buffers';
import { bindWithPlaceholders } from './owned-kernel';

const params = {
  n: 'u32',
  beta1: 'f32',
  beta2: 'f32',
  oneMinusBeta1: 'f32',
  oneMinusBeta2: 'f32',
  epsilon: 'f32',
  l2: 'f32',
  decay: 'f32',
  stepSize: 'f32',
  invSqrtBc2: 'f32',
  statsSlot: 'u32',
} as const;
const overrides = { WG: 256, GUARD: 0 };
const ELEMENTS_PER_THREAD = 4;

export type AdamParamsValues = { [K in keyof typeof params]: number };

export const adamSpec = defineKernel({
  name: 'adam',
  source,
  params,
  bindings: [
    { name: 'grads', access: 'read' },
    { name: 'weights', access: 'read_write' },
    { name: 'm', access: 'read_write' },
    { name: 'v', access: 'read_write' },
    { name: 'stats', access: 'read' },
  ],
  overrides,
  workgroupSize: (o) => [o.WG, 1, 1],
});

export interface AdamConfig {
  lr: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  weightDecay: number;
  /** false: Adam, weight decay added to the gradient (L2); true: AdamW, p −= lr·wd·p (decoupled). */
  decoupled: boolean;
}

export interface AdamArgs extends AdamConfig {
  /** Flat f32 parameters [n], updated in place. */
  params: BufferBinding;
  /** Flat f32 gradients [n], same layout. */
  grads: BufferBinding;
  /** First and second moments [n], zero before the first step. */
  m: BufferBinding;
  v: BufferBinding;
  n: number;
  /** The step about to be taken, t ≥ 1 (PyTorch increments its step count before the update). */
  step: number;
  /** The loss stats ring: a step whose stats slot counts a non-finite loss is skipped (see adam.wgsl). */
  guard?: GPUBuffer;
}

/** The Params values for step t (≥ 1): call `kernel.setParams(adamParams(n, cfg, t))` before each step;
 *  `statsSlot`: the stats slot of this step's loss (read when the kernel was bound with a guard). */
export function adamParams(n: number, cfg: AdamConfig, step: number, statsSlot = 0): AdamParamsValues {
  if (!Number.isInteger(step) || step < 1) throw new Error(`adam: step must be an integer ≥ 1, got ${step}`);
  const bc1 = 1 - cfg.beta1 ** step;
  const bc2 = 1 - cfg.beta2 ** step;
  return {
    n,
    beta1: cfg.beta1,
    beta2: cfg.beta2,
    oneMinusBeta1: 1 - cfg.beta1,
    oneMinusBeta2: 1 - cfg.beta2,
    epsilon: cfg.epsilon,
    l2: cfg.decoupled ? 0 : cfg.weightDecay,
    decay: cfg.decoupled ? 1 - cfg.lr * cfg.weightDecay : 1,
    stepSize: cfg.lr / bc1,
    invSqrtBc2: 1 / Math.sqrt(bc2),
    statsSlot,
  };
}

/** One Adam/AdamW step in place. Each binding must cover ceil(n/4)·4 floats (read as vec4). */
export async function adam(gpu: Gpu, a: AdamArgs): Promise<BoundKernel<typeof params>> {
  assertVec4Cover('adam', a.n, { params: a.params, grads: a.grads, m: a.m, v: a.v });
  const p = (await gpu.prepare(adamSpec, { GUARD: a.guard ? 1 : 0 })) as PreparedPipeline & { spec: typeof adamSpec };
  const grid = splitGrid(Math.ceil(a.n / (overrides.WG * ELEMENTS_PER_THREAD)));
  return bindWithPlaceholders(gpu, p, adamParams(a.n, a, a.step), [a.grads, a.params, a.m, a.v, a.guard], grid);
}
