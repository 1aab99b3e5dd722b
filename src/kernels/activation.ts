// Why: element-wise activations forward and backward (ReLU, LeakyReLU, sigmoid, tanh). The activation
// is an override constant, so each kind compiles to its own branch-free pipeline.
import forwardSource from '../../shaders/activation.wgsl?raw';
import gradSource from '../../shaders/activation-grad.wgsl?raw';
import { defineKernel, splitGrid, type BoundKernel, type Gpu, type BufferBinding } from '../gpu';

export type ActivationKind = 'relu' | 'leaky-relu' | 'sigmoid' | 'tanh';

const ACT_CODE: Record<ActivationKind, number> = { relu: 0, 'leaky-relu': 1, sigmoid: 2, tanh: 3 };
const ELEMENTS_PER_THREAD = 4;

const params = { n: 'u32', alpha: 'f32' } as const;
const overrides = { WG: 256, ACT: 0 };

export const activationSpec = defineKernel({
  name: 'activation',
  source: forwardSource,
  params,
  bindings: [
    { name: 'x', access: 'read' },
    { name: 'y', access: 'read_write' },
  ],
  overrides,
  workgroupSize: (o) => [o.WG, 1, 1],
});

export const activationGradSpec = defineKernel({
  name: 'activation-grad',
  source: gradSource,
  params,
  bindings: [
    { name: 'y', access: 'read' },
    { name: 'dy', access: 'read' },
    { name: 'dx', access: 'read_write' },
  ],
  overrides,
  workgroupSize: (o) => [o.WG, 1, 1],
});

export interface ActivationArgs {
  kind: ActivationKind;
  /** LeakyReLU slope for negative inputs (ignored by the others). */
  alpha?: number;
  n: number;
}

function grid(n: number): [number, number, number] {
  return splitGrid(Math.ceil(n / (overrides.WG * ELEMENTS_PER_THREAD)));
}

/** y = act(x) over n floats. */
export async function activation(gpu: Gpu, a: ActivationArgs & { x: BufferBinding; y: BufferBinding }): Promise<BoundKernel> {
  const p = await gpu.prepare(activationSpec, { ACT: ACT_CODE[a.kind] });
  return gpu.bind(p, { n: a.n, alpha: a.alpha ?? 0.01 }, [a.x, a.y], grid(a.n));
}

/** dx = dy · act'(y), from the forward output y. */
export async function activationGrad(gpu: Gpu, a: ActivationArgs & { y: BufferBinding; dy: BufferBinding; dx: BufferBinding }): Promise<BoundKernel> {
  const p = await gpu.prepare(activationGradSpec, { ACT: ACT_CODE[a.kind] });
  return gpu.bind(p, { n: a.n, alpha: a.alpha ?? 0.01 }, [a.y, a.dy, a.dx], grid(a.n));
}
