// Why: "how was this value computed?" answered from the engine itself. After the inspection plan has
// run one image forward, this reads back exactly what one cell needs — the input window, the filter's
// weights, the bias and the engine's own output — and lays out the arithmetic (products, sums) in
// float64 next to the value the GPU produced, so the page shows numbers that are the engine's, not a
// second implementation's. All reads are queued together, before anything else can be submitted, so
// a training step running meanwhile cannot slip between the output and the weights it came from.
import type { Gpu } from '../gpu';
import type { Network } from '../engine/network';
import type { Node } from '../engine/nodes';
import type { Plan } from '../engine/plan';
import type { Tensor } from '../engine/tensor';
import type { CellExplanation, CellPosition, FusedActivation, PixelBox } from './cell-protocol';
import { flatIndex, unflatten } from './cell-position';
import { explainDense, softmaxOf } from './inspect-dense';
import { findItem, isBlock } from '../model/residual';

export { flatIndex, unflatten } from './cell-position';

function checkPosition(layerId: string, shape: readonly number[], p: CellPosition): void {
  const [C, H = 1, W = 1] = shape;
  const ok = (v: number, n: number) => Number.isInteger(v) && v >= 0 && v < n;
  if (!ok(p.c, C!) || !ok(p.y, H) || !ok(p.x, W)) {
    throw new RangeError(`${layerId} has no cell (channel ${p.c}, row ${p.y}, column ${p.x}): its output is ${shape.join('×')}`);
  }
}

/** The input-image box that node `index`'s cell (y, x) depends on, walking back through the nodes. */
export function receptiveBox(nodes: readonly Node[], index: number, p: CellPosition, image: { H: number; W: number }): PixelBox {
  let box: PixelBox = { y0: p.y, y1: p.y, x0: p.x, x1: p.x };
  const whole = { y0: 0, y1: image.H - 1, x0: 0, x1: image.W - 1 };
  // Back along each node's first input: through a residual block that is the body, whose window
  // covers the shortcut's (a 1×1 projection reads one pixel of it).
  const byKey = new Map(nodes.map((n) => [n.key, n]));
  for (let n = nodes[index]; n; n = byKey.get(n.inputs[0]!)) {
    switch (n.op) {
      case 'conv2d': {
        const d = n.dilation;
        box = clip({ y0: box.y0 * n.S - n.PH, y1: box.y1 * n.S - n.PH + (n.FH - 1) * d, x0: box.x0 * n.S - n.PW, x1: box.x1 * n.S - n.PW + (n.FW - 1) * d }, n.H, n.W);
        break;
      }
      case 'max-pool':
      case 'avg-pool':
        box = clip({ y0: box.y0 * n.S - n.P, y1: box.y1 * n.S - n.P + n.F - 1, x0: box.x0 * n.S - n.P, x1: box.x1 * n.S - n.P + n.F - 1 }, n.H, n.W);
        break;
      case 'dense':
      case 'global-avg-pool':
      case 'flatten':
        // Every input of a dense unit (or a channel's mean) counts: the whole image from here back.
        return whole;
      case 'activation':
      case 'batch-norm':
      case 'dropout':
      case 'add':
        break;
      default:
        throw new Error(`unknown node ${(n satisfies never as Node).op}`);
    }
  }
  return box;
}

const clip = (b: PixelBox, H: number, W: number): PixelBox => ({ y0: Math.max(0, b.y0), y1: Math.min(H - 1, b.y1), x0: Math.max(0, b.x0), x1: Math.min(W - 1, b.x1) });

/** One float of a buffer (queued at once, like every read here). */
const scalar = (gpu: Gpu, buffer: GPUBuffer, index: number) => gpu.readF32(buffer, 1, index).then((a) => a[0]!);
const one = (gpu: Gpu, t: Tensor, index: number) => scalar(gpu, t.buffer, index);

type WithoutImage<T> = T extends unknown ? Omit<T, 'image' | 'imageShape'> : never;

/**
 * Explains one cell of `layerId`'s output for the image the inspection plan (N = 1, unfused) last ran.
 * `label`: the image's class, when known (the output layer then shows the loss).
 */
export async function explainCell(gpu: Gpu, network: Network, plan: Plan, layerId: string, at: CellPosition, label?: number): Promise<CellExplanation> {
  const image = gpu.readF32(plan.input.buffer, plan.input.size);
  const cell = explainNode(gpu, network, plan, layerId, at, label);
  const { C, H, W } = network.spec.input;
  return { ...(await cell), image: await image, imageShape: [C, H, W] } as CellExplanation;
}

