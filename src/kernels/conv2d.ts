// Why: the convolution forward pass (implicit GEMM, fused bias + ReLU), and the shape type shared by the
// three convolution kernels (forward, grad-input, grad-weight): one place computes OH, OW and packs the
// Params uniform they all declare.
import source from '../../shaders/conv2d.wgsl?raw';
import { defineKernel, KernelLimitError, type BoundKernel, type Gpu, type BufferBinding, type KernelGroup } from '../gpu';
import { convGemm } from './conv2d-gemm';

/** A convolution's sizes, in the CS231n letters: x [N,C,H,W] ⊛ w [K,C,FH,FW], stride S, zero padding PH/PW. */
export interface Conv2dShape {
  N: number;
  C: number;
  H: number;
  W: number;
  K: number;
  FH: number;
  FW: number;
  S: number;
  PH: number;
  PW: number;
  /** Spacing of the filter taps (1 = dense filter). */
  dilation: number;
}

/** Output size: OH = ⌊(H + 2·PH − D·(FH − 1) − 1) / S⌋ + 1, likewise OW; throws when the filter does not fit. */
export function convOutSize(s: Conv2dShape): { OH: number; OW: number } {
  const OH = Math.floor((s.H + 2 * s.PH - s.dilation * (s.FH - 1) - 1) / s.S) + 1;
  const OW = Math.floor((s.W + 2 * s.PW - s.dilation * (s.FW - 1) - 1) / s.S) + 1;
  if (!(OH >= 1 && OW >= 1)) throw new Error(`conv2d: filter ${s.FH}×${s.FW} (dilation ${s.dilation}) does not fit ${s.H}×${s.W} with padding ${s.PH},${s.PW}`);
  return { OH, OW };
}

export function checkConvShape(name: string, s: Conv2dShape): void {
  const ints = [s.N, s.C, s.H, s.W, s.K, s.FH, s.FW, s.S, s.dilation];
  if (!ints.every((v) => Number.isInteger(v) && v >= 1) || !(Number.isInteger(s.PH) && s.PH >= 0 && Number.isInteger(s.PW) && s.PW >= 0)) {
    throw new Error(`${name}: bad shape ${JSON.stringify(s)}`);
  }
}

export const convParams = {
  N: 'u32', C: 'u32', H: 'u32', W: 'u32', K: 'u32', FH: 'u32', FW: 'u32', S: 'u32', PH: 'u32', PW: 'u32', D: 'u32', OH: 'u32', OW: 'u32',
} as const;

/** The Params values of conv2d, conv2d-grad-input (and, plus NB, conv2d-grad-weight). */
export function convParamValues(s: Conv2dShape) {
  const { OH, OW } = convOutSize(s);
  return { N: s.N, C: s.C, H: s.H, W: s.W, K: s.K, FH: s.FH, FW: s.FW, S: s.S, PH: s.PH, PW: s.PW, D: s.dilation, OH, OW };
}

/** Register blocks (of 4 rows of the GEMM) and pixel quads per thread, workgroup WGX × WGY. */
export interface ConvTile {
  blocks: number;
  quads: number;
  WGX: number;
  WGY: number;
}

const pow2ceil = (v: number) => 2 ** Math.ceil(Math.log2(Math.max(1, v)));

/**
 * Default tiling: as many 4-row blocks as fit (up to 4: 16 filters or channels per thread), 2 quads
 * (8 columns), and a workgroup of up to 64 threads whose extents cover only the rows and column quads
 * there are (`quadCount`), so no thread computes only clamped, discarded values.
 */
export function convTile(rows: number, quadCount: number, override?: Partial<ConvTile>): ConvTile {
  const blocks = override?.blocks ?? Math.min(4, Math.ceil(rows / 4));
  const quads = override?.quads ?? 2;
  const WGY = override?.WGY ?? Math.min(8, pow2ceil(Math.ceil(rows / (4 * blocks))));
  const t = { blocks, quads, WGX: override?.WGX ?? Math.min(64 / WGY, pow2ceil(Math.ceil(quadCount / quads))), WGY };
  if (!(t.blocks >= 1 && t.blocks <= 4 && t.quads >= 1 && t.quads <= 2 && Number.isInteger(t.blocks) && Number.isInteger(t.quads))) {
    throw new KernelLimitError(`conv2d: register tile of ${t.blocks}×${t.quads} 4×4 blocks not written out (blocks 1–4, quads 1–2)`);
  }
  return t;
}

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
   * 'gemm' (default): conv2d-gemm.wgsl on a zero-padded copy of x with rearranged filters (fastest on
   * SwiftShader); 'direct': conv2d.wgsl, masks in the loop, no scratch.
   */
  variant?: 'gemm' | 'direct';
}

/** y = conv(x, w) (+ b) (then ReLU). */
export async function conv2d(gpu: Gpu, a: Conv2dArgs): Promise<BoundKernel | KernelGroup> {
  checkConvShape('conv2d', a);
  const pv = convParamValues(a);
  if ((a.variant ?? 'gemm') === 'gemm') {
    return convGemm(gpu, { ...a, D: a.dilation, OH: pv.OH, OW: pv.OW, flip: false, name: 'conv2d' });
  }
  const quads = a.N * pv.OH * Math.ceil(pv.OW / 4);
  const t = convTile(a.K, quads, a.tile);
  const p = await gpu.prepare(conv2dSpec, { HAS_BIAS: a.b ? 1 : 0, RELU: a.relu ? 1 : 0, RK: t.blocks, TP: t.quads, WGX: t.WGX, WGY: t.WGY });
  const groups: [number, number, number] = [Math.ceil(quads / (t.quads * t.WGX)), Math.ceil(a.K / (4 * t.blocks * t.WGY)), 1];
  return gpu.bind(p, pv, [a.x, a.w, a.b ?? a.w, a.y], groups);
}
