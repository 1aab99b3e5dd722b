// Why: the filter (and bias) gradient of a conv layer. Its reduction over N·OH·OW is long and its output
// small, so the batch is split into partial sums (one workgroup layer per split) that a second dispatch
// adds; both run as one KernelGroup that owns the scratch buffer.
import source from '../../shaders/conv2d-grad-weight.wgsl?raw';
import { defineKernel, KernelGroup, type Gpu, type BufferBinding } from '../gpu';
import { checkConvShape, convParams, convParamValues, convTile, type Conv2dShape, type ConvTile } from './conv2d';
import { reduceSumRows } from './reduce-sum-rows';

export const conv2dGradWeightSpec = defineKernel({
  name: 'conv2d-grad-weight',
  source,
  params: { ...convParams, NB: 'u32' },
  bindings: [
    { name: 'x', access: 'read' },
    { name: 'dy', access: 'read' },
    { name: 'part', access: 'read_write' },
  ],
  overrides: { HAS_BIAS: 0, RK: 4, TJ: 2, WGX: 8, WGY: 8 },
  workgroupSize: (o) => [o.WGX, o.WGY, 1],
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
}

/** Threads wanted in flight across splits: plenty for a CPU adapter, a start for a real GPU. */
const TARGET_THREADS = 4096;

/** dw = ∂L/∂w (and db = ∂L/∂b) of y = conv(x, w) + b, given dy. */
export async function conv2dGradWeight(gpu: Gpu, a: Conv2dGradWeightArgs): Promise<KernelGroup> {
  checkConvShape('conv2d-grad-weight', a);
  const pv = convParamValues(a);
  const crs = a.C * a.FH * a.FW;
  const cols = crs + (a.db ? 1 : 0);
  const t = convTile(a.K, Math.ceil(cols / 4), a.tile);
  const groupsXY: [number, number] = [Math.ceil(Math.ceil(cols / 4) / (t.quads * t.WGX)), Math.ceil(a.K / (4 * t.blocks * t.WGY))];
  const threadsPerSplit = groupsXY[0] * groupsXY[1] * t.WGX * t.WGY;
  const wantSplits = a.splits ?? Math.ceil(TARGET_THREADS / threadsPerSplit);
  const NB = Math.ceil(a.N / Math.max(1, Math.min(a.N, wantSplits)));
  const splits = Math.ceil(a.N / NB);
  const L = a.K * crs + a.K;
  const part = gpu.storage(splits * L * 4, 'conv2d-grad-weight:part');
  const p = await gpu.prepare(conv2dGradWeightSpec, { HAS_BIAS: a.db ? 1 : 0, RK: t.blocks, TJ: t.quads, WGX: t.WGX, WGY: t.WGY });
  const main = gpu.bind(p, { ...pv, NB }, [a.x, a.dy, part], [groupsXY[0], groupsXY[1], splits]);
  const parts = [main, await reduceSumRows(gpu, { inp: part, out: a.dw, R: splits, L: a.K * crs, stride: L })];
  if (a.db) parts.push(await reduceSumRows(gpu, { inp: part, out: a.db, R: splits, L: a.K, stride: L, offset: a.K * crs }));
  return new KernelGroup(gpu, parts, [part]);
}
