// Why: the convolution's input gradient (the transposed convolution) for backprop through a conv layer,
// as an implicit GEMM over K·FH·FW with the same register tiling as the forward pass.
import source from '../../shaders/conv2d-grad-input.wgsl?raw';
import { defineKernel, type BoundKernel, type Gpu, type BufferBinding, type KernelGroup } from '../gpu';
import { convGemm } from './conv2d-gemm';
import { conv2dIgemmGradInput } from './conv2d-igemm';
import { conv2dRows } from './conv2d-rows';
import { convVariant, type ConvVariant } from './conv2d-strategy';
import { checkConvShape, convParams, convParamValues, convTile, type Conv2dShape, type ConvTile } from './conv2d-shape';

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
  /**
   * 'igemm' (default on the hardware profile): conv2d-igemm-grad-input.wgsl, any stride, no copies;
   * 'gemm' (software default where it applies: stride 1, padding ≤ D·(F − 1)): the forward GEMM (conv2d-gemm.wgsl)
   * on the padded dy with flipped filters; 'direct': conv2d-grad-input.wgsl (any stride); 'rows'
   * (default on a software adapter for C ≤ ROWS_MAX_CHANNELS where it applies: stride 1, no dilation,
   * filters ≤ 5×5): conv2d-rows.wgsl, filter rows slid over dy in registers.
   */
  variant?: ConvVariant;
}

/** dx = ∂L/∂x of y = conv(x, w), given dy = ∂L/∂y. */
export async function conv2dGradInput(gpu: Gpu, a: Conv2dGradInputArgs): Promise<BoundKernel | KernelGroup> {
  checkConvShape('conv2d-grad-input', a);
  const pv = convParamValues(a);
  const D = a.dilation;
  const [PH, PW] = [D * (a.FH - 1) - a.PH, D * (a.FW - 1) - a.PW];
  const gemmFits = a.S === 1 && PH >= 0 && PW >= 0;
  const variant = convVariant(gpu, 'grad-input', a.variant, a);
  if (variant === 'igemm') return conv2dIgemmGradInput(gpu, a);
  if (variant === 'rows') return conv2dRows(gpu, { ...a, mode: 'grad-input', x: a.dy, y: a.dx, OH: pv.OH, OW: pv.OW });
  if (variant === 'gemm' && !gemmFits) throw new Error('conv2d-grad-input: the gemm variant needs stride 1 and padding ≤ dilation·(filter − 1)');
  if (variant === 'gemm') {
    return convGemm(gpu, {
      x: a.dy, w: a.w, y: a.dx, N: a.N, C: a.K, H: pv.OH, W: pv.OW, K: a.C, FH: a.FH, FW: a.FW, S: 1, D, PH, PW, OH: a.H, OW: a.W,
      flip: true, tile: a.tile, name: 'conv2d-grad-input',
    });
  }
  const quads = a.N * a.H * Math.ceil(a.W / 4);
  const t = convTile(a.C, quads, a.tile);
  const p = await gpu.prepare(conv2dGradInputSpec, { UNIT_STRIDE: a.S === 1 ? 1 : 0, RC: t.blocks, TP: t.quads, WGX: t.WGX, WGY: t.WGY });
  const groups: [number, number, number] = [Math.ceil(quads / (t.quads * t.WGX)), Math.ceil(a.C / (4 * t.blocks * t.WGY)), 1];
  return gpu.bind(p, pv, [a.dy, a.w, a.dx], groups);
}