async function explainNode(gpu: Gpu, network: Network, plan: Plan, layerId: string, at: CellPosition, label?: number): Promise<WithoutImage<CellExplanation>> {
  const entries = plan.nodeTensors;
  const index = entries.findIndex((e) => e.node.layerId === layerId);
  if (index < 0) throw new Error(`no layer ${layerId} in the built network`);
  const { node, x, y } = entries[index]!;
  const next = entries[index + 1];
  const fused = next && next.node.layerId === layerId && next.node.op === 'activation' ? next : undefined;
  const out = fused ?? entries[index]!;
  const outShape = [...out.y.shape.slice(1)];
  const inShape = [...x.shape.slice(1)];
  checkPosition(layerId, outShape, at);
  const oi = flatIndex(outShape, at);
  const { H, W } = network.spec.input;
  const base = { layerId, at, inShape, outShape, receptiveField: receptiveBox(entries.map((e) => e.node), index, at, { H, W }) };
  const slot = (role: string) => network.slotsOf(layerId).find((s) => s.role === role);
  const params = network.store.params;
  const activationOf = async (v: Promise<number>): Promise<FusedActivation | undefined> =>
    fused && fused.node.op === 'activation' ? { kind: fused.node.kind, alpha: fused.node.alpha, after: await v } : undefined;

  switch (node.op) {
    case 'conv2d': {
      // A grouped conv's filter sees only its group's C/G channels (depthwise: its own one).
      const Cg = node.C / node.groups;
      const c0 = Math.floor(at.c / (node.K / node.groups)) * Cg;
      const per = Cg * node.FH * node.FW;
      const wSlot = slot('weight')!;
      const bSlot = slot('bias');
      // Queued together (see the header): input, weights, bias, output, fused activation.
      const reads = Promise.all([
        gpu.readF32(x.buffer, x.size),
        gpu.readF32(params, per, wSlot.offset + at.c * per),
        bSlot ? scalar(gpu, params, bSlot.offset + at.c) : Promise.resolve(0),
        one(gpu, y, oi),
      ]);
      const act = activationOf(one(gpu, out.y, oi));
      const [whole, weights, bias, pre] = await reads;
      const activation = await act;
      const input = whole.subarray(c0 * node.H * node.W, (c0 + Cg) * node.H * node.W);
      const geometry = { C: Cg, H: node.H, W: node.W, K: node.K, FH: node.FH, FW: node.FW, S: node.S, PH: node.PH, PW: node.PW, dilation: node.dilation, OH: node.OH, OW: node.OW };
      return { ...base, ...convArithmetic(geometry, input, weights, bias, at), geometry, kind: 'conv2d', preActivation: pre, activation, value: activation?.after ?? pre, input };
    }
    case 'max-pool':
    case 'avg-pool':
    case 'global-avg-pool': {
      const [, IH = 1, IW = 1] = inShape;
      const [map, value] = await Promise.all([gpu.readF32(x.buffer, IH * IW, at.c * IH * IW), one(gpu, y, oi)]);
      const g = node.op === 'global-avg-pool' ? { F: IH, FW: IW, S: 1, P: 0 } : { F: node.F, FW: node.F, S: node.S, P: node.P };
      return { ...base, ...poolArithmetic(node.op, map, IH, IW, g, at), kind: node.op, ...g, value, inputMap: map };
    }
    case 'activation': {
      const [before, after] = await Promise.all([one(gpu, x, oi), one(gpu, y, oi)]);
      return { ...base, kind: 'activation', fn: node.kind, alpha: node.alpha, before, after, value: after };
    }
    case 'dense': {
      const wSlot = slot('weight')!;
      const bSlot = slot('bias');
      const last = index + (fused ? 1 : 0) === entries.length - 1;
      const reads = Promise.all([
        gpu.readF32(x.buffer, node.inFeatures),
        gpu.readF32(params, node.inFeatures, wSlot.offset + at.c * node.inFeatures),
        bSlot ? scalar(gpu, params, bSlot.offset + at.c) : Promise.resolve(0),
        one(gpu, y, oi),
        last ? gpu.readF32(out.y.buffer, node.units) : Promise.resolve(undefined),
        last && plan.probs ? gpu.readF32(plan.probs.buffer, plan.probs.size) : Promise.resolve(undefined),
      ]);
      const act = activationOf(one(gpu, out.y, oi));
      const [input, weights, bias, pre, logits, probs] = await reads;
      const activation = await act;
      return {
        ...base,
        ...explainDense(input, weights, bias, inShape),
        kind: 'dense',
        preActivation: pre,
        activation,
        value: activation?.after ?? pre,
        ...(logits && probs && { softmax: softmaxOf(logits, probs, label) }),
      };
    }
    case 'batch-norm': {
      const state = network.store.layout.stateSlots.filter((s) => s.layerId === layerId);
      const mean = state.find((s) => s.role === 'running-mean')!;
      const variance = state.find((s) => s.role === 'running-var')!;
      const stateBuf = network.store.state;
      const [xv, value, rm, rv, gamma, beta] = await Promise.all([
        one(gpu, x, oi),
        one(gpu, y, oi),
        scalar(gpu, stateBuf, mean.offset + at.c),
        scalar(gpu, stateBuf, variance.offset + at.c),
        scalar(gpu, params, slot('gamma')!.offset + at.c),
        scalar(gpu, params, slot('beta')!.offset + at.c),
      ]);
      const normalised = (xv - rm) / Math.sqrt(rv + node.epsilon);
      return { ...base, kind: 'batch-norm', x: xv, runningMean: rm, runningVar: rv, epsilon: node.epsilon, momentum: node.momentum, gamma, beta, normalised, total: gamma * normalised + beta, value };
    }
    case 'flatten':
    case 'dropout': {
      const value = await one(gpu, y, oi);
      const from = inShape.length === 3 ? unflatten(inShape, oi) : { c: oi, y: 0, x: 0 };
      return { ...base, kind: node.op, from, value };
    }
    case 'add': {
      const x2 = entries[index]!.x2;
      if (!x2) throw new Error(`${layerId}: the sum's shortcut tensor is missing from the plan`);
      const reads = Promise.all([one(gpu, x, oi), one(gpu, x2, oi), one(gpu, y, oi)]);
      const act = activationOf(one(gpu, out.y, oi));
      const [body, shortcut, sum] = await reads;
      const activation = await act;
      // The tensor keys name the nodes that made them; the network's input has no node.
      const from = (key: string | undefined) => entries.find((e) => e.node.key === key)?.node.layerId ?? 'the input';
      const [bodyKey, shortcutKey] = node.inputs;
      const block = findItem(network.spec.layers, layerId);
      const projection = !!block && isBlock(block) && block.shortcut === 'projection';
      return { ...base, kind: 'add', body, bodyFrom: from(bodyKey), shortcut, shortcutFrom: from(shortcutKey), projection, sum, activation, value: activation?.after ?? sum };
    }
    default:
      throw new Error(`unknown node ${(node satisfies never as Node).op}`);
  }
}


