// Why: a convolution with few input channels (MNIST's first layer has one) sums only FH·FW products per
// output, so loads and per-output work, not multiply-adds, set its speed, and a GEMM's 4-channel register
// tile runs mostly empty; conv2d-rows.wgsl computes it directly, sliding the filter over input rows held
// in registers, for the forward pass and the input gradient (a flipped forward convolution at stride 1).
import source from '../../shaders/conv2d-rows.wgsl?raw';
import { defineKernel, splitGrid, type BoundKernel, type BufferBinding, type Gpu } from '../gpu';
import type { Conv2dShape } from './conv2d-shape';
import { rowsFit } from './conv2d-strategy';
import { bindWithPlaceholders } from './owned-kernel';

export const conv2dRowsSpec = defineKernel({
  name: 'conv2d-rows',
  source,
  params: {
    N: 'u32', CIN: 'u32', H: 'u32', W: 'u32', COUT: 'u32', PH: 'i32', PW: 'i32', OH: 'u32', OW: 'u32', WS_OUT: 'u32', WS_IN: 'u32',
  },
  bindings: [
    { name: 'x', access: 'read' },
    { name: 'x4', access: 'read' },
    { name: 'w', access: 'read' },
    { name: 'b', access: 'read' },
    { name: 'y', access: 'read_write' },
    { name: 'y4', access: 'read_write' },
    { name: 'argmax', access: 'read_write' },
  ],
  overrides: { FH: 3, FW: 3, KB: 8, QN: 1, ALIGNED: 0, SHIFT: 0, HOLD_ROWS: 0, FLIP: 0, HAS_BIAS: 0, RELU: 0, VEC4: 0, POOL: 0, STREAM: 0, SEG_IN: 0, SEG_OUT: 0, OUT_FULL: 0, WG: 64 },
  workgroupSize: (o) => [o.WG, 1, 1],
});

const WG = 64;
/** Streaming runs one thread per image and column span (100 for conv1's grad-input at batch 100): small
 *  workgroups share them out evenly between the cores (SwiftShader: 7.7 ms with 16 or 4 threads per
 *  workgroup, 8.8–10 with 20, 32 or 64). */
const STREAM_WG = 16;

export { ROWS_MAX_CHANNELS, rowsFit, useRows } from './conv2d-strategy';

export function checkRowsFit(name: string, s: Conv2dShape): void {
  if (!rowsFit(s)) throw new Error(`${name}: needs stride 1, no dilation and filters at most 5×5, got S=${s.S}, dilation ${s.dilation}, ${s.FH}×${s.FW}`);
}

export interface Conv2dRowsArgs extends Conv2dShape {
  /** 'forward': x [N,C,H,W] → y [N,K,OH,OW] (+ b, ReLU); 'grad-input': x = dy [N,K,OH,OW] → y = dx [N,C,H,W]. */
  mode: 'forward' | 'grad-input';
  x: BufferBinding;
  /** Filters [K,C,FH,FW]. */
  w: BufferBinding;
  b?: BufferBinding;
  y: BufferBinding;
  relu?: boolean;
  /** Forward only: a 2×2 stride-2 max-pool after bias and ReLU (y is then [N,K,OH/2,OW/2]; argmax, the
   *  same size, gets each window's winner as a flat index into the unpooled output). */
  pool?: { argmax: BufferBinding };
  /** Output channels per thread: 1–8 held together (default: up to 8) or, with one input channel, any
   *  number computed in turn (default: up to 32). */
  kb?: number;
  /** Column quads per thread when streaming (kb = 1 with several input channels, no pool): 1–8, default
   *  as many as cover the row, up to 8. */
  qn?: number;
}

/**
 * For a span starting at column −lead (segment m: columns 4m − lead .. 4m − lead + 3) whose values
 * `shift` .. `shift + used − 1` the windows use: bit m of `inside` / `outside` when segment m's used
 * values all lie inside / outside a row of W columns.
 */
export function segmentsInside(W: number, lead: number, shift: number, used: number): { inside: number; outside: number } {
  let inside = 0;
  let outside = 0;
  for (let m = 0; m < 10; m++) {
    const lo = Math.max(4 * m, shift) - lead;
    const hi = Math.min(4 * m + 3, shift + used - 1) - lead;
    if (hi < lo) continue;
    if (lo >= 0 && hi < W) inside |= 1 << m;
    if (hi < 0 || lo >= W) outside |= 1 << m;
  }
  return { inside, outside };
}

