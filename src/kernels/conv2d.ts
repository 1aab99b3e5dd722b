// Why: the convolution forward pass (implicit GEMM, fused bias + ReLU): the direct kernel, and the one
// entry point that asks the strategy which variant runs a shape. The shared sizes are in conv2d-shape.ts.
import source from '../../shaders/conv2d.wgsl?raw';
import { defineKernel, type BoundKernel, type Encodable, type Gpu, type BufferBinding, type KernelGroup } from '../gpu';
import { convGemm, padOrShare, type PaddedInput } from './conv2d-gemm';
import { conv2dIgemm } from './conv2d-igemm';
import { conv2dRows } from './conv2d-rows';
import { convVariant, type ConvVariant } from './conv2d-strategy';

export * from './conv2d-shape';
import { checkConvShape, convParams, convParamValues, convTile, type Conv2dShape, type ConvTile } from './conv2d-shape';


export const conv2dSpec = defineKernel({
  name: 'conv2d',
  source,
  params: convParams,
  bindings: [
    { name: 'x', access: 'read' },
    { name: 'w', access: 'read' },
    { name: 'b', access: 'read' },
    { name: 'y', access: 'read_write' },
  ],
  overrides: { HAS_BIAS: 0, RELU: 0, RK: 4, TP: 2, WGX: 8, WGY: 8 },
  workgroupSize: (o) => [o.WGX, o.WGY, 1],
});

export interface Conv2dArgs extends Conv2dShape {
  /** Input [N,C,H,W]. */
  x: BufferBinding;
  /** Filters [K,C,FH,FW]. */
  w: BufferBinding;
  /** Optional bias [K]. */
  b?: BufferBinding;
  /** Output [N,K,OH,OW], overwritten. */
  y: BufferBinding;
  relu?: boolean;
  tile?: Partial<ConvTile>;
  /**
   * 'igemm' (default on the hardware profile): conv2d-igemm.wgsl, workgroup-memory tiles, no copies;
   * 'gemm' (software default): conv2d-gemm.wgsl on a zero-padded copy of x with rearranged filters (fastest for
   * many channels); 'direct': conv2d.wgsl, masks in the loop, no scratch; 'rows' (default on a
   * software adapter for C ≤ ROWS_MAX_CHANNELS, where it applies: stride 1, no dilation, filters ≤ 5×5):
   * conv2d-rows.wgsl, filter rows slid over the input in registers, no scratch.
   */
  variant?: ConvVariant;
  /** gemm: a zero-padded copy of x already made (padInput), e.g. shared with the filter gradient. */
  padded?: PaddedInput;
  /** igemm, gemm, rows: a 2×2 stride-2 max-pool fused into the epilogue (y is then the pooled [N,K,OH/2,OW/2]
   *  and argmax, the same size, gets each window's winner as a flat index into the unpooled output). */
  pool?: { argmax: BufferBinding };
}

/**
 * The zero-padded copy of x that the default forward GEMM and filter-gradient GEMM share, made once in the
 * forward pass; none when the rows kernels (which read x itself) take this shape for both.
 */
export async function sharedPadding(gpu: Gpu, a: Conv2dShape & Parameters<typeof padOrShare>[2]): Promise<{ pad?: PaddedInput; parts: Encodable[]; scratch: GPUBuffer[] }> {
  if (convVariant(gpu, 'forward', undefined, a) !== 'gemm' || convVariant(gpu, 'grad-weight', undefined, a) !== 'gemm') return { parts: [], scratch: [] };
  return padOrShare(gpu, undefined, a);
}

/** y = conv(x, w) (+ b) (then ReLU). */
export async function conv2d(gpu: Gpu, a: Conv2dArgs): Promise<BoundKernel | KernelGroup> {
  checkConvShape('conv2d', a);
  const pv = convParamValues(a);
  if (a.pool && a.variant === 'direct') throw new Error('conv2d: the fused max-pool needs the gemm or rows variant');
  const variant = convVariant(gpu, 'forward', a.variant, a);
  if (variant === 'igemm') return conv2dIgemm(gpu, a);
  if (variant === 'rows') return conv2dRows(gpu, { ...a, mode: 'forward', OH: pv.OH, OW: pv.OW });
  if (variant === 'gemm') {
    return convGemm(gpu, { ...a, D: a.dilation, OH: pv.OH, OW: pv.OW, flip: false, name: 'conv2d', padded: a.padded, pool: a.pool });
  }
  const quads = a.N * pv.OH * Math.ceil(pv.OW / 4);
  const t = convTile(a.K, quads, a.tile);
  const p = await gpu.prepare(conv2dSpec, { HAS_BIAS: a.b ? 1 : 0, RELU: a.relu ? 1 : 0, RK: t.blocks, TP: t.quads, WGX: t.WGX, WGY: t.WGY });
  const groups: [number, number, number] = [Math.ceil(quads / (t.quads * t.WGX)), Math.ceil(a.K / (4 * t.blocks * t.WGY)), 1];
  return gpu.bind(p, pv, [a.x, a.w, a.b ?? a.w, a.y], groups);
}
