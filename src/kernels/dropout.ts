// Why: inverted dropout for training, with a stateless counter-based mask (a hash of seed, step and
// element index) so the backward recomputes the mask instead of storing it.
//
// How the engine drives it: build both kernels once with the layer's rate and the run's seed, then at
// every training step, before submitting, call
//   const p = dropoutParams({ n, rate, seed, step }); fwd.setParams(p); bwd.setParams(p);
// with the same `step` (e.g. the optimizer step count, or that plus a per-layer offset so two dropout
// layers of one net differ — or give each layer its own seed). setParams is a 32-byte queue.writeBuffer,
// ordered before the next submit, so this assumes one submit per training step (as the engine does).
// Eval mode: dropout is the identity, so the engine does not encode these kernels at all (it passes the
// input tensor on as the output); rate 0 is the identity too and may be skipped the same way.
import forwardSource from '../../shaders/dropout.wgsl?raw';
import gradSource from '../../shaders/dropout-grad.wgsl?raw';
import { defineKernel, splitGrid, type BoundKernel, type BufferBinding, type Gpu } from '../gpu';

const ELEMENTS_PER_THREAD = 4;
const params = { n: 'u32', seed: 'u32', step: 'u32', threshold: 'u32', scale: 'f32' } as const;
const overrides = { WG: 256 };

export const dropoutSpec = defineKernel({
  name: 'dropout',
  source: forwardSource,
  params,
  bindings: [
    { name: 'x', access: 'read' },
    { name: 'y', access: 'read_write' },
  ],
  overrides,
  workgroupSize: (o) => [o.WG, 1, 1],
});

export const dropoutGradSpec = defineKernel({
  name: 'dropout-grad',
  source: gradSource,
  params,
  bindings: [
    { name: 'dy', access: 'read' },
    { name: 'dx', access: 'read_write' },
  ],
  overrides,
  workgroupSize: (o) => [o.WG, 1, 1],
});

export interface DropoutConfig {
  n: number;
  /** Probability of dropping an element, in [0, 1). */
  rate: number;
  /** u32: the run's seed. */
  seed: number;
  /** u32: changes the mask; the forward and backward of one training step must use the same value. */
  step: number;
}

/** The uniform values for a (rate, seed, step): what the engine passes to setParams every step. */
export function dropoutParams({ n, rate, seed, step }: DropoutConfig): { n: number; seed: number; step: number; threshold: number; scale: number } {
  if (!(rate >= 0 && rate < 1)) throw new Error(`dropout: rate must be in [0, 1), got ${rate}`);
  return { n, seed: seed >>> 0, step: step >>> 0, threshold: Math.min(0xffffffff, Math.round(rate * 2 ** 32)), scale: 1 / (1 - rate) };
}

function grid(n: number): [number, number, number] {
  return splitGrid(Math.ceil(n / (overrides.WG * ELEMENTS_PER_THREAD)));
}

/** y = x·mask/(1 − rate), mask from hash(seed, step, i); x and y distinct buffers of n floats. */
export async function dropout(gpu: Gpu, a: DropoutConfig & { x: BufferBinding; y: BufferBinding }): Promise<BoundKernel> {
  const p = await gpu.prepare(dropoutSpec);
  return gpu.bind(p, dropoutParams(a), [a.x, a.y], grid(a.n));
}

/** dx = dy·mask/(1 − rate) with the mask of the forward of the same (seed, step). */
export async function dropoutGrad(gpu: Gpu, a: DropoutConfig & { dy: BufferBinding; dx: BufferBinding }): Promise<BoundKernel> {
  const p = await gpu.prepare(dropoutGradSpec);
  return gpu.bind(p, dropoutParams(a), [a.dy, a.dx], grid(a.n));
}
