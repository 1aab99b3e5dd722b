// Why: the convolution layer: forward as an implicit GEMM with bias and fused ReLU; backward gives
// dW and db (grad-weight) and dx (grad-input, a transposed convolution) from g, which is dy after the
// fused ReLU's derivative.
import { KernelGroup, type Encodable } from '../../gpu';
import { activationGrad } from '../../kernels/activation';
import { conv2d } from '../../kernels/conv2d';
import { conv2dGradInput } from '../../kernels/conv2d-grad-input';
import { padInput } from '../../kernels/conv2d-gemm';
import { conv2dGradWeight } from '../../kernels/conv2d-grad-weight';
import type { ConvNode } from '../nodes';
import type { ParamLayout } from '../param-store';
import { disposeAll, type BuiltOp, type OpBuffers, type OpContext } from './op';

export function declareConv(layout: ParamLayout, node: ConvNode) {
  const fanIn = node.C * node.FH * node.FW;
  const fanOut = node.K * node.FH * node.FW;
  const init = node.heInit ? ({ kind: 'he-normal', fanIn } as const) : ({ kind: 'glorot-uniform', fanIn, fanOut } as const);
  return {
    slots: {
      weight: layout.param(node.layerId, 'weight', [node.K, node.C, node.FH, node.FW], init),
      ...(node.bias && { bias: layout.param(node.layerId, 'bias', [node.K], { kind: 'const', value: 0 } as const) }),
    },
    stateSlots: {},
  };
}

export async function buildConv(ctx: OpContext, node: ConvNode, b: OpBuffers): Promise<BuiltOp> {
  const { gpu, store, N } = ctx;
  const shape = { N, C: node.C, H: node.H, W: node.W, K: node.K, FH: node.FH, FW: node.FW, S: node.S, PH: node.PH, PW: node.PW, dilation: node.dilation, OH: node.OH, OW: node.OW };
  const w = store.value(ctx.slots.weight!);
  const bias = ctx.slots.bias && store.value(ctx.slots.bias);
  // One zero-padded copy of x, made in the forward pass, serves the forward GEMM and the filter gradient.
  const pad = await padInput(gpu, { ...shape, x: b.x.buffer, D: node.dilation });
  const padding = new KernelGroup(gpu, pad.kernel ? [pad.kernel] : [], pad.scratch);
  const forward: Encodable[] = [padding, await conv2d(gpu, { ...shape, x: b.x.buffer, w, b: bias, y: b.y.buffer, relu: node.relu, padded: pad })];
  const backward: Encodable[] = [];
  if (ctx.train && b.dy) {
    let g = b.dy.buffer;
    // The ReLU's derivative, unless the max-pool after this layer already applied it.
    if (node.relu && !node.reluGradByNext) {
      backward.push(await activationGrad(gpu, { kind: 'relu', n: N * node.outSize, y: b.y.buffer, dy: b.dy.buffer, dx: b.scratch!.buffer }));
      g = b.scratch!.buffer;
    }
    backward.push(await conv2dGradWeight(gpu, { ...shape, x: b.x.buffer, dy: g, dw: store.grad(ctx.slots.weight!), db: ctx.slots.bias && store.grad(ctx.slots.bias), padded: pad }));
    if (b.dx) backward.push(await conv2dGradInput(gpu, { ...shape, dy: g, w, dx: b.dx.buffer }));
  }
  return { forward, backward, dispose: disposeAll([...forward, ...backward]) };
}
