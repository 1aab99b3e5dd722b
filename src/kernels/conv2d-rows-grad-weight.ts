// Why: the filter gradient of a convolution with few input channels (MNIST's first layer) is a long
// reduction with few outputs; conv2d-rows-grad-weight.wgsl sums it per split of the output's 4×4 pixel
// blocks, sliding the filter over input rows held in registers, and reduce-sum-rows adds the splits.
import source from '../../shaders/conv2d-rows-grad-weight.wgsl?raw';
import { defineKernel, KernelGroup, KernelLimitError, splitGrid, type BufferBinding, type Gpu } from '../gpu';
import type { Conv2dShape } from './conv2d-shape';
import { checkRowsFit } from './conv2d-rows';
import { rowsShareWindows } from './conv2d-strategy';
import { bindWithPlaceholders } from './owned-kernel';
import { convGradFromSplits } from './reduce-sum-rows';

export const conv2dRowsGradWeightSpec = defineKernel({
  name: 'conv2d-rows-grad-weight',
  source,
  params: { N: 'u32', C: 'u32', H: 'u32', W: 'u32', K: 'u32', PH: 'i32', PW: 'i32', OH: 'u32', OW: 'u32', PER: 'u32', L: 'u32' },
  bindings: [
    { name: 'x', access: 'read' },
    { name: 'dy', access: 'read' },
    { name: 'dy4', access: 'read' },
    { name: 'part', access: 'read_write' },
  ],
  overrides: { FH: 3, FW: 3, KB: 8, HAS_BIAS: 0, DY4: 0, DY_FULL: 0, SHARE_X: 0, WG: 64 },
  workgroupSize: (o) => [o.WG, 1, 1],
});

const WG = 64;

export interface Conv2dRowsGradWeightArgs extends Conv2dShape {
  OH: number;
  OW: number;
  x: BufferBinding;
  dy: BufferBinding;
  dw: BufferBinding;
  db?: BufferBinding;
  /** Threads wanted in flight (the pixel blocks are split to give about this many). */
  threads: number;
  /** Splits of the pixel blocks (default: from `threads`). */
  splits?: number;
}

/**
 * Filters per thread, and whether quads share the input windows: they can when 4 consecutive threads are
 * 4 filter blocks of one split, i.e. the filter blocks come in whole quads (K ≥ 16 and some KB ≤ 8 cuts
 * K into a multiple of 4 blocks), and do on a software adapter, where a quad is one SIMD group (its lanes
 * consecutive invocations) and a broadcast costs less than the load it saves.
 */
export function rowsGradWeightTile(K: number, shareWindows: boolean): { kb: number; shareX: boolean } {
  if (shareWindows && K >= 16) {
    const quads = Math.ceil(K / 32);
    const kb = Math.ceil(K / (4 * quads));
    if (Math.ceil(K / kb) === 4 * quads) return { kb, shareX: true };
  }
  return { kb: Math.min(8, K), shareX: false };
}

/** dw (and db) of a convolution that `rowsFit`: partial sums per split, then their sum. */
export async function conv2dRowsGradWeight(gpu: Gpu, a: Conv2dRowsGradWeightArgs): Promise<KernelGroup> {
  checkRowsFit(conv2dRowsGradWeightSpec.name, a);
  if (!gpu.profile.subgroups) throw new KernelLimitError(`${conv2dRowsGradWeightSpec.name}: needs the 'subgroups' feature, which this device lacks (the gemm variant runs without it)`);
  const { kb, shareX } = rowsGradWeightTile(a.K, rowsShareWindows(gpu));
  const lanes = Math.ceil(a.K / kb) * a.C;
  const blocks = a.N * Math.ceil(a.OH / 4) * Math.ceil(a.OW / 4);
  const PER = Math.ceil(blocks / Math.max(1, Math.min(blocks, a.splits ?? Math.ceil(a.threads / lanes))));
  const splits = Math.ceil(blocks / PER);
  const crs = a.C * a.FH * a.FW;
  const L = a.K * crs + a.K;
  const part = gpu.storage(splits * L * 4, 'conv2d-rows-grad-weight:part');
  // dy rows read as vec4 need every row to start on a 16-byte boundary.
  const dy4 = a.OW % 4 === 0;
  const p = await gpu.prepare(conv2dRowsGradWeightSpec, { FH: a.FH, FW: a.FW, KB: kb, HAS_BIAS: a.db ? 1 : 0, DY4: dy4 ? 1 : 0, DY_FULL: a.OH % 4 === 0 ? 1 : 0, SHARE_X: shareX ? 1 : 0, WG });
  const params = { N: a.N, C: a.C, H: a.H, W: a.W, K: a.K, PH: a.PH, PW: a.PW, OH: a.OH, OW: a.OW, PER, L };
  const partials = bindWithPlaceholders(gpu, p, params, [a.x, a.dy, dy4 ? a.dy : undefined, part], splitGrid(Math.ceil((lanes * splits) / WG)));
  const sums = await convGradFromSplits(gpu, { part, splits, K: a.K, crs, dw: a.dw, db: a.db });
  return new KernelGroup(gpu, [partials, ...sums], [part]);
}
