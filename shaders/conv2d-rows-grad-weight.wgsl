// conv2d-rows-grad-weight: partial filter (and bias) gradients of a stride-1, undilated convolution with
// filters at most 5×5, for few input channels (MNIST's first layer: C = 1):
//   part[s, (k·C + c)·FH·FW + fh·FW + fw] = Σ_{pixel blocks of split s} Σ_{oh,ow} dy[n,k,oh,ow] · x[n,c,oh−PH+fh, ow−PW+fw]
//   part[s, K·C·FH·FW + k]               = Σ_{pixel blocks of split s} Σ_{oh,ow} dy[n,k,oh,ow]   (HAS_BIAS)
// (x 0 outside the image); reduce-sum-rows then adds the splits. The output is cut into blocks of 4 rows ×
// 4 columns of one image, numbered image by image; split s takes blocks s·PER .. s·PER + PER − 1.
// f32, NCHW; x [N,C,H,W], dy [N,K,OH,OW], part [splits, L] (row stride L = K·C·FH·FW + K).
// Bindings: 0 params, 1 x, 2 dy, 3 dy4 (dy as vec4, read instead of dy when DY4, which needs OW % 4 = 0;
// otherwise a placeholder), 4 part (read_write).
// One thread: KB (1–8) filters, one input channel, one split. Per pixel block it loads the 4 + FH − 1 input
// rows under the block once (4 + FW − 1 values each) and, per filter, the 4×4 dy values, then adds
// dy-row · input-window dot products into the filter's FH×FW taps: 16·FH·FW·KB FMAs for
// (FH + 3)·(FW + 3) + 16·KB loads, accumulators held for the whole split.
// Why: conv2d-gemm-grad-weight.wgsl's reduction over pixels suits many channels; with one input channel its
// 9 outputs per filter leave most of a 4×4 register block idle, and each x value is loaded once per tap.
// Here each input is loaded about (FW + 3)/4·(FH + 3)/4 times per block and each dy value once; those dy
// loads are half the time (conv1 at batch 100), so with DY4 each dy row of a block is one vec4 load with
// no column masks (13.3 → 11.5 ms). Measured no faster (conv1, batch 100): KB = 16, FMA chains per tap
// instead of dot(), 1 × 16 and 1 × 28 output strips (dy read in row order), neighbouring lanes on
// neighbouring blocks, no per-block divisions; yet dy made cache-resident ran 20% faster.
// SHARE_X: the 4 lanes of a quad (4 consecutive threads: 4 filter blocks of one split, so the same x
// windows) each load a quarter of every window and quadBroadcast the rest, 2 loads per row instead of
// 4 + FW − 1: conv1 at batch 100, 8.7 → 7.7 ms (SwiftShader, where a quad is one SIMD group of 4 lanes and
// a broadcast a register shuffle, while every load is a per-lane gather).

enable subgroups;
// The quads' broadcasts sit in loops whose bounds depend on the split, which all 4 lanes of a quad share
// (SHARE_X), so they run in step although the analysis cannot prove it.
diagnostic(off, subgroup_uniformity);

struct Params {
  N: u32,
  C: u32,
  H: u32,
  W: u32,
  K: u32,
  PH: i32,
  PW: i32,
  OH: u32,
  OW: u32,
  PER: u32,
  L: u32,
}

override FH: u32 = 3u;
override FW: u32 = 3u;
override KB: u32 = 8u;
override HAS_BIAS: bool = false;
override DY4: bool = false;
// DY_FULL (OH % 4 = 0): every block's 4 dy rows are inside, so the vec4 loads need no row mask (a masked
// load and its select cost more than the multiply-adds they feed: conv1 at batch 100, 7.6 → 6.6 ms).
override DY_FULL: bool = false;
// Set only where quads are 4 consecutive invocations (SwiftShader) and kBlocks is a multiple of 4.
override SHARE_X: bool = false;
override WG: u32 = 64u;

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> dy: array<f32>;
@group(0) @binding(3) var<storage, read> dy4: array<vec4f>;
@group(0) @binding(4) var<storage, read_write> part: array<f32>;

