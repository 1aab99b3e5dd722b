// Why: the convolution's three passes on hardware GPUs, as implicit GEMMs with both operand blocks staged
// in workgroup memory (conv2d-igemm*.wgsl): forward with bias/ReLU/max-pool fused, input gradient and
// filter gradient (split over the batch, the splits added by reduce-sum-rows). Padding is a predicated
// load and the filters are read as stored, so no pass makes a padded or transposed copy; the gradient
// passes can read dy through a fused max-pool's argmax (and a ReLU's mask), which saves the pool's
// backward dispatch. The tiles are chosen by conv2d-strategy.ts from the adapter profile.
import fwdSource from '../../shaders/conv2d-igemm.wgsl?raw';
import giSource from '../../shaders/conv2d-igemm-grad-input.wgsl?raw';
import gwSource from '../../shaders/conv2d-igemm-grad-weight.wgsl?raw';
import { defineKernel, KernelGroup, type BoundKernel, type BufferBinding, type Gpu } from '../gpu';
import { checkConvShape, convOutSize, type Conv2dShape } from './conv2d-shape';
import { igemmGradWeightSplits, igemmWGY, IGEMM_TILE_COLS } from './conv2d-strategy';
import { bindWithPlaceholders } from './owned-kernel';
import { convGradFromSplits } from './reduce-sum-rows';

const shapeParams = {
  NPIX: 'u32', C: 'u32', H: 'u32', W: 'u32', K: 'u32', FH: 'u32', FW: 'u32', S: 'u32', PH: 'u32', PW: 'u32', D: 'u32', OH: 'u32', OW: 'u32', R: 'u32',
} as const;

/** Two 16 × 64 f32 operand blocks. */
const IGEMM_WORKGROUP_BYTES = 2 * 1024 * 4;

export const conv2dIgemmSpec = defineKernel({
  name: 'conv2d-igemm',
  source: fwdSource,
  params: shapeParams,
  bindings: [
    { name: 'x', access: 'read' },
    { name: 'w', access: 'read' },
    { name: 'w4', access: 'read' },
    { name: 'b', access: 'read' },
    { name: 'y', access: 'read_write' },
    { name: 'argmax', access: 'read_write' },
  ],
  overrides: { HAS_BIAS: 0, RELU: 0, POOL: 0, VEC_W: 0, WGY: 16 },
  workgroupSize: (o) => [16, o.WGY, 1],
  workgroupBytes: () => IGEMM_WORKGROUP_BYTES,
  accumulators: () => 16,
});

export const conv2dIgemmGradInputSpec = defineKernel({
  name: 'conv2d-igemm-grad-input',
  source: giSource,
  params: shapeParams,
  bindings: [
    { name: 'dy', access: 'read' },
    { name: 'w', access: 'read' },
    { name: 'argmax', access: 'read' },
    { name: 'y', access: 'read' },
    { name: 'dx', access: 'read_write' },
  ],
  overrides: { POOL_GRAD: 0, RELU_MASK: 0, WGY: 16 },
  workgroupSize: (o) => [16, o.WGY, 1],
  workgroupBytes: () => IGEMM_WORKGROUP_BYTES,
  accumulators: () => 16,
});

export const conv2dIgemmGradWeightSpec = defineKernel({
  name: 'conv2d-igemm-grad-weight',
  source: gwSource,
  params: { N: 'u32', NB: 'u32', C: 'u32', H: 'u32', W: 'u32', K: 'u32', FH: 'u32', FW: 'u32', S: 'u32', PH: 'u32', PW: 'u32', D: 'u32', OH: 'u32', OW: 'u32', R: 'u32', L: 'u32' },
  bindings: [
    { name: 'x', access: 'read' },
    { name: 'dy', access: 'read' },
    { name: 'argmax', access: 'read' },
    { name: 'y', access: 'read' },
    { name: 'part', access: 'read_write' },
  ],
  overrides: { HAS_BIAS: 0, POOL_GRAD: 0, RELU_MASK: 0, WGY: 16 },
  workgroupSize: (o) => [16, o.WGY, 1],
  workgroupBytes: () => IGEMM_WORKGROUP_BYTES,
  accumulators: () => 16,
});

/**
 * How the gradient passes read g, the gradient at the convolution's output: through a fused 2×2 max-pool
 * (dy pooled, argmax from the forward; `y` the pooled output when a ReLU precedes the pool), or with a
 * ReLU's derivative from the (unpooled) output `y`, or plain dy.
 */
export interface GradRouting {
  pool?: { argmax: BufferBinding };
  /** The ReLU'd output whose sign masks the gradient (pooled when `pool`). */
  reluY?: BufferBinding;
}

function sizes(s: Conv2dShape) {
  const { OH, OW } = convOutSize(s);
  return { C: s.C, H: s.H, W: s.W, K: s.K, FH: s.FH, FW: s.FW, S: s.S, PH: s.PH, PW: s.PW, D: s.dilation, OH, OW };
}

