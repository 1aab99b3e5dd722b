// Why: the convolution layer: forward as an implicit GEMM with bias and fused ReLU; backward gives
// dW and db (grad-weight) and dx (grad-input, a transposed convolution) from g, which is dy after the
// fused ReLU's derivative. On the hardware profile the three passes are workgroup-tiled implicit GEMMs
// that read g straight through the fused max-pool's argmax and the ReLU's mask: no padded copy, no
// transposed filters, no pool-backward or ReLU-backward dispatch.
import { KernelGroup, type BufferBinding, type Encodable } from '../../gpu';
import { activationGrad } from '../../kernels/activation';
import { conv2d, sharedPadding, type Conv2dShape } from '../../kernels/conv2d';
import { conv2dGradInput } from '../../kernels/conv2d-grad-input';
import { conv2dGradWeight } from '../../kernels/conv2d-grad-weight';
import { conv2dIgemm, conv2dIgemmGradInput, conv2dIgemmGradWeight } from '../../kernels/conv2d-igemm';
import { conv2dGrouped, conv2dGroupedGradInput, conv2dGroupedGradWeight, type GroupedShape } from '../../kernels/conv2d-grouped';
import { convVariant } from '../../kernels/conv2d-strategy';
import { maxPoolGrad } from '../../kernels/max-pool-grad';
import type { ConvNode } from '../nodes';
import { disposeAll, type BuiltOp, type OpBuffers, type OpContext } from './op';

export async function buildConv(ctx: OpContext, node: ConvNode, b: OpBuffers): Promise<BuiltOp> {
  const { gpu, store, N } = ctx;
  const shape = { N, C: node.C, H: node.H, W: node.W, K: node.K, FH: node.FH, FW: node.FW, S: node.S, PH: node.PH, PW: node.PW, dilation: node.dilation, OH: node.OH, OW: node.OW };
  const w = store.value(ctx.slots.weight!);
  const bias = ctx.slots.bias && store.value(ctx.slots.bias);
  if (node.groups > 1) return buildGroupedConv(ctx, node, b, { ...shape, groups: node.groups }, w, bias);
  if (convVariant(gpu, 'forward', undefined, shape) === 'igemm') return buildIgemmConv(ctx, node, b, shape, w, bias);
  // One zero-padded copy of x, made in the forward pass, serves the forward GEMM and the filter gradient.
  const { pad, parts, scratch } = await sharedPadding(gpu, { ...shape, x: b.x.buffer, D: node.dilation });
  const padding = new KernelGroup(gpu, parts, scratch);
  // With a fused max-pool, y is the pooled output and argmax routes its gradient back.
  const argmax = node.pool ? gpu.storage(N * node.outSize * 4, `${node.layerId}:argmax`) : undefined;
  const forward: Encodable[] = [padding, await conv2d(gpu, { ...shape, x: b.x.buffer, w, b: bias, y: b.y.buffer, relu: node.relu, padded: pad, pool: argmax && { argmax } })];
  const backward: Encodable[] = [];
  if (ctx.train && b.dy) {
    let g = b.dy.buffer;
    if (argmax) {
      // The pool's backward, into the unpooled gradient (scratch), with the ReLU's derivative.
      const pool = { N, C: node.K, H: node.OH, W: node.OW, FH: 2, FW: 2, S: 2, P: 0, OH: node.OH / 2, OW: node.OW / 2 };
      backward.push(await maxPoolGrad(gpu, { ...pool, dy: b.dy.buffer, argmax, dx: b.scratch!.buffer, reluMaskFromOutput: node.relu ? b.y.buffer : undefined }));
      g = b.scratch!.buffer;
    } else if (node.relu && !node.reluGradByNext) {
      // The ReLU's derivative, unless the max-pool after this layer already applies it.
      backward.push(await activationGrad(gpu, { kind: 'relu', n: N * node.outSize, y: b.y.buffer, dy: b.dy.buffer, dx: b.scratch!.buffer }));
      g = b.scratch!.buffer;
    }
    backward.push(await conv2dGradWeight(gpu, { ...shape, x: b.x.buffer, dy: g, dw: store.grad(ctx.slots.weight!), db: ctx.slots.bias && store.grad(ctx.slots.bias), padded: pad }));
    if (b.dx) backward.push(await conv2dGradInput(gpu, { ...shape, dy: g, w, dx: b.dx.buffer }));
  }
  return { forward, backward, dispose: disposeAll([...forward, ...backward], () => argmax && gpu.release(argmax)) };
}

/** The hardware path: one dispatch forward, and backward the filter gradient (+ its split sum) and the
 *  input gradient, both reading g through the fused pool and ReLU. */
async function buildIgemmConv(ctx: OpContext, node: ConvNode, b: OpBuffers, shape: Conv2dShape, w: BufferBinding, bias: BufferBinding | undefined): Promise<BuiltOp> {
  const { gpu, store, N } = ctx;
  const argmax = node.pool ? gpu.storage(N * node.outSize * 4, `${node.layerId}:argmax`) : undefined;
  const pool = argmax && { argmax };
  const forward: Encodable[] = [await conv2dIgemm(gpu, { ...shape, x: b.x.buffer, w, b: bias, y: b.y.buffer, relu: node.relu, pool })];
  const backward: Encodable[] = [];
  if (ctx.train && b.dy) {
    // The ReLU's derivative from the output's sign (pooled: the window's winner), unless the max-pool
    // node after this layer applies it.
    const reluY = node.relu && (node.pool || !node.reluGradByNext) ? b.y.buffer : undefined;
    const route = { pool, reluY };
    backward.push(await conv2dIgemmGradWeight(gpu, { ...shape, ...route, x: b.x.buffer, dy: b.dy.buffer, dw: store.grad(ctx.slots.weight!), db: ctx.slots.bias && store.grad(ctx.slots.bias) }));
    if (b.dx) backward.push(await conv2dIgemmGradInput(gpu, { ...shape, ...route, dy: b.dy.buffer, w, dx: b.dx.buffer }));
  }
  return { forward, backward, dispose: disposeAll([...forward, ...backward], () => argmax && gpu.release(argmax)) };
}

/** A grouped (depthwise) conv on either profile: the grouped kernels, the ReLU fused forward and its
 *  derivative applied before the gradients (unless the max-pool after it masks). Never pool-fused. */
async function buildGroupedConv(ctx: OpContext, node: ConvNode, b: OpBuffers, shape: GroupedShape, w: BufferBinding, bias: BufferBinding | undefined): Promise<BuiltOp> {
  const { gpu, store, N } = ctx;
  const forward: Encodable[] = [await conv2dGrouped(gpu, { ...shape, x: b.x.buffer, w, b: bias, y: b.y.buffer, relu: node.relu })];
  const backward: Encodable[] = [];
  if (ctx.train && b.dy) {
    let g = b.dy.buffer;
    if (node.relu && !node.reluGradByNext) {
      backward.push(await activationGrad(gpu, { kind: 'relu', n: N * node.outSize, y: b.y.buffer, dy: b.dy.buffer, dx: b.scratch!.buffer }));
      g = b.scratch!.buffer;
    }
    backward.push(await conv2dGroupedGradWeight(gpu, { ...shape, x: b.x.buffer, dy: g, dw: store.grad(ctx.slots.weight!), db: ctx.slots.bias && store.grad(ctx.slots.bias) }));
    if (b.dx) backward.push(await conv2dGroupedGradInput(gpu, { ...shape, dy: g, w, dx: b.dx.buffer }));
  }
  return { forward, backward, dispose: disposeAll([...forward, ...backward]) };
}
