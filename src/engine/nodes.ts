// Why: the engine runs a flat list of nodes, one GPU operation each, derived from the user's layers and
// the model's shape analysis (the same numbers the UI shows). A layer's `activation` field becomes its
// own node; a ReLU right after a conv or dense layer can be fused into that layer's epilogue.
import type { ActivationKind } from '../kernels/activation';
import { FUSED_LEAKY_RELU_ALPHA, type LayerAnalysis, type NetworkAnalysis, type NetworkSpec } from '../model';

interface NodeBase {
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

export type Node = ConvNode | DenseNode | PoolNode | GlobalPoolNode | ActivationNode | BatchNormNode | DropoutNode | FlattenNode;

export class PlanError extends Error {
  override name = 'PlanError';
}

const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

/** Turns a valid spec (with its analysis) into nodes; `fuse` merges conv/dense + ReLU. */
export function buildNodes(spec: NetworkSpec, analysis: NetworkAnalysis, { fuse }: { fuse: boolean }): Node[] {
  if (!analysis.ok) throw new PlanError(`the network does not fit: ${analysis.error?.message ?? 'invalid'}`);
  const nodes: Node[] = [];
  let dropouts = 0;
  spec.layers.forEach((layer, i) => {
    const a: LayerAnalysis = analysis.layers[i]!;
    const inShape = a.inShape!;
    const outShape = a.outShape!;
    const base = { layerId: layer.id, outputOf: [layer.id], outShape, outSize: size(outShape) };
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
  });
  return fuse ? maskReluInPool(fusePool(fuseRelu(nodes))) : nodes;
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
  for (const n of nodes) {
    const prev = out[out.length - 1];
    if (n.op === 'max-pool' && prev?.op === 'conv2d' && prev.groups === 1 && !prev.pool && n.F === 2 && n.S === 2 && n.P === 0 && prev.OH % 2 === 0 && prev.OW % 2 === 0 && n.OH === prev.OH / 2 && n.OW === prev.OW / 2) {
      out[out.length - 1] = { ...prev, pool: true, outShape: n.outShape, outSize: n.outSize, outputOf: [...new Set([...prev.outputOf, ...n.outputOf])] };
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
  return nodes.map((n, i) => {
    const next = nodes[i + 1];
    const prev = nodes[i - 1];
    if ((n.op === 'conv2d' || n.op === 'dense') && n.relu && next?.op === 'max-pool') return { ...n, reluGradByNext: true };
    if (n.op === 'max-pool' && prev && (prev.op === 'conv2d' || prev.op === 'dense') && prev.relu) return { ...n, maskRelu: true };
    return n;
  });
}

/** conv/dense followed by a plain ReLU node: one node with a ReLU epilogue. */
function fuseRelu(nodes: Node[]): Node[] {
  const out: Node[] = [];
  for (const n of nodes) {
    const prev = out[out.length - 1];
    if (n.op === 'activation' && n.kind === 'relu' && prev && (prev.op === 'conv2d' || prev.op === 'dense') && !prev.relu) {
      // The fused node now produces the ReLU's output: it answers for that layer too (an activation
      // field's node has the same id as its layer; outputOf then already names it).
      out[out.length - 1] = { ...prev, relu: true, outputOf: [...new Set([...prev.outputOf, ...n.outputOf])] };
      continue;
    }
    out.push(n);
  }
  return out;
}
