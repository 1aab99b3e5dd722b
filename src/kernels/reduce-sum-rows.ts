// Why: adds rows of a matrix into one row: the second dispatch of split reductions (conv2d-grad-weight's
// per-batch-split partial sums) and a dense layer's bias gradient (column sums of dy).
import source from '../../shaders/reduce-sum-rows.wgsl?raw';
import { defineKernel, splitGrid, type BoundKernel, type BufferBinding, type Gpu } from '../gpu';

const WG = 64;

export const reduceSumRowsSpec = defineKernel({
  name: 'reduce-sum-rows',
  source,
  params: { R: 'u32', L: 'u32', stride: 'u32', offset: 'u32' },
  bindings: [
    { name: 'inp', access: 'read' },
    { name: 'out', access: 'read_write' },
  ],
  overrides: { WG },
  workgroupSize: (o) => [o.WG, 1, 1],
});

export interface ReduceSumRowsArgs {
  inp: BufferBinding;
  /** [L], overwritten. */
  out: BufferBinding;
  /** Rows to add. */
  R: number;
  /** Row length (outputs). */
  L: number;
  /** Elements between row starts (default L). */
  stride?: number;
  /** Element offset of row 0 (default 0). */
  offset?: number;
}

/** out[j] = Σ_{s<R} inp[offset + s·stride + j]. */
export async function reduceSumRows(gpu: Gpu, a: ReduceSumRowsArgs): Promise<BoundKernel> {
  const p = await gpu.prepare(reduceSumRowsSpec);
  return gpu.bind(p, { R: a.R, L: a.L, stride: a.stride ?? a.L, offset: a.offset ?? 0 }, [a.inp, a.out], splitGrid(Math.ceil(a.L / WG)));
}

/** A dense layer's bias gradient: db[j] = Σ_n dy[n, j] over dy [batch, out]. */
export function denseBiasGrad(gpu: Gpu, a: { dy: BufferBinding; db: BufferBinding; batch: number; out: number }): Promise<BoundKernel> {
  return reduceSumRows(gpu, { inp: a.dy, out: a.db, R: a.batch, L: a.out });
}
