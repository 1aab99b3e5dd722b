// Why: the engine runs a flat list of nodes, one GPU operation each, derived from the user's layers and
// the model's shape analysis (the same numbers the UI shows). A layer's `activation` field becomes its
// own node; a ReLU right after a conv or dense layer can be fused into that layer's epilogue.
import type { ActivationKind } from '../kernels/activation';
import { FUSED_LEAKY_RELU_ALPHA, isBlock, type LayerAnalysis, type LayerItem, type LayerSpec, type NetworkAnalysis, type NetworkSpec, type ResidualBlock } from '../model';

/** The key of the network's input tensor among nodes' `inputs`. */
export const INPUT_KEY = 'input';

interface NodeBase {
  /** Names this node's output tensor (unique in the network). */
  key: string;
  /** The tensors this node reads: INPUT_KEY or another node's key (two for a residual sum). */
  inputs: string[];
  /** The layer whose parameters this node uses (an activation field's node carries its layer's id). */
  layerId: string;
  /** The layers whose output this node's output is (a fused conv + ReLU answers for both). */
  outputOf: string[];
  /** Per-sample output elements. */
  outSize: number;
  /** Per-sample output shape, for activations views. */
  outShape: readonly number[];
}

export interface ConvNode extends NodeBase {
  op: 'conv2d';
  C: number; H: number; W: number; K: number; FH: number; FW: number; S: number; PH: number; PW: number; dilation: number; OH: number; OW: number;
  /** Grouped (depthwise when = C): runs the grouped kernels, which fuse neither pool nor ReLU mask. */
  groups: number;
  bias: boolean;
  /** ReLU fused into the epilogue (the output is after the ReLU). */
  relu: boolean;
  /** The next node (a max-pool) applies the fused ReLU's derivative in its backward. */
  reluGradByNext?: boolean;
  /**
   * A 2×2 stride-2 max-pool fused into the forward epilogue: the node's output is the pooled
   * [K, OH/2, OW/2] (outShape) and the unpooled [K, OH, OW] exists only as a gradient in backward.
   */
  pool?: boolean;
}

export interface DenseNode extends NodeBase {
  op: 'dense';
  inFeatures: number;
  units: number;
  bias: boolean;
  relu: boolean;
  reluGradByNext?: boolean;
}

export interface PoolNode extends NodeBase {
  op: 'max-pool' | 'avg-pool';
  C: number; H: number; W: number; F: number; S: number; P: number; OH: number; OW: number;
  /** Max-pool only: its input is a fused ReLU's output, whose derivative its backward applies. */
  maskRelu?: boolean;
}

export interface GlobalPoolNode extends NodeBase {
  op: 'global-avg-pool';
  C: number;
  HW: number;
}

export interface ActivationNode extends NodeBase {
  op: 'activation';
  kind: ActivationKind;
  alpha: number;
}

export interface BatchNormNode extends NodeBase {
  op: 'batch-norm';
  C: number;
  HW: number;
  momentum: number;
  epsilon: number;
}

export interface DropoutNode extends NodeBase {
  op: 'dropout';
  rate: number;
  /** Index among the network's dropout nodes (decorrelates their masks). */
  ordinal: number;
}

export interface FlattenNode extends NodeBase {
  op: 'flatten';
}

/** A residual block's sum: y = inputs[0] (the body) + inputs[1] (the shortcut). */
export interface AddNode extends NodeBase {
  op: 'add';
}

export type Node = ConvNode | DenseNode | PoolNode | GlobalPoolNode | ActivationNode | BatchNormNode | DropoutNode | FlattenNode | AddNode;

export class PlanError extends Error {
  override name = 'PlanError';
}

const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

