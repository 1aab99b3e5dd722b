// Why: max pooling backward. Routes dy to the input that won each window (the forward's argmax), as a
// gather over the windows containing each input, so overlapping windows need no atomics.
import source from '../../shaders/max-pool-grad.wgsl?raw';
import { defineKernel, type BoundKernel, type Gpu } from '../gpu';
import { checkPoolShape, pick, poolParams, rowGrid, type PoolShape } from './max-pool';

export const maxPoolGradSpec = defineKernel({
  name: 'max-pool-grad',
  source,
  params: poolParams,
  bindings: [
    { name: 'dy', access: 'read' },
    { name: 'argmax', access: 'read' },
    { name: 'dx', access: 'read_write' },
  ],
  overrides: { WG: 64, IX: 4 },
  workgroupSize: (o) => [o.WG, 1, 1],
});

/** dx[i] = Σ dy[o] over the windows o containing i whose argmax is i (dx is overwritten). */
export async function maxPoolGrad(gpu: Gpu, a: PoolShape & { dy: GPUBuffer; argmax: GPUBuffer; dx: GPUBuffer }): Promise<BoundKernel> {
  checkPoolShape(maxPoolGradSpec.name, a);
  const p = await gpu.prepare(maxPoolGradSpec);
  const { WG, IX } = p.overrides;
  return gpu.bind(p, pick(a), [a.dy, a.argmax, a.dx], rowGrid(a.N * a.C * a.H, a.W, IX!, WG!));
}