function checkPooled(name: string, OH: number, OW: number): void {
  if (OH % 2 !== 0 || OW % 2 !== 0) throw new Error(`${name}: a fused 2×2 max-pool needs an even output size, got ${OH}×${OW}`);
}

/** y = conv(x, w) (+ b) (then ReLU) (then a 2×2 max-pool with argmax). */
export async function conv2dIgemm(
  gpu: Gpu,
  a: Conv2dShape & { x: BufferBinding; w: BufferBinding; b?: BufferBinding; y: BufferBinding; relu?: boolean; pool?: { argmax: BufferBinding }; WGY?: number },
): Promise<BoundKernel> {
  checkConvShape(conv2dIgemmSpec.name, a);
  const z = sizes(a);
  if (a.pool) checkPooled(conv2dIgemmSpec.name, z.OH, z.OW);
  const R = a.C * a.FH * a.FW;
  const WGY = a.WGY ?? igemmWGY(gpu, a.K);
  const vecW = R % 4 === 0;
  const p = await gpu.prepare(conv2dIgemmSpec, { HAS_BIAS: a.b ? 1 : 0, RELU: a.relu ? 1 : 0, POOL: a.pool ? 1 : 0, VEC_W: vecW ? 1 : 0, WGY });
  const NPIX = a.N * z.OH * z.OW;
  const groups: [number, number, number] = [Math.ceil(NPIX / IGEMM_TILE_COLS), Math.ceil(a.K / (4 * WGY)), 1];
  return bindWithPlaceholders(gpu, p, { NPIX, ...z, R }, [a.x, a.w, vecW ? a.w : undefined, a.b, a.y, a.pool?.argmax], groups);
}

/** dx = ∂L/∂x of y = conv(x, w), given dy (routed as `route` says). */
export async function conv2dIgemmGradInput(gpu: Gpu, a: Conv2dShape & GradRouting & { dy: BufferBinding; w: BufferBinding; dx: BufferBinding; WGY?: number }): Promise<BoundKernel> {
  checkConvShape(conv2dIgemmGradInputSpec.name, a);
  const z = sizes(a);
  if (a.pool) checkPooled(conv2dIgemmGradInputSpec.name, z.OH, z.OW);
  const WGY = a.WGY ?? igemmWGY(gpu, a.C);
  const p = await gpu.prepare(conv2dIgemmGradInputSpec, { POOL_GRAD: a.pool ? 1 : 0, RELU_MASK: a.reluY ? 1 : 0, WGY });
  const NPIX = a.N * a.H * a.W;
  const groups: [number, number, number] = [Math.ceil(NPIX / IGEMM_TILE_COLS), Math.ceil(a.C / (4 * WGY)), 1];
  return bindWithPlaceholders(gpu, p, { NPIX, ...z, R: a.K * a.FH * a.FW }, [a.dy, a.w, a.pool?.argmax, a.reluY, a.dx], groups);
}

/** dw (and db) of y = conv(x, w) + b given dy (routed as `route` says): partial sums per batch split, then their sum. */
export async function conv2dIgemmGradWeight(
  gpu: Gpu,
  a: Conv2dShape & GradRouting & { x: BufferBinding; dy: BufferBinding; dw: BufferBinding; db?: BufferBinding; splits?: number; WGY?: number },
): Promise<KernelGroup> {
  const name = conv2dIgemmGradWeightSpec.name;
  checkConvShape(name, a);
  const z = sizes(a);
  if (a.pool) checkPooled(name, z.OH, z.OW);
  const R = a.C * a.FH * a.FW;
  const cols = R + (a.db ? 1 : 0);
  const WGY = a.WGY ?? igemmWGY(gpu, a.K);
  const tileGroups = Math.ceil(cols / IGEMM_TILE_COLS) * Math.ceil(a.K / (4 * WGY));
  const wanted = a.splits ?? igemmGradWeightSplits(gpu, tileGroups, a.N);
  const NB = Math.ceil(a.N / Math.max(1, Math.min(a.N, wanted)));
  const splits = Math.ceil(a.N / NB);
  const L = a.K * R + a.K;
  const part = gpu.storage(splits * L * 4, `${name}:part`);
  const p = await gpu.prepare(conv2dIgemmGradWeightSpec, { HAS_BIAS: a.db ? 1 : 0, POOL_GRAD: a.pool ? 1 : 0, RELU_MASK: a.reluY ? 1 : 0, WGY });
  const groups: [number, number, number] = [Math.ceil(cols / IGEMM_TILE_COLS), Math.ceil(a.K / (4 * WGY)), splits];
  const partials = bindWithPlaceholders(gpu, p, { N: a.N, NB, ...z, R, L }, [a.x, a.dy, a.pool?.argmax, a.reluY, part], groups);
  const sums = await convGradFromSplits(gpu, { part, splits, K: a.K, crs: R, dw: a.dw, db: a.db });
  return new KernelGroup(gpu, [partials, ...sums], [part]);
}