/** Turns a valid spec (with its analysis) into nodes; `fuse` merges conv/dense + ReLU. */
export function buildNodes(spec: NetworkSpec, analysis: NetworkAnalysis, { fuse }: { fuse: boolean }): Node[] {
  if (!analysis.ok) throw new PlanError(`the network does not fit: ${analysis.error?.message ?? 'invalid'}`);
  const nodes: Node[] = [];
  let dropouts = 0;
  let leaf = 0;
  // One layer's nodes (an activation field adds one), chained from tensor `x`; returns the last key.
  const leafNodes = (x: string): string => {
    const i = leaf++;
    const layer: LayerSpec = analysis.leaves[i]!;
    const a: LayerAnalysis = analysis.layers[i]!;
    const inShape = a.inShape!;
    const outShape = a.outShape!;
    const first = nodes.length;
    const base = { key: '', inputs: [] as string[], layerId: layer.id, outputOf: [layer.id], outShape, outSize: size(outShape) };
    switch (layer.kind) {
      case 'conv2d': {
        const g = a.geometry!;
        nodes.push({ ...base, op: 'conv2d', C: inShape[0]!, H: g.H, W: g.W, K: layer.K, FH: g.FH, FW: g.FW, S: g.S, PH: g.PH, PW: g.PW, dilation: g.dilation, OH: g.OH, OW: g.OW, groups: layer.groups ?? 1, bias: layer.bias, relu: false });
        if (layer.activation) nodes.push({ ...base, op: 'activation', kind: layer.activation, alpha: FUSED_LEAKY_RELU_ALPHA });
        break;
      }
      case 'dense':
        nodes.push({ ...base, op: 'dense', inFeatures: size(inShape), units: layer.units, bias: layer.bias, relu: false });
        if (layer.activation) nodes.push({ ...base, op: 'activation', kind: layer.activation, alpha: FUSED_LEAKY_RELU_ALPHA });
        break;
      case 'max-pool':
      case 'avg-pool': {
        const g = a.geometry!;
        nodes.push({ ...base, op: layer.kind, C: inShape[0]!, H: g.H, W: g.W, F: layer.F, S: layer.S, P: layer.P, OH: g.OH, OW: g.OW });
        break;
      }
      case 'global-avg-pool':
        nodes.push({ ...base, op: 'global-avg-pool', C: inShape[0]!, HW: size(inShape.slice(1)) });
        break;
      case 'relu':
      case 'sigmoid':
      case 'tanh':
        nodes.push({ ...base, op: 'activation', kind: layer.kind, alpha: 0 });
        break;
      case 'leaky-relu':
        nodes.push({ ...base, op: 'activation', kind: 'leaky-relu', alpha: layer.alpha });
        break;
      case 'batch-norm':
        nodes.push({ ...base, op: 'batch-norm', C: inShape[0]!, HW: size(inShape.slice(1)), momentum: layer.momentum, epsilon: layer.epsilon });
        break;
      case 'dropout':
        nodes.push({ ...base, op: 'dropout', rate: layer.rate, ordinal: dropouts++ });
        break;
      case 'flatten':
        nodes.push({ ...base, op: 'flatten' });
        break;
      default:
        throw new PlanError(`unknown layer kind ${(layer satisfies never as { kind: string }).kind}`);
    }
    return chain(nodes, first, x);
  };
  // A block: its body from x, its shortcut (x, or the projection's conv node), their sum, the ReLU.
  const blockNodes = (block: ResidualBlock, x: string): string => {
    const body = walk(block.body, x);
    const shortcut = block.shortcut === 'projection' ? leafNodes(x) : x;
    const outShape = analysis.blocks.find((b) => b.id === block.id)!.outShape!;
    const base = { layerId: block.id, outShape, outSize: size(outShape) };
    const first = nodes.length;
    nodes.push({ ...base, key: '', inputs: [], outputOf: block.relu ? [] : [block.id], op: 'add' });
    if (block.relu) nodes.push({ ...base, key: '', inputs: [], outputOf: [block.id], op: 'activation', kind: 'relu', alpha: 0 });
    nodes[first]!.inputs = [body, shortcut];
    nodes[first]!.key = `n${first}`;
    return chain(nodes, first + 1, nodes[first]!.key);
  };
  const walk = (items: readonly LayerItem[], x: string): string => items.reduce((cur, item) => (isBlock(item) ? blockNodes(item, cur) : leafNodes(cur)), x);
  walk(spec.layers, INPUT_KEY);
  return fuse ? maskReluInPool(fusePool(fuseRelu(nodes))) : nodes;
}