// Inputs at columns t .. t+7 of one input row (0 outside the image); only the first 4 + FW − 1 are loaded.
// @generated include window-rows — edit shaders/parts/window-rows.wgsl, then npm run gen:wgsl
struct Window {
  lo: vec4f,
  hi: vec4f,
}

// The windows of the 4 + FH − 1 input rows under a block (rows past that are left 0).
struct Rows {
  r0: Window,
  r1: Window,
  r2: Window,
  r3: Window,
  r4: Window,
  r5: Window,
  r6: Window,
  r7: Window,
}
// @end

// One filter row's FW tap gradients (tap 4 in e), and a filter's FH rows of them plus its bias gradient.
struct Taps {
  a: vec4f,
  e: f32,
}

struct Grad {
  t0: Taps,
  t1: Taps,
  t2: Taps,
  t3: Taps,
  t4: Taps,
  db: f32,
}

fn loadWindow(ro: i32, t: i32, rowOk: bool) -> Window {
  let W = i32(params.W);
  let cl = vec4i(t) + vec4i(0, 1, 2, 3);
  let ch = cl + vec4i(4);
  let okl = vec4<bool>(rowOk) & (cl >= vec4i(0)) & (cl < vec4i(W));
  let okh = vec4<bool>(rowOk) & (ch >= vec4i(0)) & (ch < vec4i(W));
  let il = vec4u(select(vec4i(0), vec4i(ro) + cl, okl));
  let ih = vec4u(select(vec4i(0), vec4i(ro) + ch, okh));
  let lo = select(vec4f(0.0), vec4f(x[il.x], x[il.y], x[il.z], x[il.w]), okl);
  var hi = vec4f(0.0);
  if (FW > 1u) { hi.x = select(0.0, x[ih.x], okh.x); }
  if (FW > 2u) { hi.y = select(0.0, x[ih.y], okh.y); }
  if (FW > 3u) { hi.z = select(0.0, x[ih.z], okh.z); }
  if (FW > 4u) { hi.w = select(0.0, x[ih.w], okh.w); }
  return Window(lo, hi);
}

// This lane's place in its quad (SHARE_X).
var<private> lane: u32;

// SHARE_X: the window at columns t .. of row ro, lane l loading columns t + l and t + 4 + l.
fn shareWindow(ro: i32, t: i32, rowOk: bool) -> Window {
  let W = i32(params.W);
  let cl = t + i32(lane);
  let ch = cl + 4;
  let okl = rowOk & (cl >= 0) & (cl < W);
  let okh = rowOk & (ch >= 0) & (ch < W) & (lane + 1u < FW);
  let l = select(0.0, x[u32(select(0, ro + cl, okl))], okl);
  let h = select(0.0, x[u32(select(0, ro + ch, okh))], okh);
  var hi = vec4f(0.0);
  if (FW > 1u) { hi.x = quadBroadcast(h, 0u); }
  if (FW > 2u) { hi.y = quadBroadcast(h, 1u); }
  if (FW > 3u) { hi.z = quadBroadcast(h, 2u); }
  if (FW > 4u) { hi.w = quadBroadcast(h, 3u); }
  return Window(vec4f(quadBroadcast(l, 0u), quadBroadcast(l, 1u), quadBroadcast(l, 2u), quadBroadcast(l, 3u)), hi);
}

fn loadRow(plane: i32, ih: i32, t: i32) -> Window {
  let ro = plane + ih * i32(params.W);
  let ok = (ih >= 0) & (ih < i32(params.H));
  if (SHARE_X) {
    return shareWindow(ro, t, ok);
  }
  return loadWindow(ro, t, ok);
}

// dy at columns ow0 .. ow0+3 of row oh of the dy plane at offset plane (0 outside).
fn loadDy(plane: u32, oh: u32, ow0: u32) -> vec4f {
  let p = params;
  var v = vec4f(0.0);
  if (DY4) {
    // Rows start on 16-byte boundaries and the block's 4 columns are all inside the row.
    let at = plane + oh * p.OW + ow0;
    if (DY_FULL) {
      return dy4[at / 4u];
    }
    let ok = oh < p.OH;
    v = select(vec4f(0.0), dy4[select(0u, at, ok) / 4u], ok);
  } else {
    let ok = vec4<bool>(oh < p.OH) & (vec4u(ow0) + vec4u(0u, 1u, 2u, 3u) < vec4u(p.OW));
    let i = select(vec4u(0u), vec4u(plane + oh * p.OW + ow0) + vec4u(0u, 1u, 2u, 3u), ok);
    v = select(vec4f(0.0), vec4f(dy[i.x], dy[i.y], dy[i.z], dy[i.w]), ok);
  }
  return v;
}

