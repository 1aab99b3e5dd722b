// Why: grouped convolution (groups G > 1; depthwise when G = C), forward, input gradient and filter
// gradient. Each filter sees only its group's C/G input channels, so the reduction per output is short
// (9 taps for a 3×3 depthwise conv) and the GEMM tilings of the dense kernels have nothing to share:
// one thread per value is the plain, correct route on both profiles. The filter gradient is split over
// the batch and the splits added by reduce-sum-rows, like the dense conv's.
import forwardSource from '../../shaders/conv2d-grouped.wgsl?raw';
import gradInputSource from '../../shaders/conv2d-grouped-grad-input.wgsl?raw';
import gradWeightSource from '../../shaders/conv2d-grouped-grad-weight.wgsl?raw';
import { defineKernel, KernelGroup, splitGrid, type BoundKernel, type BufferBinding, type Gpu } from '../gpu';
import { checkConvShape, convParams, convParamValues, type Conv2dShape } from './conv2d-shape';
import { gradWeightTargetThreads } from './conv2d-strategy';
import { convGradFromSplits } from './reduce-sum-rows';

const WG = 64;
const groupedParams = { ...convParams, G: 'u32' } as const;

export const conv2dGroupedSpec = defineKernel({
  name: 'conv2d-grouped',
  source: forwardSource,
  params: groupedParams,
  bindings: [
    { name: 'x', access: 'read' },
    { name: 'w', access: 'read' },
    { name: 'b', access: 'read' },
    { name: 'y', access: 'read_write' },
  ],
  overrides: { WG, HAS_BIAS: 0, RELU: 0 },
  workgroupSize: (o) => [o.WG, 1, 1],
});

export const conv2dGroupedGradInputSpec = defineKernel({
  name: 'conv2d-grouped-grad-input',
  source: gradInputSource,
  params: groupedParams,
  bindings: [
    { name: 'dy', access: 'read' },
    { name: 'w', access: 'read' },
    { name: 'dx', access: 'read_write' },
  ],
  overrides: { WG },
  workgroupSize: (o) => [o.WG, 1, 1],
});

export const conv2dGroupedGradWeightSpec = defineKernel({
  name: 'conv2d-grouped-grad-weight',
  source: gradWeightSource,
  params: { ...groupedParams, NB: 'u32' },
  bindings: [
    { name: 'x', access: 'read' },
    { name: 'dy', access: 'read' },
    { name: 'part', access: 'read_write' },
  ],
  overrides: { WG },
  workgroupSize: (o) => [o.WG, 1, 1],
});

/** A convolution's sizes plus its number of groups G (C and K divisible by G). */
export interface GroupedShape extends Conv2dShape {
  groups: number;
}

function checkGroups(name: string, s: GroupedShape) {
  checkConvShape(name, s);
  if (!(Number.isInteger(s.groups) && s.groups >= 1 && s.C % s.groups === 0 && s.K % s.groups === 0)) {
    throw new Error(`${name}: groups ${s.groups} must divide C = ${s.C} and K = ${s.K}`);
  }
  return { ...convParamValues(s), G: s.groups };
}

const grid = (threads: number) => splitGrid(Math.ceil(threads / WG));

/** y = grouped conv(x, w) + b (w [K, C/G, FH, FW]), then ReLU when asked. */
export async function conv2dGrouped(
  gpu: Gpu,
  a: GroupedShape & { x: BufferBinding; w: BufferBinding; b?: BufferBinding; y: BufferBinding; relu?: boolean },
): Promise<BoundKernel> {
  const pv = checkGroups('conv2d-grouped', a);
  const p = await gpu.prepare(conv2dGroupedSpec, { HAS_BIAS: a.b ? 1 : 0, RELU: a.relu ? 1 : 0 });
  return gpu.bind(p, pv, [a.x, a.w, a.b ?? a.w, a.y], grid(a.N * a.K * pv.OH * pv.OW));
}

/** dx = ∂L/∂x of a grouped conv, given dy (overwrites dx). */
export async function conv2dGroupedGradInput(gpu: Gpu, a: GroupedShape & { dy: BufferBinding; w: BufferBinding; dx: BufferBinding }): Promise<BoundKernel> {
  const pv = checkGroups('conv2d-grouped-grad-input', a);
  const p = await gpu.prepare(conv2dGroupedGradInputSpec);
  return gpu.bind(p, pv, [a.dy, a.w, a.dx], grid(a.N * a.C * a.H * a.W));
}

/** dw = ∂L/∂w (and db) of a grouped conv, given dy: partial sums over batch splits, then their sum. */
export async function conv2dGroupedGradWeight(
  gpu: Gpu,
  a: GroupedShape & { x: BufferBinding; dy: BufferBinding; dw: BufferBinding; db?: BufferBinding; splits?: number },
): Promise<KernelGroup> {
  const pv = checkGroups('conv2d-grouped-grad-weight', a);
  const crs = (a.C / a.groups) * a.FH * a.FW;
  const L = a.K * crs + a.K;
  const want = a.splits ?? Math.ceil(gradWeightTargetThreads(gpu) / L);
  const NB = Math.ceil(a.N / Math.max(1, Math.min(a.N, want)));
  const splits = Math.ceil(a.N / NB);
  const part = gpu.storage(splits * L * 4, 'conv2d-grouped-grad-weight:part');
  const p = await gpu.prepare(conv2dGroupedGradWeightSpec);
  const partial = gpu.bind(p, { ...pv, NB }, [a.x, a.dy, part], grid(splits * L));
  const sums = await convGradFromSplits(gpu, { part, splits, K: a.K, crs, dw: a.dw, db: a.db });
  return new KernelGroup(gpu, [partial, ...sums], [part]);
}