/** Names nodes[first..] `n<index>` and chains each to the one before (the first to `x`); returns the
 *  last key. */
function chain(nodes: Node[], first: number, x: string): string {
  let cur = x;
  for (let k = first; k < nodes.length; k++) {
    const n = nodes[k]!;
    n.key = `n${k}`;
    if (n.inputs.length === 0) n.inputs = [cur];
    cur = n.key;
  }
  return cur;
}

/** How many nodes read each tensor (a block's input is read by its body and by its shortcut). */
export function consumerCounts(nodes: readonly Node[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const n of nodes) for (const k of n.inputs) counts.set(k, (counts.get(k) ?? 0) + 1);
  return counts;
}

/** Per-sample elements of the largest tensor a node's backward needs besides its input and output. */
export function innerSize(node: Node): number {
  return node.op === 'conv2d' && node.pool ? node.K * node.OH * node.OW : 0;
}

/**
 * conv (+ ReLU) followed by a 2×2 stride-2 unpadded max-pool that tiles its output exactly (even OH and
 * OW): one node whose GEMM epilogue pools, so the large unpooled output is never written nor read back.
 */
function fusePool(nodes: Node[]): Node[] {
  const out: Node[] = [];
  const readers = consumerCounts(nodes);
  for (const n of nodes) {
    const prev = soleFeeder(out[out.length - 1], n, readers);
    if (n.op === 'max-pool' && prev?.op === 'conv2d' && prev.groups === 1 && !prev.pool && n.F === 2 && n.S === 2 && n.P === 0 && prev.OH % 2 === 0 && prev.OW % 2 === 0 && n.OH === prev.OH / 2 && n.OW === prev.OW / 2) {
      out[out.length - 1] = { ...prev, key: n.key, pool: true, outShape: n.outShape, outSize: n.outSize, outputOf: [...new Set([...prev.outputOf, ...n.outputOf])] };
      continue;
    }
    out.push(n);
  }
  return out;
}

/**
 * conv/dense + ReLU followed by max-pool: the pool's backward multiplies by (x > 0) as it routes the
 * gradient, which saves the ReLU derivative's own pass over the (large) pre-pool tensor.
 */
function maskReluInPool(nodes: Node[]): Node[] {
  const readers = consumerCounts(nodes);
  return nodes.map((n, i) => {
    const after = nodes[i + 1];
    const next = after && soleFeeder(n, after, readers) ? after : undefined;
    const prev = soleFeeder(nodes[i - 1], n, readers);
    if ((n.op === 'conv2d' || n.op === 'dense') && n.relu && next?.op === 'max-pool') return { ...n, reluGradByNext: true };
    if (n.op === 'max-pool' && prev && (prev.op === 'conv2d' || prev.op === 'dense') && prev.relu) return { ...n, maskRelu: true };
    return n;
  });
}

/** `prev` when `n` reads prev's output and nothing else does (then the two may fuse): in a residual
 *  block the node listed before another need not feed it, and a block's input is read twice. */
function soleFeeder(prev: Node | undefined, n: Node, readers: Map<string, number>): Node | undefined {
  return prev && n.inputs.length === 1 && n.inputs[0] === prev.key && readers.get(prev.key) === 1 ? prev : undefined;
}

/** conv/dense followed by a plain ReLU node: one node with a ReLU epilogue. */
function fuseRelu(nodes: Node[]): Node[] {
  const out: Node[] = [];
  const readers = consumerCounts(nodes);
  for (const n of nodes) {
    const prev = soleFeeder(out[out.length - 1], n, readers);
    if (n.op === 'activation' && n.kind === 'relu' && prev && (prev.op === 'conv2d' || prev.op === 'dense') && !prev.relu) {
      // The fused node now produces the ReLU's output: it answers for that layer too (an activation
      // field's node has the same id as its layer; outputOf then already names it).
      out[out.length - 1] = { ...prev, key: n.key, relu: true, outputOf: [...new Set([...prev.outputOf, ...n.outputOf])] };
      continue;
    }
    out.push(n);
  }
  return out;
}