// t + the gradient of one filter row's taps from one output row: tap s gains d · window[s .. s+3].
fn rowGrad(t: Taps, d: vec4f, win: Window) -> Taps {
  let lo = win.lo;
  let hi = win.hi;
  var g = t;
  g.a.x += dot(d, lo);
  if (FW > 1u) { g.a.y += dot(d, vec4f(lo.yzw, hi.x)); }
  if (FW > 2u) { g.a.z += dot(d, vec4f(lo.zw, hi.xy)); }
  if (FW > 3u) { g.a.w += dot(d, vec4f(lo.w, hi.xyz)); }
  if (FW > 4u) { g.e += dot(d, hi); }
  return g;
}

// Filter row fh over the block: output row r meets input row r + fh (a, b, c, e).
fn blockRow(t: Taps, d: mat4x4f, a: Window, b: Window, c: Window, e: Window) -> Taps {
  return rowGrad(rowGrad(rowGrad(rowGrad(t, d[0], a), d[1], b), d[2], c), d[3], e);
}

// One filter's gradient after one block; d: its 4×4 dy block (column r = output row r).
fn blockGrad(g0: Grad, d: mat4x4f, r: Rows) -> Grad {
  var g = g0;
  g.t0 = blockRow(g.t0, d, r.r0, r.r1, r.r2, r.r3);
  if (FH > 1u) { g.t1 = blockRow(g.t1, d, r.r1, r.r2, r.r3, r.r4); }
  if (FH > 2u) { g.t2 = blockRow(g.t2, d, r.r2, r.r3, r.r4, r.r5); }
  if (FH > 3u) { g.t3 = blockRow(g.t3, d, r.r3, r.r4, r.r5, r.r6); }
  if (FH > 4u) { g.t4 = blockRow(g.t4, d, r.r4, r.r5, r.r6, r.r7); }
  if (HAS_BIAS) {
    g.db += dot(d[0] + d[1] + d[2] + d[3], vec4f(1.0));
  }
  return g;
}

// The 4×4 dy block of filter k (clamped: filters past K are computed, never stored).
fn dyBlock(n: u32, k: u32, oh0: u32, ow0: u32) -> mat4x4f {
  let p = params;
  let plane = (n * p.K + min(k, p.K - 1u)) * p.OH * p.OW;
  return mat4x4f(loadDy(plane, oh0, ow0), loadDy(plane, oh0 + 1u, ow0), loadDy(plane, oh0 + 2u, ow0), loadDy(plane, oh0 + 3u, ow0));
}

fn storeTaps(t: Taps, o: u32) {
  part[o] = t.a.x;
  if (FW > 1u) { part[o + 1u] = t.a.y; }
  if (FW > 2u) { part[o + 2u] = t.a.z; }
  if (FW > 3u) { part[o + 3u] = t.a.w; }
  if (FW > 4u) { part[o + 4u] = t.e; }
}

