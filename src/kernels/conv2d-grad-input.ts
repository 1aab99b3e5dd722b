// Why: the convolution's input gradient (the transposed convolution) for backprop through a conv layer,
// as an implicit GEMM over K·FH·FW with the same register tiling as the forward pass.
import source from '../../shaders/conv2d-grad-input.wgsl?raw';
import { defineKernel, type BoundKernel, type Gpu, type BufferBinding } from '../gpu';
import { checkConvShape, convParams, convParamValues, convTile, type Conv2dShape, type ConvTile } from './conv2d';

export const conv2dGradInputSpec = defineKernel({
  name: 'conv2d-grad-input',
  source,
  params: convParams,
  bindings: [
    { name: 'dy', access: 'read' },
    { name: 'w', access: 'read' },
    { name: 'dx', access: 'read_write' },
  ],
  overrides: { UNIT_STRIDE: 1, RC: 4, TP: 2, WGX: 8, WGY: 8 },
  workgroupSize: (o) => [o.WGX, o.WGY, 1],
});

export interface Conv2dGradInputArgs extends Conv2dShape {
  /** Output gradient [N,K,OH,OW]. */
  dy: BufferBinding;
  /** Filters [K,C,FH,FW]. */
  w: BufferBinding;
  /** Input gradient [N,C,H,W], overwritten. */
  dx: BufferBinding;
  tile?: Partial<ConvTile>;
}

/** dx = ∂L/∂x of y = conv(x, w), given dy = ∂L/∂y. */
export async function conv2dGradInput(gpu: Gpu, a: Conv2dGradInputArgs): Promise<BoundKernel> {
  checkConvShape('conv2d-grad-input', a);
  const pv = convParamValues(a);
  const quads = a.N * a.H * Math.ceil(a.W / 4);
  const t = convTile(a.C, quads, a.tile);
  const p = await gpu.prepare(conv2dGradInputSpec, { UNIT_STRIDE: a.S === 1 ? 1 : 0, RC: t.blocks, TP: t.quads, WGX: t.WGX, WGY: t.WGY });
  const groups: [number, number, number] = [Math.ceil(quads / (t.quads * t.WGX)), Math.ceil(a.C / (4 * t.blocks * t.WGY)), 1];
  return gpu.bind(p, pv, [a.dy, a.w, a.dx], groups);
}
