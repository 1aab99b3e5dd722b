// Why: batch normalization: batch statistics and a running-average update in training, the running
// statistics in evaluation; backward gives dx, dgamma, dbeta.
import type { Encodable } from '../../gpu';
import { batchNormEval, batchNormTrain } from '../../kernels/batch-norm';
import { batchNormGrad } from '../../kernels/batch-norm-grad';
import type { BatchNormNode } from '../nodes';
import { disposeAll, type BuiltOp, type OpBuffers, type OpContext } from './op';

export async function buildBatchNorm(ctx: OpContext, node: BatchNormNode, b: OpBuffers): Promise<BuiltOp> {
  const { gpu, store } = ctx;
  const size = { N: ctx.N, C: node.C, HW: node.HW };
  const gamma = store.value(ctx.slots.gamma!);
  const beta = store.value(ctx.slots.beta!);
  const runningMean = store.stateOf(ctx.stateSlots['running-mean']!);
  const runningVar = store.stateOf(ctx.stateSlots['running-var']!);
  const forward: Encodable[] = [];
  const backward: Encodable[] = [];
  const owned: GPUBuffer[] = [];
  if (!ctx.train) {
    forward.push(await batchNormEval(gpu, { ...size, x: b.x.buffer, y: b.y.buffer, gamma, beta, runningMean, runningVar, epsilon: node.epsilon }));
  } else {
    const mean = gpu.storage(node.C * 4, `${node.layerId}:mean`);
    const invStd = gpu.storage(node.C * 4, `${node.layerId}:inv-std`);
    owned.push(mean, invStd);
    forward.push(await batchNormTrain(gpu, { ...size, x: b.x.buffer, y: b.y.buffer, gamma, beta, mean, invStd, runningMean, runningVar, momentum: node.momentum, epsilon: node.epsilon }));
    if (b.dy && b.dx !== undefined) {
      // dx is always produced here (batch norm is never the first op of a net that needs no input grad
      // in practice); when the plan passes null, the scratch tensor absorbs it.
      const dx = b.dx ?? b.scratch!;
      backward.push(await batchNormGrad(gpu, { ...size, x: b.x.buffer, dy: b.dy.buffer, gamma, mean, invStd, dx: dx.buffer, dgamma: store.grad(ctx.slots.gamma!), dbeta: store.grad(ctx.slots.beta!) }));
    }
  }
  return { forward, backward, dispose: disposeAll([...forward, ...backward], () => owned.forEach((o) => gpu.release(o))) };
}