fn store(g: Grad, s: u32, k: u32, c: u32) {
  let p = params;
  if (k >= p.K) {
    return;
  }
  let o = s * p.L + (k * p.C + c) * FH * FW;
  storeTaps(g.t0, o);
  if (FH > 1u) { storeTaps(g.t1, o + FW); }
  if (FH > 2u) { storeTaps(g.t2, o + 2u * FW); }
  if (FH > 3u) { storeTaps(g.t3, o + 3u * FW); }
  if (FH > 4u) { storeTaps(g.t4, o + 4u * FW); }
  if (HAS_BIAS && c == 0u) {
    part[s * p.L + p.K * p.C * FH * FW + k] = g.db;
  }
}

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(subgroup_invocation_id) sid: u32) {
  let p = params;
  lane = sid & 3u;
  let quads = (p.OW + 3u) / 4u;
  let blocksPerImage = ((p.OH + 3u) / 4u) * quads;
  let total = p.N * blocksPerImage;
  let splits = (total + p.PER - 1u) / p.PER;
  let kBlocks = (p.K + KB - 1u) / KB;
  let g = gid.x + gid.y * nwg.x * WG;
  if (g >= kBlocks * p.C * splits) {
    return;
  }
  let kb = g % kBlocks;
  let c = (g / kBlocks) % p.C;
  let s = g / (kBlocks * p.C);
  let k0 = kb * KB;

  let zt = Taps(vec4f(0.0), 0.0);
  let zero = Grad(zt, zt, zt, zt, zt, 0.0);
  var g0 = zero; var g1 = zero; var g2 = zero; var g3 = zero;
  var g4 = zero; var g5 = zero; var g6 = zero; var g7 = zero;
  let none = Window(vec4f(0.0), vec4f(0.0));
  let hw = i32(p.H * p.W);
  let end = min(total, (s + 1u) * p.PER);
  for (var b = s * p.PER; b < end; b++) {
    let n = b / blocksPerImage;
    let rem = b - n * blocksPerImage;
    let oh0 = (rem / quads) * 4u;
    let ow0 = (rem % quads) * 4u;
    let plane = i32(n * p.C + c) * hw;
    let t = i32(ow0) - p.PW;
    let ih0 = i32(oh0) - p.PH;
    var r = Rows(loadRow(plane, ih0, t), none, none, none, none, none, none, none);
    r.r1 = loadRow(plane, ih0 + 1, t);
    r.r2 = loadRow(plane, ih0 + 2, t);
    r.r3 = loadRow(plane, ih0 + 3, t);
    if (FH > 1u) { r.r4 = loadRow(plane, ih0 + 4, t); }
    if (FH > 2u) { r.r5 = loadRow(plane, ih0 + 5, t); }
    if (FH > 3u) { r.r6 = loadRow(plane, ih0 + 6, t); }
    if (FH > 4u) { r.r7 = loadRow(plane, ih0 + 7, t); }
    g0 = blockGrad(g0, dyBlock(n, k0, oh0, ow0), r);
    // @generated ladder k=1..7 — edit the //| template, then npm run gen:wgsl
    //| if (KB > {{k}}u) { g{{k}} = blockGrad(g{{k}}, dyBlock(n, k0 + {{k}}u, oh0, ow0), r); }
    if (KB > 1u) { g1 = blockGrad(g1, dyBlock(n, k0 + 1u, oh0, ow0), r); }
    if (KB > 2u) { g2 = blockGrad(g2, dyBlock(n, k0 + 2u, oh0, ow0), r); }
    if (KB > 3u) { g3 = blockGrad(g3, dyBlock(n, k0 + 3u, oh0, ow0), r); }
    if (KB > 4u) { g4 = blockGrad(g4, dyBlock(n, k0 + 4u, oh0, ow0), r); }
    if (KB > 5u) { g5 = blockGrad(g5, dyBlock(n, k0 + 5u, oh0, ow0), r); }
    if (KB > 6u) { g6 = blockGrad(g6, dyBlock(n, k0 + 6u, oh0, ow0), r); }
    if (KB > 7u) { g7 = blockGrad(g7, dyBlock(n, k0 + 7u, oh0, ow0), r); }
    // @end
  }
  store(g0, s, k0, c);
  // @generated ladder k=1..7 — edit the //| template, then npm run gen:wgsl
  //| if (KB > {{k}}u) { store(g{{k}}, s, k0 + {{k}}u, c); }
  if (KB > 1u) { store(g1, s, k0 + 1u, c); }
  if (KB > 2u) { store(g2, s, k0 + 2u, c); }
  if (KB > 3u) { store(g3, s, k0 + 3u, c); }
  if (KB > 4u) { store(g4, s, k0 + 4u, c); }
  if (KB > 5u) { store(g5, s, k0 + 5u, c); }
  if (KB > 6u) { store(g6, s, k0 + 6u, c); }
  if (KB > 7u) { store(g7, s, k0 + 7u, c); }
  // @end
}
