// Why: average pooling backward, a gather over the windows containing each input (deterministic with
// overlapping windows); divisor FH·FW as in the forward.
import source from '../../shaders/avg-pool-grad.wgsl?raw';
import { defineKernel, type BoundKernel, type Gpu, type BufferBinding } from '../gpu';
import { checkPoolShape, perThread, pick, poolParams, rowGrid, type PoolShape } from './max-pool';

export const avgPoolGradSpec = defineKernel({
  name: 'avg-pool-grad',
  source,
  params: poolParams,
  bindings: [
    { name: 'dy', access: 'read' },
    { name: 'dx', access: 'read_write' },
  ],
  overrides: { WG: 64, IX: 7 },
  workgroupSize: (o) => [o.WG, 1, 1],
});

/** dx[i] = (Σ dy[o] over the windows o containing i) / (FH·FW) (dx is overwritten). */
export async function avgPoolGrad(gpu: Gpu, a: PoolShape & { dy: BufferBinding; dx: BufferBinding }): Promise<BoundKernel> {
  checkPoolShape(avgPoolGradSpec.name, a);
  const p = await gpu.prepare(avgPoolGradSpec, { IX: perThread(a.W) });
  const { WG, IX } = p.overrides;
  return gpu.bind(p, pick(a), [a.dy, a.dx], rowGrid(a.N * a.C * a.H, a.W, IX!, WG!));
}
