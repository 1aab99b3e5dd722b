// Why: global average pooling backward: dy[n, c] / (H·W) broadcast over plane (n, c).
import source from '../../shaders/global-avg-pool-grad.wgsl?raw';
import { defineKernel, splitGrid, type BoundKernel, type Gpu, type BufferBinding } from '../gpu';
import { checkGlobalPoolShape, globalPoolParams, type GlobalPoolShape } from './global-avg-pool';

export const globalAvgPoolGradSpec = defineKernel({
  name: 'global-avg-pool-grad',
  source,
  params: globalPoolParams,
  bindings: [
    { name: 'dy', access: 'read' },
    { name: 'dx', access: 'read_write' },
  ],
  overrides: { WG: 64, EX: 16 },
  workgroupSize: (o) => [o.WG, 1, 1],
});

/** dx[n, c, ·] = dy[n, c] / HW (dx is overwritten). */
export async function globalAvgPoolGrad(gpu: Gpu, a: GlobalPoolShape & { dy: BufferBinding; dx: BufferBinding }): Promise<BoundKernel> {
  checkGlobalPoolShape(globalAvgPoolGradSpec.name, a);
  const p = await gpu.prepare(globalAvgPoolGradSpec);
  const { WG, EX } = p.overrides;
  const threads = a.N * a.C * Math.ceil(a.HW / EX!);
  return gpu.bind(p, { N: a.N, C: a.C, HW: a.HW }, [a.dy, a.dx], splitGrid(Math.ceil(threads / WG!)));
}
