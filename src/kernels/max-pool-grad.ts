// Why: max pooling backward. Routes dy to the input that won each window (the forward's argmax). With
// overlapping windows (F > S) it is a gather over the windows containing each input (no atomics,
// deterministic); without overlap each thread owns disjoint input cells, a quarter of the reads for 2×2.
import source from '../../shaders/max-pool-grad.wgsl?raw';
import { defineKernel, type BoundKernel, type Gpu, type BufferBinding } from '../gpu';
import { checkPoolShape, perThread, pick, poolParams, rowGrid, type PoolShape } from './max-pool';

export const maxPoolGradSpec = defineKernel({
  name: 'max-pool-grad',
  source,
  params: poolParams,
  bindings: [
    { name: 'dy', access: 'read' },
    { name: 'argmax', access: 'read' },
    { name: 'y', access: 'read' },
    { name: 'dx', access: 'read_write' },
  ],
  overrides: { WG: 64, IX: 7, OX: 7, CELLS: 0, CELL2: 0, RELU_MASK: 0 },
  workgroupSize: (o) => [o.WG, 1, 1],
});

/** dx[i] = Σ dy[o] over the windows o containing i whose argmax is i (dx is overwritten). */
export async function maxPoolGrad(
  gpu: Gpu,
  a: PoolShape & {
    dy: BufferBinding;
    argmax: BufferBinding;
    dx: BufferBinding;
    /** The forward's output, when its input is a ReLU's output: dx is then also multiplied by the
     *  ReLU's derivative (x > 0, read as y > 0 at each window's argmax). */
    reluMaskFromOutput?: BufferBinding;
    /** Force the gather (for tests); else chosen by overlap. */
    gather?: boolean;
  },
): Promise<BoundKernel> {
  checkPoolShape(maxPoolGradSpec.name, a);
  const cells = !a.gather && a.S >= a.FH && a.S >= a.FW;
  const mask = { RELU_MASK: a.reluMaskFromOutput ? 1 : 0 };
  const cell2 = cells && a.FH === 2 && a.FW === 2 && a.S === 2 && a.P === 0 && a.H === 2 * a.OH && a.W === 2 * a.OW;
  const p = await gpu.prepare(maxPoolGradSpec, cells ? { CELLS: 1, CELL2: cell2 ? 1 : 0, OX: perThread(a.OW), ...mask } : { CELLS: 0, IX: perThread(a.W), ...mask });
  const { WG, IX, OX } = p.overrides;
  const grid = cells ? rowGrid(a.N * a.C * a.OH, a.OW, OX!, WG!) : rowGrid(a.N * a.C * a.H, a.W, IX!, WG!);
  // Without the mask, y is never read: dy stands in for it (both are read-only here).
  return gpu.bind(p, pick(a), [a.dy, a.argmax, a.reluMaskFromOutput ?? a.dy, a.dx], grid);
}
