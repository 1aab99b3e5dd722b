// Why: the fast path of the convolutions on CPU-like adapters (SwiftShader): an implicit GEMM over a
// zero-padded copy of the input with a table of tap offsets, so the inner loop has no masks, and the
// filters rearranged once per call into a [R, K] operand read as vec4. Forward uses it directly; the
// stride-1 grad-input is the same GEMM on the padded dy with flipped, channel-swapped filters. The
// helpers here build the KernelGroup (transpose filters → pad input → GEMM) with its scratch buffers.
import gemmSource from '../../shaders/conv2d-gemm.wgsl?raw';
import padSource from '../../shaders/conv2d-pad.wgsl?raw';
import transposeSource from '../../shaders/conv2d-transpose-weights.wgsl?raw';
import { defineKernel, KernelGroup, splitGrid, type BoundKernel, type BufferBinding, type Encodable, type Gpu } from '../gpu';
import { bindWithPlaceholders } from './owned-kernel';
import { convTile, type ConvTile } from './conv2d-shape';
import { gemmTileFor } from './conv2d-strategy';

const WG = 64;

export const conv2dPadSpec = defineKernel({
  name: 'conv2d-pad',
  source: padSource,
  params: { planes: 'u32', H: 'u32', W: 'u32', Hp: 'u32', Wp: 'u32', PH: 'u32', PW: 'u32' },
  bindings: [
    { name: 'inp', access: 'read' },
    { name: 'out', access: 'read_write' },
  ],
  overrides: { WG },
  workgroupSize: (o) => [o.WG, 1, 1],
});

export const conv2dTransposeWeightsSpec = defineKernel({
  name: 'conv2d-transpose-weights',
  source: transposeSource,
  params: { K: 'u32', C: 'u32', FH: 'u32', FW: 'u32', KOp: 'u32', Rp: 'u32' },
  bindings: [
    { name: 'w', access: 'read' },
    { name: 'out', access: 'read_write' },
  ],
  overrides: { FLIP: 0, WG },
  workgroupSize: (o) => [o.WG, 1, 1],
});

export const conv2dGemmSpec = defineKernel({
  name: 'conv2d-gemm',
  source: gemmSource,
  params: { NPIX: 'u32', OHW: 'u32', OW: 'u32', K: 'u32', K4: 'u32', R4: 'u32', S: 'u32', Wp: 'u32', IMG: 'u32', POW: 'u32', POHW: 'u32' },
  bindings: [
    { name: 'xp', access: 'read' },
    { name: 'wT', access: 'read' },
    { name: 'tab', access: 'read' },
    { name: 'b', access: 'read' },
    { name: 'y', access: 'read_write' },
    { name: 'argmax', access: 'read_write' },
  ],
  overrides: { HAS_BIAS: 0, RELU: 0, POOL: 0, RK: 4, TP: 4, WGX: 16, WGY: 4 },
  workgroupSize: (o) => [o.WGX, o.WGY, 1],
  accumulators: (o) => 16 * o.RK * o.TP,
});

const ceil4 = (v: number) => Math.ceil(v / 4) * 4;

/** A padded input: the zero-padded copy of [N,C,H,W] that covers every window (or the input itself). */
export interface PaddedInput {
  /** The buffer the GEMM reads ([N,C,Hp,Wp]). */
  xp: BufferBinding;
  Hp: number;
  Wp: number;
  /** The pad dispatch (absent when no padding is needed). */
  kernel?: BoundKernel;
  /** Scratch to release. */
  scratch: GPUBuffer[];
}

/** Plans the padded copy of x [N,C,H,W] read by windows of OH×OW outputs (stride S, taps FH×FW dilation D). */
export async function padInput(
  gpu: Gpu,
  a: { x: BufferBinding; N: number; C: number; H: number; W: number; OH: number; OW: number; FH: number; FW: number; S: number; D: number; PH: number; PW: number },
): Promise<PaddedInput> {
  const Hp = (a.OH - 1) * a.S + (a.FH - 1) * a.D + 1;
  const Wp = (a.OW - 1) * a.S + (a.FW - 1) * a.D + 1;
  if (a.PH === 0 && a.PW === 0 && Wp === a.W) return { xp: a.x, Hp: a.H, Wp: a.W, scratch: [] };
  const planes = a.N * a.C;
  const xp = gpu.storage(planes * Hp * Wp * 4, 'conv2d-pad:out');
  const p = await gpu.prepare(conv2dPadSpec);
  const kernel = gpu.bind(p, { planes, H: a.H, W: a.W, Hp, Wp, PH: a.PH, PW: a.PW }, [a.x, xp], splitGrid(Math.ceil((planes * Hp) / WG)));
  return { xp, Hp, Wp, kernel, scratch: [xp] };
}

/**
 * The padded input a GEMM reads: `shared` when given (made and owned elsewhere, e.g. by the layer, so
 * the forward pass and the filter gradient use one copy), else one made here, with the pad dispatch to
 * run and the scratch to release.
 */
