// Why: inverted dropout in training (a fresh mask per step from the seed and step counter, the same
// mask forward and backward); evaluation never builds it (the plan passes the tensor through).
import { dropout, dropoutGrad, dropoutParams } from '../../kernels/dropout';
import type { DropoutNode } from '../nodes';
import { disposeAll, type BuiltOp, type OpBuffers, type OpContext } from './op';

export async function buildDropout(ctx: OpContext & { seed: number }, node: DropoutNode, b: OpBuffers): Promise<BuiltOp> {
  const n = ctx.N * node.outSize;
  // Each dropout layer gets its own stream: the seed is mixed with the layer's ordinal.
  const seed = (Math.imul(ctx.seed, 0x9e3779b1) + node.ordinal * 0x85ebca6b) >>> 0;
  const cfg = { n, rate: node.rate, seed, step: 0 };
  const fwd = await dropout(ctx.gpu, { ...cfg, x: b.x.buffer, y: b.y.buffer });
  const bwd = b.dy && b.dx ? await dropoutGrad(ctx.gpu, { ...cfg, dy: b.dy.buffer, dx: b.dx.buffer }) : undefined;
  const parts = bwd ? [fwd, bwd] : [fwd];
  return {
    forward: [fwd],
    backward: bwd ? [bwd] : [],
    beforeStep(step) {
      const p = dropoutParams({ ...cfg, step });
      fwd.setParams(p);
      bwd?.setParams(p);
    },
    dispose: disposeAll(parts),
  };
}