/** One dispatch of conv2d-rows.wgsl for a convolution that `rowsFit`. */
export async function conv2dRows(gpu: Gpu, a: Conv2dRowsArgs & { OH: number; OW: number }): Promise<BoundKernel> {
  checkRowsFit(conv2dRowsSpec.name, a);
  const fwd = a.mode === 'forward';
  const taps = a.FH * a.FW;
  // The convolution as computed: input planes CIN of H×W, output planes COUT of OH×OW.
  const g = fwd
    ? { CIN: a.C, H: a.H, W: a.W, COUT: a.K, PH: a.PH, PW: a.PW, OH: a.OH, OW: a.OW, WS_OUT: a.C * taps, WS_IN: taps }
    : { CIN: a.K, H: a.OH, W: a.OW, COUT: a.C, PH: a.FH - 1 - a.PH, PW: a.FW - 1 - a.PW, OH: a.H, OW: a.W, WS_OUT: taps, WS_IN: a.C * taps };
  // One input channel: its rows stay in registers while the output channels are computed in turn (32 per
  // thread measured faster than 8 or 16 for conv1's forward on SwiftShader).
  const holdRows = g.CIN === 1;
  const maxKb = holdRows ? Infinity : 8;
  const kb = a.kb ?? Math.min(holdRows ? 32 : 8, g.COUT);
  if (!(Number.isInteger(kb) && kb >= 1 && kb <= maxKb)) throw new Error(`conv2d-rows: kb must be ${holdRows ? 'a positive integer' : '1–8'}, got ${kb}`);
  // One output channel per thread with several input channels (the input gradient of a one-channel layer):
  // the thread streams down all rows of its columns, loading each input row once, and a wider span of
  // columns shares each loaded filter between more outputs (conv1's grad-input: 4 → 28 columns per
  // thread, 18 → 12 ms; streaming 10.6 → 7.6 ms).
  const stream = kb === 1 && !holdRows && !a.pool;
  const qn = a.qn ?? (stream ? Math.min(8, Math.ceil(g.OW / 4)) : 1);
  if (!(Number.isInteger(qn) && qn >= 1 && qn <= 8 && (qn === 1 || stream))) throw new Error(`conv2d-rows: qn must be 1–8, and 1 unless kb = 1 with several input channels and no pool, got ${qn}`);
  if (a.pool && !fwd) throw new Error('conv2d-rows: a fused max-pool exists in the forward pass only');
  if (a.pool && (g.OH % 2 !== 0 || g.OW % 2 !== 0)) throw new Error(`conv2d-rows: a fused 2×2 max-pool needs an even output size, got ${g.OH}×${g.OW}`);
  // vec4 stores need every output row to start on a 16-byte boundary (pooled rows are stored as scalars);
  // likewise vec4 loads of the input rows.
  const vec4 = g.OW % 4 === 0 && !a.pool;
  const aligned = g.W % 4 === 0;
  const shift = aligned ? (((-g.PW) % 4) + 4) % 4 : 0;
  // Streaming over one span per row: which segments' loads are known inside or outside the row; inside
  // counts only where every row loaded is inside too (steps of 4 from row 0 when the padding is at most
  // FH − 1).
  const oneSpan = stream && Math.ceil(g.OW / (4 * qn)) === 1;
  const segs = oneSpan ? segmentsInside(g.W, g.PW + shift, shift, 4 * qn + a.FW - 1) : { inside: 0, outside: 0 };
  const rowsIn = oneSpan && a.FH - 1 - g.PH >= 0 && g.H % 4 === 0;
  // Blocks of 4 rows from row 0 (not streaming, whose steps start where the padding puts them) that tile
  // the output exactly, with no channel past the end: stores need no bounds checks.
  const outFull = !stream && g.OH % 4 === 0 && g.OW % 4 === 0 && g.COUT % kb === 0;
  const p = await gpu.prepare(conv2dRowsSpec, {
    FH: a.FH, FW: a.FW, KB: kb, QN: qn, ALIGNED: aligned ? 1 : 0, SHIFT: shift, SEG_IN: rowsIn ? segs.inside : 0, SEG_OUT: segs.outside, OUT_FULL: outFull ? 1 : 0, HOLD_ROWS: holdRows ? 1 : 0, FLIP: fwd ? 0 : 1, HAS_BIAS: fwd && a.b ? 1 : 0, RELU: fwd && a.relu ? 1 : 0, VEC4: vec4 ? 1 : 0, POOL: a.pool ? 1 : 0, STREAM: stream ? 1 : 0, WG: stream ? STREAM_WG : WG,
  });
  const threads = a.N * Math.ceil(g.COUT / kb) * (stream ? 1 : Math.ceil(g.OH / 4)) * Math.ceil(g.OW / (4 * qn));
  const params = { N: a.N, ...g };
  return bindWithPlaceholders(gpu, p, params, [a.x, aligned ? a.x : undefined, a.w, fwd ? a.b : undefined, vec4 ? undefined : a.y, vec4 ? a.y : undefined, a.pool?.argmax], splitGrid(Math.ceil(threads / (stream ? STREAM_WG : WG))));
}
