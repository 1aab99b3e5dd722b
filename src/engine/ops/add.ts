// Why: a residual block's sum y = body + shortcut. Forward is one element-wise add; backward is free:
// both inputs' gradients are dy itself, so the planner gives them dy's buffer (grad-buffers.ts) and
// sums the shortcut's share into the block input's gradient after the body's backward.
import { add } from '../../kernels/add';
import type { AddNode } from '../nodes';
import { disposeAll, type BuiltOp, type OpBuffers, type OpContext } from './op';

export async function buildAdd(ctx: OpContext, node: AddNode, b: OpBuffers): Promise<BuiltOp> {
  if (!b.x2) throw new Error(`${node.layerId}: a residual sum needs two inputs`);
  const forward = [await add(ctx.gpu, { a: b.x.buffer, b: b.x2.buffer, c: b.y.buffer, n: ctx.N * node.outSize })];
  return { forward, backward: [], dispose: disposeAll(forward) };
}