export async function padOrShare(
  gpu: Gpu,
  shared: PaddedInput | undefined,
  a: Parameters<typeof padInput>[1],
): Promise<{ pad: PaddedInput; parts: Encodable[]; scratch: GPUBuffer[] }> {
  if (shared) return { pad: shared, parts: [], scratch: [] };
  const pad = await padInput(gpu, a);
  return { pad, parts: pad.kernel ? [pad.kernel] : [], scratch: pad.scratch };
}

/** Offsets of the taps r = (c, fh, fw) from a window's corner in a padded image, padded with 0 to a multiple of 4. */
export function tapTable(C: number, FH: number, FW: number, D: number, Hp: number, Wp: number): Uint32Array {
  const R = C * FH * FW;
  const t = new Uint32Array(ceil4(R));
  for (let c = 0, r = 0; c < C; c++) for (let i = 0; i < FH; i++) for (let j = 0; j < FW; j++) t[r++] = c * Hp * Wp + i * D * Wp + j * D;
  return t;
}

export interface ConvGemmArgs {
  /** Input [N,C,H,W] of this (forward-form) convolution. */
  x: BufferBinding;
  /** The original filters [K0,C0,FH,FW] (FLIP: K0 = C, C0 = K of this convolution). */
  w: BufferBinding;
  b?: BufferBinding;
  /** Output [N,K,OH,OW], overwritten. */
  y: BufferBinding;
  N: number;
  C: number;
  H: number;
  W: number;
  K: number;
  FH: number;
  FW: number;
  S: number;
  D: number;
  PH: number;
  PW: number;
  OH: number;
  OW: number;
  /** Flip the filters and swap their channels and filters (grad-input at stride 1). */
  flip: boolean;
  relu?: boolean;
  tile?: Partial<ConvTile>;
  name: string;
  /** A padded copy of x made elsewhere (padInput with these sizes), shared rather than made here. */
  padded?: PaddedInput;
  /** A 2×2 stride-2 max-pool in the epilogue: y is then [N,K,OH/2,OW/2] and argmax [same] receives
   *  the flat index of each window's winner in the unpooled [N,K,OH,OW] output. */
  pool?: { argmax: BufferBinding };
}

/** Transposes the filters, pads the input and runs conv2d-gemm.wgsl, as one KernelGroup. */
export async function convGemm(gpu: Gpu, a: ConvGemmArgs): Promise<KernelGroup> {
  const R = a.C * a.FH * a.FW;
  const Rp = ceil4(R);
  const KOp = ceil4(a.K);
  const wT = gpu.storage(Rp * KOp * 4, `${a.name}:wT`);
  const tp = await gpu.prepare(conv2dTransposeWeightsSpec, { FLIP: a.flip ? 1 : 0 });
  const [K0, C0] = a.flip ? [a.C, a.K] : [a.K, a.C];
  const transpose = gpu.bind(tp, { K: K0, C: C0, FH: a.FH, FW: a.FW, KOp, Rp }, [a.w, wT], splitGrid(Math.ceil((Rp * KOp) / WG)));
  const { pad, parts: padding, scratch: padScratch } = await padOrShare(gpu, a.padded, { x: a.x, N: a.N, C: a.C, H: a.H, W: a.W, OH: a.OH, OW: a.OW, FH: a.FH, FW: a.FW, S: a.S, D: a.D, PH: a.PH, PW: a.PW });
  const tab = gpu.upload(tapTable(a.C, a.FH, a.FW, a.D, pad.Hp, pad.Wp), `${a.name}:tab`);
  const NPIX = a.N * a.OH * a.OW;
  const blocks = Math.ceil(NPIX / 4);
  const t = convTile(a.K, blocks, a.tile, gemmTileFor(gpu));
  if (a.pool && (a.OH % 2 !== 0 || a.OW % 2 !== 0)) throw new Error(`${a.name}: a fused 2×2 max-pool needs an even output size, got ${a.OH}×${a.OW}`);
  const p = await gpu.prepare(conv2dGemmSpec, { HAS_BIAS: a.b ? 1 : 0, RELU: a.relu ? 1 : 0, POOL: a.pool ? 1 : 0, RK: t.blocks, TP: t.quads, WGX: t.WGX, WGY: t.WGY });
  const groups: [number, number, number] = [Math.ceil(blocks / (t.quads * t.WGX)), Math.ceil(KOp / 4 / (t.blocks * t.WGY)), 1];
  const params = { NPIX, OHW: a.OH * a.OW, OW: a.OW, K: a.K, K4: KOp / 4, R4: Rp / 4, S: a.S, Wp: pad.Wp, IMG: a.C * pad.Hp * pad.Wp, POW: a.OW >> 1, POHW: (a.OH >> 1) * (a.OW >> 1) };
  // Without the pool, argmax is never written: a placeholder stands in (a writable binding may not alias
  // another binding of the dispatch).
  const gemm = bindWithPlaceholders(gpu, p, params, [pad.xp, wT, tab, a.b ?? wT, a.y, a.pool?.argmax], groups);
  return new KernelGroup(gpu, [transpose, ...padding, gemm], [wT, tab, ...padScratch]);
}
