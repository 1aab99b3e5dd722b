// Why: element-wise activation layer: forward y = act(x); backward dx = dy·act'(y).
import { activation, activationGrad } from '../../kernels/activation';
import type { ActivationNode } from '../nodes';
import { disposeAll, type BuiltOp, type OpBuffers, type OpContext } from './op';

export async function buildActivation(ctx: OpContext, node: ActivationNode, b: OpBuffers): Promise<BuiltOp> {
  const n = ctx.N * node.outSize;
  const args = { kind: node.kind, alpha: node.alpha, n };
  const forward = [await activation(ctx.gpu, { ...args, x: b.x.buffer, y: b.y.buffer })];
  const backward = ctx.train && b.dy && b.dx ? [await activationGrad(ctx.gpu, { ...args, y: b.y.buffer, dy: b.dy.buffer, dx: b.dx.buffer })] : [];
  return { forward, backward, dispose: disposeAll([...forward, ...backward]) };
}
