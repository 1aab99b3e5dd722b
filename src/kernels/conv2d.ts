// Why: the convolution forward pass (fused bias + ReLU): the one entry point that asks the strategy which
// variant runs a shape. The shared sizes are in conv2d-shape.ts; the direct kernel that only tests and
// benchmarks run is src/testing/conv2d-direct.ts.
import type { BoundKernel, Encodable, Gpu, BufferBinding, KernelGroup } from '../gpu';
import { convGemm, padOrShare, type PaddedInput } from './conv2d-gemm';
import { conv2dIgemm } from './conv2d-igemm';
import { conv2dRows } from './conv2d-rows';
import { convVariant, type ConvVariant } from './conv2d-strategy';

export * from './conv2d-shape';
import { checkConvShape, convParamValues, type Conv2dShape, type ConvTile } from './conv2d-shape';

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
   * many channels); 'rows' (default on a
   * software adapter for C ≤ ROWS_MAX_CHANNELS, where it applies: stride 1, no dilation, filters ≤ 5×5):
   * conv2d-rows.wgsl, filter rows slid over the input in registers, no scratch.
   */
  variant?: Exclude<ConvVariant, 'direct'>;
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
  const variant = convVariant(gpu, 'forward', a.variant, a);
  if (variant === 'igemm') return conv2dIgemm(gpu, a);
  if (variant === 'rows') return conv2dRows(gpu, { ...a, mode: 'forward', OH: pv.OH, OW: pv.OW });
  return convGemm(gpu, { ...a, D: a.dilation, OH: pv.OH, OW: pv.OW, flip: false, name: 'conv2d', padded: a.padded, pool: a.pool });
}
