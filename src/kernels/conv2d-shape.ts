// Why: the sizes every convolution kernel shares (forward, input gradient, filter gradient; direct,
// GEMM, rows and workgroup-tiled variants): one place computes OH and OW, checks a shape, packs the
// Params uniform they all declare and sizes the register tiles. Apart from conv2d.ts so that the
// variants and their strategy can use it without importing the module that chooses between them.
import { KernelLimitError } from '../gpu';

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
 * The workgroup width for `threads` threads along x: a power of 2 of at most 64/WGY threads per workgroup
 * (and at least 16 in all) that leaves the fewest idle threads past the end, the widest on ties.
 */
function pickWGX(threads: number, WGY: number): number {
  let best = Math.min(64 / WGY, pow2ceil(threads));
  for (let w = best / 2; w >= 1 && w * WGY >= 16; w /= 2) {
    if (Math.ceil(threads / w) * w < Math.ceil(threads / best) * best) best = w;
  }
  return best;
}

/**
 * Default tiling: as many 4-row blocks as fit (up to 4: 16 filters or channels per thread), `limits.quads`
 * column quads (2 for the direct kernels, 4 or 8 for the GEMM kernels: conv2d-strategy's `gemmTileFor`), and a workgroup of up
 * to 64 threads whose extents cover only the rows and column quads there are (`quadCount`; GEMM: with as
 * few threads past the end as a power-of-2 width allows).
 */
export function convTile(rows: number, quadCount: number, override?: Partial<ConvTile>, limits: TileLimits = DIRECT_TILE): ConvTile {
  const blocks = override?.blocks ?? Math.min(4, Math.ceil(rows / 4));
  const quads = override?.quads ?? (limits.fitWidth ? Math.min(limits.quads, Math.ceil(quadCount / 2)) : limits.quads);
  const WGY = override?.WGY ?? Math.min(8, pow2ceil(Math.ceil(rows / (4 * blocks))));
  const threads = Math.ceil(quadCount / quads);
  const t = { blocks, quads, WGX: override?.WGX ?? (limits.fitWidth ? pickWGX(threads, WGY) : Math.min(64 / WGY, pow2ceil(threads))), WGY };
  if (!(t.blocks >= 1 && t.blocks <= 4 && t.quads >= 1 && t.quads <= limits.maxQuads && Number.isInteger(t.blocks) && Number.isInteger(t.quads))) {
    throw new KernelLimitError(`conv2d: register tile of ${t.blocks}×${t.quads} 4×4 blocks not written out (blocks 1–4, quads 1–${limits.maxQuads})`);
  }
  return t;
}

/** Default and most column quads per thread; fitWidth: fewer quads for small outputs, workgroup width by pickWGX. */
export interface TileLimits {
  quads: number;
  maxQuads: number;
  fitWidth: boolean;
}

/** The direct kernels (conv2d.wgsl, conv2d-grad-input.wgsl, conv2d-grad-weight.wgsl): 2 quads at most. */
export const DIRECT_TILE: TileLimits = { quads: 2, maxQuads: 2, fitWidth: false };
