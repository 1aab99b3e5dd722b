// Why: the filter (and bias) gradient of a conv layer. Its reduction over N·OH·OW is long and its output
// small, so the batch is split into partial sums (one workgroup layer per split) that a second dispatch
// adds; both run as one KernelGroup that owns the scratch buffer. The direct kernel that only tests and
// benchmarks run is src/testing/conv2d-direct.ts.
import gemmSource from '../../shaders/conv2d-gemm-grad-weight.wgsl?raw';
import { defineKernel, KernelGroup, type Gpu, type BufferBinding } from '../gpu';
import { checkConvShape, convParamValues, convTile, type Conv2dShape, type ConvTile, type TileLimits } from './conv2d-shape';
import { conv2dIgemmGradWeight } from './conv2d-igemm';
import { convVariant, gemmGradWeightTileFor, gradWeightTargetThreads, type ConvVariant } from './conv2d-strategy';
import { padOrShare, tapTable, type PaddedInput } from './conv2d-gemm';
import { convGradFromSplits } from './reduce-sum-rows';
import { conv2dRowsGradWeight } from './conv2d-rows-grad-weight';

export const conv2dGemmGradWeightSpec = defineKernel({
  name: 'conv2d-gemm-grad-weight',
  source: gemmSource,
  params: { N: 'u32', NB: 'u32', K: 'u32', R: 'u32', OHW: 'u32', OHW4: 'u32', IMG: 'u32' },
  bindings: [
    { name: 'xp', access: 'read' },
    { name: 'dy', access: 'read' },
    { name: 'pix', access: 'read' },
    { name: 'tab', access: 'read' },
    { name: 'part', access: 'read_write' },
  ],
  overrides: { HAS_BIAS: 0, ALIGNED: 1, RK: 4, TJ: 4, WGX: 8, WGY: 8 },
  workgroupSize: (o) => [o.WGX, o.WGY, 1],
  accumulators: (o) => 16 * o.RK * o.TJ,
});

export interface Conv2dGradWeightArgs extends Conv2dShape {
  /** Forward input [N,C,H,W]. */
  x: BufferBinding;
  /** Output gradient [N,K,OH,OW]. */
  dy: BufferBinding;
  /** Filter gradient [K,C,FH,FW], overwritten. */
  dw: BufferBinding;
  /** Optional bias gradient [K], overwritten. */
  db?: BufferBinding;
  tile?: Partial<ConvTile>;
  /** Batch splits (default: enough threads for a many-core adapter, at most N). */
  splits?: number;
  /**
   * 'igemm' (default on the hardware profile): conv2d-igemm-grad-weight.wgsl, no copies;
   * 'gemm' (software default): conv2d-gemm-grad-weight.wgsl on a zero-padded copy of x with tap and pixel tables
   * (no masks in the loop); 'rows'
   * (default on a software adapter for C ≤ ROWS_MAX_CHANNELS where it applies: stride 1, no dilation, filters ≤ 5×5):
   * conv2d-rows-grad-weight.wgsl, the filter slid over input rows in registers, no copy.
   */
  variant?: Exclude<ConvVariant, 'direct'>;
  /** gemm: a zero-padded copy of x already made (padInput), e.g. by the forward pass. */
  padded?: PaddedInput;
}

/** How a register-tiled filter gradient splits its work: the tile, the x/y workgroups per batch split,
 *  the images per split (NB), the splits, and the buffer of their partial sums. */
export interface GradWeightSplits {
  t: ConvTile;
  groupsXY: [number, number];
  NB: number;
  splits: number;
  part: GPUBuffer;
}

/** Splits a filter gradient with `cols` output columns (taps, plus one for the bias where the kernel
 *  computes it as a column) over the batch: enough threads for the adapter, at most one split per image. */
export function gradWeightSplits(gpu: Gpu, a: Conv2dGradWeightArgs, cols: number, limits?: TileLimits): GradWeightSplits {
  const t = convTile(a.K, Math.ceil(cols / 4), a.tile, limits);
  const groupsXY: [number, number] = [Math.ceil(Math.ceil(cols / 4) / (t.quads * t.WGX)), Math.ceil(a.K / (4 * t.blocks * t.WGY))];
  const threadsPerSplit = groupsXY[0] * groupsXY[1] * t.WGX * t.WGY;
  const wantSplits = a.splits ?? Math.ceil(gradWeightTargetThreads(gpu) / threadsPerSplit);
  const NB = Math.ceil(a.N / Math.max(1, Math.min(a.N, wantSplits)));
  const splits = Math.ceil(a.N / NB);
  const part = gpu.storage(splits * (a.K * a.C * a.FH * a.FW + a.K) * 4, 'conv2d-grad-weight:part');
  return { t, groupsXY, NB, splits, part };
}

/** dw = ∂L/∂w (and db = ∂L/∂b) of y = conv(x, w) + b, given dy. */
export async function conv2dGradWeight(gpu: Gpu, a: Conv2dGradWeightArgs): Promise<KernelGroup> {
  checkConvShape('conv2d-grad-weight', a);
  const pv = convParamValues(a);
  const variant = convVariant(gpu, 'grad-weight', a.variant, a);
  if (variant === 'igemm') return conv2dIgemmGradWeight(gpu, a);
  if (variant === 'rows') return conv2dRowsGradWeight(gpu, { ...a, OH: pv.OH, OW: pv.OW, threads: gradWeightTargetThreads(gpu) });
  const crs = a.C * a.FH * a.FW;
  const { t, groupsXY, NB, splits, part } = gradWeightSplits(gpu, a, crs, gemmGradWeightTileFor(gpu));
  const { pad, parts, scratch: padScratch } = await padOrShare(gpu, a.padded, { ...a, D: a.dilation, OH: pv.OH, OW: pv.OW });
  const tab = new Uint32Array(Math.ceil((crs + 1) / 4) * 4);
  tab.set(tapTable(a.C, a.FH, a.FW, a.dilation, pad.Hp, pad.Wp).subarray(0, crs));
  const OHW = pv.OH * pv.OW;
  const OHW4 = Math.ceil(OHW / 4);
  const pix = new Uint32Array(OHW4 * 4);
  for (let oh = 0; oh < pv.OH; oh++) for (let ow = 0; ow < pv.OW; ow++) pix[oh * pv.OW + ow] = (oh * pad.Wp + ow) * a.S;
  const tabBuf = gpu.upload(tab, 'conv2d-grad-weight:tab');
  const pixBuf = gpu.upload(pix, 'conv2d-grad-weight:pix');
  const p = await gpu.prepare(conv2dGemmGradWeightSpec, { HAS_BIAS: a.db ? 1 : 0, ALIGNED: OHW % 4 === 0 ? 1 : 0, RK: t.blocks, TJ: t.quads, WGX: t.WGX, WGY: t.WGY });
  const params = { N: a.N, NB, K: a.K, R: crs, OHW, OHW4, IMG: a.C * pad.Hp * pad.Wp };
  parts.push(gpu.bind(p, params, [pad.xp, a.dy, pixBuf, tabBuf, part], [groupsXY[0], groupsXY[1], splits]));
  parts.push(...(await convGradFromSplits(gpu, { part, splits, K: a.K, crs, dw: a.dw, db: a.db })));
  return new KernelGroup(gpu, parts, [part, tabBuf, pixBuf, ...padScratch]);
}
