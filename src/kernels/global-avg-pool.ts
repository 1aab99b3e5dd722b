// Why: global average pooling forward, [N, C, H, W] → [N, C]: the usual CNN head before a dense layer.
import source from '../../shaders/global-avg-pool.wgsl?raw';
import { defineKernel, splitGrid, type BoundKernel, type Gpu, type BufferBinding } from '../gpu';

/** N·C planes of HW = H·W pixels each. */
export interface GlobalPoolShape {
  N: number;
  C: number;
  HW: number;
}

export const globalPoolParams = { N: 'u32', C: 'u32', HW: 'u32' } as const;

export function checkGlobalPoolShape(kernel: string, s: GlobalPoolShape): void {
  for (const k of ['N', 'C', 'HW'] as const) {
    if (!Number.isInteger(s[k]) || s[k] < 1) throw new Error(`${kernel}: ${k} must be a positive integer, got ${s[k]}`);
  }
}

export const globalAvgPoolSpec = defineKernel({
  name: 'global-avg-pool',
  source,
  params: globalPoolParams,
  bindings: [
    { name: 'x', access: 'read' },
    { name: 'y', access: 'read_write' },
  ],
  overrides: { WG: 64 },
  workgroupSize: (o) => [o.WG, 1, 1],
});

/** y[n, c] = mean of plane (n, c) of x. */
export async function globalAvgPool(gpu: Gpu, a: GlobalPoolShape & { x: BufferBinding; y: BufferBinding }): Promise<BoundKernel> {
  checkGlobalPoolShape(globalAvgPoolSpec.name, a);
  const p = await gpu.prepare(globalAvgPoolSpec);
  return gpu.bind(p, { N: a.N, C: a.C, HW: a.HW }, [a.x, a.y], splitGrid(Math.ceil((a.N * a.C) / p.overrides.WG!)));
}
