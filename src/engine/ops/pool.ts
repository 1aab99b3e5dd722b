// Why: max-pool (argmax recorded forward, gradient routed through it backward), avg-pool and global
// average pool, forward and backward side by side.
import type { Encodable } from '../../gpu';
import { avgPool } from '../../kernels/avg-pool';
import { avgPoolGrad } from '../../kernels/avg-pool-grad';
import { globalAvgPool } from '../../kernels/global-avg-pool';
import { globalAvgPoolGrad } from '../../kernels/global-avg-pool-grad';
import { maxPool } from '../../kernels/max-pool';
import { maxPoolGrad } from '../../kernels/max-pool-grad';
import type { GlobalPoolNode, PoolNode } from '../nodes';
import { disposeAll, type BuiltOp, type OpBuffers, type OpContext } from './op';

export async function buildPool(ctx: OpContext, node: PoolNode, b: OpBuffers): Promise<BuiltOp> {
  const { gpu, N } = ctx;
  const shape = { N, C: node.C, H: node.H, W: node.W, FH: node.F, FW: node.F, S: node.S, P: node.P, OH: node.OH, OW: node.OW };
  const forward: Encodable[] = [];
  const backward: Encodable[] = [];
  const withGrad = ctx.train && b.dy && b.dx;
  if (node.op === 'max-pool') {
    const argmax = gpu.storage(N * node.outSize * 4, `${node.layerId}:argmax`);
    forward.push(await maxPool(gpu, { ...shape, x: b.x.buffer, y: b.y.buffer, argmax }));
    if (withGrad) backward.push(await maxPoolGrad(gpu, { ...shape, dy: b.dy!.buffer, argmax, dx: b.dx!.buffer, reluMaskFromOutput: node.maskRelu ? b.y.buffer : undefined }));
    return { forward, backward, dispose: disposeAll([...forward, ...backward], () => gpu.release(argmax)) };
  }
  forward.push(await avgPool(gpu, { ...shape, x: b.x.buffer, y: b.y.buffer }));
  if (withGrad) backward.push(await avgPoolGrad(gpu, { ...shape, dy: b.dy!.buffer, dx: b.dx!.buffer }));
  return { forward, backward, dispose: disposeAll([...forward, ...backward]) };
}

export async function buildGlobalPool(ctx: OpContext, node: GlobalPoolNode, b: OpBuffers): Promise<BuiltOp> {
  const shape = { N: ctx.N, C: node.C, HW: node.HW };
  const forward = [await globalAvgPool(ctx.gpu, { ...shape, x: b.x.buffer, y: b.y.buffer })];
  const backward = ctx.train && b.dy && b.dx ? [await globalAvgPoolGrad(ctx.gpu, { ...shape, dy: b.dy.buffer, dx: b.dx.buffer })] : [];
  return { forward, backward, dispose: disposeAll([...forward, ...backward]) };
}
