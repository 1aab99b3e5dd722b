// Why: the fully-connected layer as matrix products: y = x·Wᵀ + b (W stored [out, in], PyTorch's
// layout), dW = gᵀ·x, db = column sums of g, dx = g·W, where g is dy after the fused ReLU's derivative.
import type { Encodable } from '../../gpu';
import { activationGrad } from '../../kernels/activation';
import { matmul } from '../../kernels/matmul';
import { denseBiasGrad } from '../../kernels/reduce-sum-rows';
import type { DenseNode } from '../nodes';
import { disposeAll, type BuiltOp, type OpBuffers, type OpContext } from './op';

export async function buildDense(ctx: OpContext, node: DenseNode, b: OpBuffers): Promise<BuiltOp> {
  const { gpu, store, N } = ctx;
  const w = store.value(ctx.slots.weight!);
  const bias = ctx.slots.bias && store.value(ctx.slots.bias);
  const forward: Encodable[] = [await matmul(gpu, { a: b.x.buffer, b: w, c: b.y.buffer, bias, M: N, N: node.units, K: node.inFeatures, transB: true, relu: node.relu })];
  const backward: Encodable[] = [];
  if (ctx.train && b.dy) {
    let g = b.dy.buffer;
    // The ReLU's derivative, unless the max-pool after this layer already applied it.
    if (node.relu && !node.reluGradByNext) {
      backward.push(await activationGrad(gpu, { kind: 'relu', n: N * node.units, y: b.y.buffer, dy: b.dy.buffer, dx: b.scratch!.buffer }));
      g = b.scratch!.buffer;
    }
    backward.push(await matmul(gpu, { a: g, b: b.x.buffer, c: store.grad(ctx.slots.weight!), M: node.units, N: node.inFeatures, K: N, transA: true }));
    if (ctx.slots.bias) backward.push(await denseBiasGrad(gpu, { dy: g, db: store.grad(ctx.slots.bias), batch: N, out: node.units }));
    if (b.dx) backward.push(await matmul(gpu, { a: g, b: w, c: b.dx.buffer, M: N, N: node.inFeatures, K: node.units }));
  }
  return { forward, backward, dispose: disposeAll([...forward, ...backward]) };
}
