// Why: average pooling forward; padded positions count as zeros and the divisor is always FH·FW
// (count_include_pad = true, PyTorch's default).
import source from '../../shaders/avg-pool.wgsl?raw';
import { defineKernel, type BoundKernel, type Gpu, type BufferBinding } from '../gpu';
import { checkPoolShape, perThread, pick, poolParams, rowGrid, type PoolShape } from './max-pool';

export const avgPoolSpec = defineKernel({
  name: 'avg-pool',
  source,
  params: poolParams,
  bindings: [
    { name: 'x', access: 'read' },
    { name: 'y', access: 'read_write' },
  ],
  overrides: { WG: 64, OX: 7 },
  workgroupSize: (o) => [o.WG, 1, 1],
});

/** y = (Σ x over each window, padding as zeros) / (FH·FW). */
export async function avgPool(gpu: Gpu, a: PoolShape & { x: BufferBinding; y: BufferBinding }): Promise<BoundKernel> {
  checkPoolShape(avgPoolSpec.name, a);
  const p = await gpu.prepare(avgPoolSpec, { OX: perThread(a.OW) });
  const { WG, OX } = p.overrides;
  return gpu.bind(p, pick(a), [a.x, a.y], rowGrid(a.N * a.C * a.OH, a.OW, OX!, WG!));
}
