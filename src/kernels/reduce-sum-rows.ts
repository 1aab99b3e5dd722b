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

/**
 * A conv layer's filter (and bias) gradient from per-split partial sums: each of the `splits` rows of
 * `part` holds K·CRS filter values then K bias values (row stride K·CRS + K); dw and db get their sums.
 */
export async function convGradFromSplits(
  gpu: Gpu,
  a: { part: BufferBinding; splits: number; K: number; crs: number; dw: BufferBinding; db?: BufferBinding },
): Promise<BoundKernel[]> {
  const stride = a.K * a.crs + a.K;
  const dw = await reduceSumRows(gpu, { inp: a.part, out: a.dw, R: a.splits, L: a.K * a.crs, stride });
  return a.db ? [dw, await reduceSumRows(gpu, { inp: a.part, out: a.db, R: a.splits, L: a.K, stride, offset: a.K * a.crs })] : [dw];
}