/** The taps of filter `at.c` at output (at.y, at.x): window, padding, products and sums per channel. */
export function convArithmetic(
  g: { C: number; H: number; W: number; FH: number; FW: number; S: number; PH: number; PW: number; dilation: number },
  input: Float32Array,
  weights: Float32Array,
  bias: number,
  at: CellPosition,
) {
  const iy0 = at.y * g.S - g.PH;
  const ix0 = at.x * g.S - g.PW;
  const taps = g.FH * g.FW;
  let total = bias;
  const channels = Array.from({ length: g.C }, (_, c) => {
    const window = new Float32Array(taps);
    const padding = new Uint8Array(taps);
    const w = weights.slice(c * taps, (c + 1) * taps);
    const products = new Float64Array(taps);
    let sum = 0;
    for (let fy = 0; fy < g.FH; fy++)
      for (let fx = 0; fx < g.FW; fx++) {
        const t = fy * g.FW + fx;
        const iy = iy0 + fy * g.dilation;
        const ix = ix0 + fx * g.dilation;
        if (iy < 0 || iy >= g.H || ix < 0 || ix >= g.W) padding[t] = 1;
        else window[t] = input[(c * g.H + iy) * g.W + ix]!;
        products[t] = window[t]! * w[t]!;
        sum += products[t]!;
      }
    total += sum;
    return { window, padding, weights: w, products, sum };
  });
  return { iy0, ix0, channels, bias, total };
}

/** A pool window over one channel's map: values, padding, the max (first, row-major) or the mean. */
export function poolArithmetic(kind: 'max-pool' | 'avg-pool' | 'global-avg-pool', map: Float32Array, H: number, W: number, g: { F: number; FW: number; S: number; P: number }, at: CellPosition) {
  const iy0 = at.y * g.S - g.P;
  const ix0 = at.x * g.S - g.P;
  const n = g.F * g.FW;
  const window = new Float32Array(n);
  const padding = new Uint8Array(n);
  let argmax: number | undefined;
  let sum = 0;
  for (let fy = 0; fy < g.F; fy++)
    for (let fx = 0; fx < g.FW; fx++) {
      const t = fy * g.FW + fx;
      const iy = iy0 + fy;
      const ix = ix0 + fx;
      if (iy < 0 || iy >= H || ix < 0 || ix >= W) {
        padding[t] = 1;
        continue;
      }
      window[t] = map[iy * W + ix]!;
      sum += window[t]!;
      if (argmax === undefined || window[t]! > window[argmax]!) argmax = t;
    }
  const result = kind === 'max-pool' ? window[argmax ?? 0]! : sum / n;
  return { iy0, ix0, window, padding, ...(kind === 'max-pool' && { argmax }), result };
}
