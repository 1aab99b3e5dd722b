// Why: the planner's op table: one build function per node op, a mapped type over the ops, so a node
// op without its build function does not compile. A new layer kind adds its node op (nodes.ts) and
// its entry here (its build function in its own file beside this one).
import type { Node } from '../nodes';
import { buildActivation } from './activation';
import { buildAdd } from './add';
import { buildBatchNorm } from './batch-norm';
import { buildConv } from './conv2d';
import { buildDense } from './dense';
import { buildDropout } from './dropout';
import type { BuiltOp, OpBuffers, OpContext } from './op';
import { buildGlobalPool, buildPool } from './pool';

export type OpKind = Node['op'];
/** The node type whose op is O (a pool node answers for both 'max-pool' and 'avg-pool'). */
export type NodeOf<O extends OpKind> = Node extends infer N ? (N extends { op: infer P } ? (O extends P ? N : never) : never) : never;
export type BuildOp<O extends OpKind> = (ctx: OpContext & { seed: number }, node: NodeOf<O>, b: OpBuffers) => Promise<BuiltOp>;

const nothing = (): Promise<BuiltOp> => Promise.resolve({ forward: [], backward: [], dispose: () => {} });

export const OPS: { [O in OpKind]: BuildOp<O> } = {
  conv2d: buildConv,
  dense: buildDense,
  'max-pool': buildPool,
  'avg-pool': buildPool,
  'global-avg-pool': buildGlobalPool,
  activation: buildActivation,
  'batch-norm': buildBatchNorm,
  // In evaluation dropout is the identity (its output tensor is a view of its input).
  dropout: (ctx, node, b) => (ctx.train ? buildDropout(ctx, node, b) : nothing()),
  // A view: nothing to run either way.
  flatten: nothing,
  // The sum closing a residual block.
  add: buildAdd,
};

/** Builds a node's forward and backward dispatches. */
export function buildOp(ctx: OpContext & { seed: number }, node: Node, b: OpBuffers): Promise<BuiltOp> {
  return (OPS[node.op] as BuildOp<OpKind>)(ctx, node as NodeOf<OpKind>, b);
}
