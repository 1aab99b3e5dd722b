// Why: adds rows of a matrix into one row: the second dispatch of split reductions (conv2d-grad-weight's
// per-batch-split partial sums) and a dense layer's bias gradient (column sums of dy).
import source from '../../shaders/reduce-sum-rows.wgsl?raw';
import { defineKernel, splitGrid, type BoundKernel, type BufferBinding, type Gpu } from '../gpu';

const WG = 64;

export const reduceSumRowsSpec = defineKernel({
  name: 'reduce-sum-rows',
  source,
  params: { R: 'u32', L: 'u32', stride: 'u32', offset: 'u32', split: 'u32', gap: 'u32' },
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
  /** Outputs j ≥ split are stored gap floats further on (default: none). */
  split?: number;
  gap?: number;
}

/** out[j (+ gap when j ≥ split)] = Σ_{s<R} inp[offset + s·stride + j]. */
export async function reduceSumRows(gpu: Gpu, a: ReduceSumRowsArgs): Promise<BoundKernel> {
  const p = await gpu.prepare(reduceSumRowsSpec);
  const params = { R: a.R, L: a.L, stride: a.stride ?? a.L, offset: a.offset ?? 0, split: a.split ?? a.L, gap: a.gap ?? 0 };
  return gpu.bind(p, params, [a.inp, a.out], splitGrid(Math.ceil(a.L / WG)));
}

/**
 * One binding spanning two ranges of one buffer, `first` (of which `firstFloats` are used) then `second`
 * further on (a layer's dw and db in the flat gradient buffer), and the floats between the used part of
 * `first` and `second`; undefined when they are not laid out so.
 */
export function spanning(first: BufferBinding, firstFloats: number, second: BufferBinding): { binding: BufferBinding; gap: number } | undefined {
  if (first instanceof GPUBuffer || second instanceof GPUBuffer || first.buffer !== second.buffer) return undefined;
  const end = first.offset + firstFloats * 4;
  if (second.offset < end || (second.offset - end) % 4 !== 0) return undefined;
  return { binding: { buffer: first.buffer, offset: first.offset, size: second.offset + second.size - first.offset }, gap: (second.offset - end) / 4 };
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
  // dw and db in one dispatch where they are two ranges of one buffer (the flat gradients).
  const both = a.db && spanning(a.dw, a.K * a.crs, a.db);
  if (both) return [await reduceSumRows(gpu, { inp: a.part, out: both.binding, R: a.splits, L: stride, stride, split: a.K * a.crs, gap: both.gap })];
  const dw = await reduceSumRows(gpu, { inp: a.part, out: a.dw, R: a.splits, L: a.K * a.crs, stride });
  return a.db ? [dw, await reduceSumRows(gpu, { inp: a.part, out: a.db, R: a.splits, L: a.K, stride, offset: a.K * a.crs })] : [dw];
}
