// Why: the convolution's input gradient (the transposed convolution) for backprop through a conv layer,
// as an implicit GEMM over K·FH·FW with the same register tiling as the forward pass.
import source from '../../shaders/conv2d-grad-input.wgsl?raw';
import rowsSource from '../../shaders/conv2d-grad-input-rows.wgsl?raw';
import { defineKernel, type BoundKernel, type Gpu, type BufferBinding, type KernelGroup } from '../gpu';
import { convGemm } from './conv2d-gemm';
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

export const conv2dGradInputRowsSpec = defineKernel({
  name: 'conv2d-grad-input-rows',
  source: rowsSource,
  params: convParams,
  bindings: [
    { name: 'dy', access: 'read' },
    { name: 'w', access: 'read' },
    { name: 'dx', access: 'read_write' },
  ],
  overrides: { FW: 3, WG: 64 },
  workgroupSize: (o) => [o.WG, 1, 1],
});

/** Most input channels for which the rows kernel beats the GEMM (measured on SwiftShader, batch 100). */
const ROWS_MAX_C = 2;

/** The rows kernel's reach: stride 1, no dilation, filters at most 5 wide. */
const rowsFit = (a: Conv2dShape) => a.S === 1 && a.dilation === 1 && a.FW <= 5;

export interface Conv2dGradInputArgs extends Conv2dShape {
  /** Output gradient [N,K,OH,OW]. */
  dy: BufferBinding;
  /** Filters [K,C,FH,FW]. */
  w: BufferBinding;
  /** Input gradient [N,C,H,W], overwritten. */
  dx: BufferBinding;
  tile?: Partial<ConvTile>;
  /**
   * 'gemm' (default where it applies: stride 1, padding ≤ D·(F − 1)): the forward GEMM (conv2d-gemm.wgsl)
   * on the padded dy with flipped filters; 'direct': conv2d-grad-input.wgsl (any stride); 'rows'
   * (default for C ≤ 2 where it applies: stride 1, no dilation, FW ≤ 5): conv2d-grad-input-rows.wgsl,
   * 4×4 pixels of one channel per thread sliding the filter taps over dy in registers.
   */
  variant?: 'gemm' | 'direct' | 'rows';
}

/** dx = ∂L/∂x of y = conv(x, w), given dy = ∂L/∂y. */
export async function conv2dGradInput(gpu: Gpu, a: Conv2dGradInputArgs): Promise<BoundKernel | KernelGroup> {
  checkConvShape('conv2d-grad-input', a);
  const pv = convParamValues(a);
  const D = a.dilation;
  const [PH, PW] = [D * (a.FH - 1) - a.PH, D * (a.FW - 1) - a.PW];
  const gemmFits = a.S === 1 && PH >= 0 && PW >= 0;
  if (a.variant === 'rows' && !rowsFit(a)) throw new Error('conv2d-grad-input: the rows variant needs stride 1, no dilation and filters at most 5 wide');
  if (a.variant === 'rows' || (a.variant === undefined && rowsFit(a) && a.C <= ROWS_MAX_C)) {
    const threads = a.N * a.C * Math.ceil(a.H / 4) * Math.ceil(a.W / 4);
    const p = await gpu.prepare(conv2dGradInputRowsSpec, { FW: a.FW, WG: 64 });
    return gpu.bind(p, pv, [a.dy, a.w, a.dx], [Math.ceil(threads / 64), 1, 1]);
  }
  if (a.variant === 'gemm' && !gemmFits) throw new Error('conv2d-grad-input: the gemm variant needs stride 1 and padding ≤ dilation·(filter − 1)');
  if ((a.variant ?? 'gemm') === 'gemm' && gemmFits) {
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
