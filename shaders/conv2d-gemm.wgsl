// conv2d-gemm: y[n,k,oh,ow] = b[k] + Σ_r wT[r,k] · xp[n·IMG + oh·S·Wp + ow·S + tab[r]] (then ReLU when
// RELU): the forward convolution as an implicit GEMM with M = output pixels, N = filters, reduction
// r = (c, fh, fw) of length Rp = 4·R4. xp is the zero-padded input (conv2d-pad.wgsl: [N,C,Hp,Wp], IMG =
// C·Hp·Wp floats per image), tab[r] = c·Hp·Wp + fh·D·Wp + fw·D is the offset of tap r from the window's
// corner (0 for the padding taps r ≥ R, whose weights are 0), wT [Rp, 4·K4] the rearranged, zero-padded
// filters (conv2d-transpose-weights.wgsl). Also runs the stride-1 grad-input as a forward convolution
// of the padded dy with flipped filters. f32, NCHW. Bindings: 0 params, 1 xp, 2 wT (vec4), 3 tab (vec4u),
// 4 b (read; any buffer when HAS_BIAS is false), 5 y [N,K,OH,OW] (read_write, overwritten), 6 argmax
// (read_write; only written when POOL).
// POOL (override): a 2×2, stride-2 max-pool fused into the epilogue (OH, OW even). Pixels are then
// numbered window by window (pixel p is corner p % 4, row-major, of pool window p / 4), so each 4-pixel
// block of a thread is one window: its maximum (the first one in row-major order on ties, as
// max-pool.wgsl) goes to y [N,K,OH/2,OW/2] and the flat index of the winner in the unpooled
// [N,K,OH,OW] output to argmax, for max-pool-grad.wgsl. The unpooled output is never written.
// One thread computes RK blocks of 4 filters × TP blocks of 4 output pixels (consecutive in the flat
// pixel order n·OH·OW + oh·OW + ow, so no padding of rows; a thread's pixel blocks are interleaved across
// the workgroup row). Each loop iteration takes 4 reduction steps: one vec4u of tab, 16 xp values per
// pixel block, 4 vec4 weights per filter block, and 64 FMAs into each mat4x4f accumulator (column i =
// pixel i, vec4 over 4 filters).
// Why: on SwiftShader (a CPU) every loaded component is a gather and every loop iteration moves the
// (spilled) accumulators, so the kernel loads no masks (the padded copy needs none), reads the filters
// as vec4, and does 4 reduction steps per iteration; loops are not unrolled and function arrays live in
// memory, so the tile is written out as named accumulators switched by the overrides RK (1–4), TP (1–8);
// 8 pixel blocks (32 pixels × 16 filters, 1 loaded value per 10.7 FMAs) are the default on SwiftShader.

struct Params {
  NPIX: u32,
  OHW: u32,
  OW: u32,
  K: u32,
  K4: u32,
  R4: u32,
  S: u32,
  Wp: u32,
  IMG: u32,
  POW: u32,
  POHW: u32,
}

override HAS_BIAS: bool = false;
override RELU: bool = false;
override POOL: bool = false;
override RK: u32 = 4;
override TP: u32 = 4;
override WGX: u32 = 16;
override WGY: u32 = 4;

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> xp: array<f32>;
@group(0) @binding(2) var<storage, read> wT: array<vec4f>;
@group(0) @binding(3) var<storage, read> tab: array<vec4u>;
@group(0) @binding(4) var<storage, read> b: array<f32>;
@group(0) @binding(5) var<storage, read_write> y: array<f32>;
@group(0) @binding(6) var<storage, read_write> argmax: array<u32>;

// Where pixel p (clamped to the last) reads xp (window corner), writes y, and sits in the unpooled
// output (filter 0); y and the unpooled index differ only when POOL.
fn pixelAt(p: u32) -> vec3u {
  let q = params;
  let pc = min(p, q.NPIX - 1u);
  if (POOL) {
    let w = pc / 4u;
    let corner = pc - 4u * w;
    let n = w / q.POHW;
    let rem = w - n * q.POHW;
    let ph = rem / q.POW;
    let oh = 2u * ph + corner / 2u;
    let ow = 2u * (rem - ph * q.POW) + corner % 2u;
    return vec3u(n * q.IMG + (oh * q.Wp + ow) * q.S, n * q.K * q.POHW + rem, n * q.K * q.OHW + oh * q.OW + ow);
  }
  let n = pc / q.OHW;
  let rem = pc - n * q.OHW;
  let oh = rem / q.OW;
  let ow = rem - oh * q.OW;
  let yo = n * q.K * q.OHW + rem;
  return vec3u(n * q.IMG + (oh * q.Wp + ow) * q.S, yo, yo);
}

// Column i = pixel i's 4 taps t.
fn loadX(base: vec4u, t: vec4u) -> mat4x4f {
  return mat4x4f(
    vec4f(xp[base.x + t.x], xp[base.x + t.y], xp[base.x + t.z], xp[base.x + t.w]),
    vec4f(xp[base.y + t.x], xp[base.y + t.y], xp[base.y + t.z], xp[base.y + t.w]),
    vec4f(xp[base.z + t.x], xp[base.z + t.y], xp[base.z + t.z], xp[base.z + t.w]),
    vec4f(xp[base.w + t.x], xp[base.w + t.y], xp[base.w + t.z], xp[base.w + t.w]),
  );
}

// Column kk = the 4 filters of a block at reduction step 4·r4 + kk.
fn loadW(o: u32, r4: u32) -> mat4x4f {
  let K4 = params.K4;
  let i = 4u * r4 * K4 + o;
  return mat4x4f(wT[i], wT[i + K4], wT[i + 2u * K4], wT[i + 3u * K4]);
}

// acc + w·x for 4×4 blocks as 64 FMAs: column i (pixel i) gains Σ_kk w[kk]·x[i][kk].
// @generated include mac4x4 w=w a=a — edit shaders/parts/mac4x4.wgsl, then npm run gen:wgsl
fn mac(acc: mat4x4f, w: mat4x4f, a: mat4x4f) -> mat4x4f {
  var r = acc;
  r[0] = fma(w[0], vec4f(a[0].x), r[0]); r[0] = fma(w[1], vec4f(a[0].y), r[0]);
  r[0] = fma(w[2], vec4f(a[0].z), r[0]); r[0] = fma(w[3], vec4f(a[0].w), r[0]);
  r[1] = fma(w[0], vec4f(a[1].x), r[1]); r[1] = fma(w[1], vec4f(a[1].y), r[1]);
  r[1] = fma(w[2], vec4f(a[1].z), r[1]); r[1] = fma(w[3], vec4f(a[1].w), r[1]);
  r[2] = fma(w[0], vec4f(a[2].x), r[2]); r[2] = fma(w[1], vec4f(a[2].y), r[2]);
  r[2] = fma(w[2], vec4f(a[2].z), r[2]); r[2] = fma(w[3], vec4f(a[2].w), r[2]);
  r[3] = fma(w[0], vec4f(a[3].x), r[3]); r[3] = fma(w[1], vec4f(a[3].y), r[3]);
  r[3] = fma(w[2], vec4f(a[3].z), r[3]); r[3] = fma(w[3], vec4f(a[3].w), r[3]);
  return r;
}
// @end

// Bias (when HAS_BIAS) and ReLU (when RELU) of one pixel's filters k0 .. k0+3.
fn epilogue(acc: vec4f, k0: u32) -> vec4f {
  let last = params.K - 1u;
  var v = acc;
  if (HAS_BIAS) {
    v += vec4f(b[min(k0, last)], b[min(k0 + 1u, last)], b[min(k0 + 2u, last)], b[min(k0 + 3u, last)]);
  }
  if (RELU) {
    v = max(v, vec4f(0.0));
  }
  return v;
}

// Writes pixel p's 4 filters k0 .. k0+3 (bias + ReLU), skipping filters past K; written out without
// loops or dynamic indexing, which SwiftShader would route through memory.
fn storePixel(v0: vec4f, k0: u32, p: u32, yo: u32) {
  let q = params;
  if (p >= q.NPIX) {
    return;
  }
  let v = epilogue(v0, k0);
  let o = yo + k0 * q.OHW;
  let left = q.K - k0;
  y[o] = v.x;
  if (left > 1u) { y[o + q.OHW] = v.y; }
  if (left > 2u) { y[o + 2u * q.OHW] = v.z; }
  if (left > 3u) { y[o + 3u * q.OHW] = v.w; }
}

// POOL: the 4 pixels of the block are one pool window; writes its maximum and argmax per filter.
fn storeWindow(acc: mat4x4f, k0: u32, p0: u32, yo: u32, at: vec4u) {
  let q = params;
  if (p0 >= q.NPIX) {
    return;
  }
  var v = epilogue(acc[0], k0);
  let v1 = epilogue(acc[1], k0);
  let v2 = epilogue(acc[2], k0);
  let v3 = epilogue(acc[3], k0);
  var win = vec4u(at.x);
  win = select(win, vec4u(at.y), v1 > v);
  v = select(v, v1, v1 > v);
  win = select(win, vec4u(at.z), v2 > v);
  v = select(v, v2, v2 > v);
  win = select(win, vec4u(at.w), v3 > v);
  v = select(v, v3, v3 > v);
  win += (vec4u(k0) + vec4u(0u, 1u, 2u, 3u)) * q.OHW;
  let o = yo + k0 * q.POHW;
  let left = q.K - k0;
  y[o] = v.x;
  argmax[o] = win.x;
  if (left > 1u) { y[o + q.POHW] = v.y; argmax[o + q.POHW] = win.y; }
  if (left > 2u) { y[o + 2u * q.POHW] = v.z; argmax[o + 2u * q.POHW] = win.z; }
  if (left > 3u) { y[o + 3u * q.POHW] = v.w; argmax[o + 3u * q.POHW] = win.w; }
}

// Writes a 4×4 block: filters k0 .. k0+3 of pixels p0 .. p0+3 (yo: their y offsets, at: their unpooled
// offsets; POOL: one window, yo.x its pooled offset).
fn store(acc: mat4x4f, k0: u32, p0: u32, yo: vec4u, at: vec4u) {
  if (k0 >= params.K) {
    return;
  }
  if (POOL) {
    storeWindow(acc, k0, p0, yo.x, at);
    return;
  }
  storePixel(acc[0], k0, p0, yo.x);
  storePixel(acc[1], k0, p0 + 1u, yo.y);
  storePixel(acc[2], k0, p0 + 2u, yo.z);
  storePixel(acc[3], k0, p0 + 3u, yo.w);
}

@compute @workgroup_size(WGX, WGY)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let q = params;
  let kb = (wg.y * WGY + lid.y) * RK;
  // Pixel blocks a .. h of this thread (TP of them) start at pa + 4·WGX·j.
  let pa = 4u * (wg.x * WGX * TP + lid.x);
  let step = 4u * WGX;
  let a0 = pixelAt(pa); let a1 = pixelAt(pa + 1u); let a2 = pixelAt(pa + 2u); let a3 = pixelAt(pa + 3u);
  let xa = vec4u(a0.x, a1.x, a2.x, a3.x);
  let pb = pa + step;
  let b0 = pixelAt(pb); let b1 = pixelAt(pb + 1u); let b2 = pixelAt(pb + 2u); let b3 = pixelAt(pb + 3u);
  let xb = vec4u(b0.x, b1.x, b2.x, b3.x);
  // @generated ladder c=c..h i=2..7 — edit the //| template, then npm run gen:wgsl
  //| let p{{c}} = pa + {{i}}u * step;
  //| let {{c}}0 = pixelAt(p{{c}}); let {{c}}1 = pixelAt(p{{c}} + 1u); let {{c}}2 = pixelAt(p{{c}} + 2u); let {{c}}3 = pixelAt(p{{c}} + 3u);
  //| let x{{c}} = vec4u({{c}}0.x, {{c}}1.x, {{c}}2.x, {{c}}3.x);
  let pc = pa + 2u * step;
  let c0 = pixelAt(pc); let c1 = pixelAt(pc + 1u); let c2 = pixelAt(pc + 2u); let c3 = pixelAt(pc + 3u);
  let xc = vec4u(c0.x, c1.x, c2.x, c3.x);
  let pd = pa + 3u * step;
  let d0 = pixelAt(pd); let d1 = pixelAt(pd + 1u); let d2 = pixelAt(pd + 2u); let d3 = pixelAt(pd + 3u);
  let xd = vec4u(d0.x, d1.x, d2.x, d3.x);
  let pe = pa + 4u * step;
  let e0 = pixelAt(pe); let e1 = pixelAt(pe + 1u); let e2 = pixelAt(pe + 2u); let e3 = pixelAt(pe + 3u);
  let xe = vec4u(e0.x, e1.x, e2.x, e3.x);
  let pf = pa + 5u * step;
  let f0 = pixelAt(pf); let f1 = pixelAt(pf + 1u); let f2 = pixelAt(pf + 2u); let f3 = pixelAt(pf + 3u);
  let xf = vec4u(f0.x, f1.x, f2.x, f3.x);
  let pg = pa + 6u * step;
  let g0 = pixelAt(pg); let g1 = pixelAt(pg + 1u); let g2 = pixelAt(pg + 2u); let g3 = pixelAt(pg + 3u);
  let xg = vec4u(g0.x, g1.x, g2.x, g3.x);
  let ph = pa + 7u * step;
  let h0 = pixelAt(ph); let h1 = pixelAt(ph + 1u); let h2 = pixelAt(ph + 2u); let h3 = pixelAt(ph + 3u);
  let xh = vec4u(h0.x, h1.x, h2.x, h3.x);
  // @end
  let lastBlock = q.K4 - 1u;
  // First filter block of each of the RK rows (clamped: blocks past K4 compute garbage, never stored).
  let wo0 = min(kb, lastBlock);
  let wo1 = min(kb + 1u, lastBlock);
  let wo2 = min(kb + 2u, lastBlock);
  let wo3 = min(kb + 3u, lastBlock);
  // acc<r><j>: filter block kb + r, pixel block j.
  // @generated ladder c=a..h — edit the //| template, then npm run gen:wgsl
  //| var acc0{{c}} = mat4x4f(); var acc1{{c}} = mat4x4f(); var acc2{{c}} = mat4x4f(); var acc3{{c}} = mat4x4f();
  var acc0a = mat4x4f(); var acc1a = mat4x4f(); var acc2a = mat4x4f(); var acc3a = mat4x4f();
  var acc0b = mat4x4f(); var acc1b = mat4x4f(); var acc2b = mat4x4f(); var acc3b = mat4x4f();
  var acc0c = mat4x4f(); var acc1c = mat4x4f(); var acc2c = mat4x4f(); var acc3c = mat4x4f();
  var acc0d = mat4x4f(); var acc1d = mat4x4f(); var acc2d = mat4x4f(); var acc3d = mat4x4f();
  var acc0e = mat4x4f(); var acc1e = mat4x4f(); var acc2e = mat4x4f(); var acc3e = mat4x4f();
  var acc0f = mat4x4f(); var acc1f = mat4x4f(); var acc2f = mat4x4f(); var acc3f = mat4x4f();
  var acc0g = mat4x4f(); var acc1g = mat4x4f(); var acc2g = mat4x4f(); var acc3g = mat4x4f();
  var acc0h = mat4x4f(); var acc1h = mat4x4f(); var acc2h = mat4x4f(); var acc3h = mat4x4f();
  // @end
  for (var r4 = 0u; r4 < q.R4; r4++) {
    let t = tab[r4];
    let w0 = loadW(wo0, r4);
    var w1 = mat4x4f(); var w2 = mat4x4f(); var w3 = mat4x4f();
    if (RK > 1u) { w1 = loadW(wo1, r4); }
    if (RK > 2u) { w2 = loadW(wo2, r4); }
    if (RK > 3u) { w3 = loadW(wo3, r4); }
    let va = loadX(xa, t);
    acc0a = mac(acc0a, w0, va);
    if (RK > 1u) { acc1a = mac(acc1a, w1, va); }
    if (RK > 2u) { acc2a = mac(acc2a, w2, va); }
    if (RK > 3u) { acc3a = mac(acc3a, w3, va); }
    // @generated ladder c=b..h i=1..7 — edit the //| template, then npm run gen:wgsl
    //| if (TP > {{i}}u) {
    //|   let v{{c}} = loadX(x{{c}}, t);
    //|   acc0{{c}} = mac(acc0{{c}}, w0, v{{c}});
    //|   @for(r=1..3) if (RK > {{r}}u) { acc{{r}}{{c}} = mac(acc{{r}}{{c}}, w{{r}}, v{{c}}); }
    //| }
    if (TP > 1u) {
      let vb = loadX(xb, t);
      acc0b = mac(acc0b, w0, vb);
      if (RK > 1u) { acc1b = mac(acc1b, w1, vb); }
      if (RK > 2u) { acc2b = mac(acc2b, w2, vb); }
      if (RK > 3u) { acc3b = mac(acc3b, w3, vb); }
    }
    if (TP > 2u) {
      let vc = loadX(xc, t);
      acc0c = mac(acc0c, w0, vc);
      if (RK > 1u) { acc1c = mac(acc1c, w1, vc); }
      if (RK > 2u) { acc2c = mac(acc2c, w2, vc); }
      if (RK > 3u) { acc3c = mac(acc3c, w3, vc); }
    }
    if (TP > 3u) {
      let vd = loadX(xd, t);
      acc0d = mac(acc0d, w0, vd);
      if (RK > 1u) { acc1d = mac(acc1d, w1, vd); }
      if (RK > 2u) { acc2d = mac(acc2d, w2, vd); }
      if (RK > 3u) { acc3d = mac(acc3d, w3, vd); }
    }
    if (TP > 4u) {
      let ve = loadX(xe, t);
      acc0e = mac(acc0e, w0, ve);
      if (RK > 1u) { acc1e = mac(acc1e, w1, ve); }
      if (RK > 2u) { acc2e = mac(acc2e, w2, ve); }
      if (RK > 3u) { acc3e = mac(acc3e, w3, ve); }
    }
    if (TP > 5u) {
      let vf = loadX(xf, t);
      acc0f = mac(acc0f, w0, vf);
      if (RK > 1u) { acc1f = mac(acc1f, w1, vf); }
      if (RK > 2u) { acc2f = mac(acc2f, w2, vf); }
      if (RK > 3u) { acc3f = mac(acc3f, w3, vf); }
    }
    if (TP > 6u) {
      let vg = loadX(xg, t);
      acc0g = mac(acc0g, w0, vg);
      if (RK > 1u) { acc1g = mac(acc1g, w1, vg); }
      if (RK > 2u) { acc2g = mac(acc2g, w2, vg); }
      if (RK > 3u) { acc3g = mac(acc3g, w3, vg); }
    }
    if (TP > 7u) {
      let vh = loadX(xh, t);
      acc0h = mac(acc0h, w0, vh);
      if (RK > 1u) { acc1h = mac(acc1h, w1, vh); }
      if (RK > 2u) { acc2h = mac(acc2h, w2, vh); }
      if (RK > 3u) { acc3h = mac(acc3h, w3, vh); }
    }
    // @end
  }
  let k0 = 4u * kb;
  let ya = vec4u(a0.y, a1.y, a2.y, a3.y);
  let ua = vec4u(a0.z, a1.z, a2.z, a3.z);
  store(acc0a, k0, pa, ya, ua);
  if (RK > 1u) { store(acc1a, k0 + 4u, pa, ya, ua); }
  if (RK > 2u) { store(acc2a, k0 + 8u, pa, ya, ua); }
  if (RK > 3u) { store(acc3a, k0 + 12u, pa, ya, ua); }
  // @generated ladder c=b..h i=1..7 — edit the //| template, then npm run gen:wgsl
  //| if (TP > {{i}}u) {
  //|   let y{{c}} = vec4u({{c}}0.y, {{c}}1.y, {{c}}2.y, {{c}}3.y);
  //|   let u{{c}} = vec4u({{c}}0.z, {{c}}1.z, {{c}}2.z, {{c}}3.z);
  //|   store(acc0{{c}}, k0, p{{c}}, y{{c}}, u{{c}});
  //|   @for(r=1..3) if (RK > {{r}}u) { store(acc{{r}}{{c}}, k0 + {{4*r}}u, p{{c}}, y{{c}}, u{{c}}); }
  //| }
  if (TP > 1u) {
    let yb = vec4u(b0.y, b1.y, b2.y, b3.y);
    let ub = vec4u(b0.z, b1.z, b2.z, b3.z);
    store(acc0b, k0, pb, yb, ub);
    if (RK > 1u) { store(acc1b, k0 + 4u, pb, yb, ub); }
    if (RK > 2u) { store(acc2b, k0 + 8u, pb, yb, ub); }
    if (RK > 3u) { store(acc3b, k0 + 12u, pb, yb, ub); }
  }
  if (TP > 2u) {
    let yc = vec4u(c0.y, c1.y, c2.y, c3.y);
    let uc = vec4u(c0.z, c1.z, c2.z, c3.z);
    store(acc0c, k0, pc, yc, uc);
    if (RK > 1u) { store(acc1c, k0 + 4u, pc, yc, uc); }
    if (RK > 2u) { store(acc2c, k0 + 8u, pc, yc, uc); }
    if (RK > 3u) { store(acc3c, k0 + 12u, pc, yc, uc); }
  }
  if (TP > 3u) {
    let yd = vec4u(d0.y, d1.y, d2.y, d3.y);
    let ud = vec4u(d0.z, d1.z, d2.z, d3.z);
    store(acc0d, k0, pd, yd, ud);
    if (RK > 1u) { store(acc1d, k0 + 4u, pd, yd, ud); }
    if (RK > 2u) { store(acc2d, k0 + 8u, pd, yd, ud); }
    if (RK > 3u) { store(acc3d, k0 + 12u, pd, yd, ud); }
  }
  if (TP > 4u) {
    let ye = vec4u(e0.y, e1.y, e2.y, e3.y);
    let ue = vec4u(e0.z, e1.z, e2.z, e3.z);
    store(acc0e, k0, pe, ye, ue);
    if (RK > 1u) { store(acc1e, k0 + 4u, pe, ye, ue); }
    if (RK > 2u) { store(acc2e, k0 + 8u, pe, ye, ue); }
    if (RK > 3u) { store(acc3e, k0 + 12u, pe, ye, ue); }
  }
  if (TP > 5u) {
    let yf = vec4u(f0.y, f1.y, f2.y, f3.y);
    let uf = vec4u(f0.z, f1.z, f2.z, f3.z);
    store(acc0f, k0, pf, yf, uf);
    if (RK > 1u) { store(acc1f, k0 + 4u, pf, yf, uf); }
    if (RK > 2u) { store(acc2f, k0 + 8u, pf, yf, uf); }
    if (RK > 3u) { store(acc3f, k0 + 12u, pf, yf, uf); }
  }
  if (TP > 6u) {
    let yg = vec4u(g0.y, g1.y, g2.y, g3.y);
    let ug = vec4u(g0.z, g1.z, g2.z, g3.z);
    store(acc0g, k0, pg, yg, ug);
    if (RK > 1u) { store(acc1g, k0 + 4u, pg, yg, ug); }
    if (RK > 2u) { store(acc2g, k0 + 8u, pg, yg, ug); }
    if (RK > 3u) { store(acc3g, k0 + 12u, pg, yg, ug); }
  }
  if (TP > 7u) {
    let yh = vec4u(h0.y, h1.y, h2.y, h3.y);
    let uh = vec4u(h0.z, h1.z, h2.z, h3.z);
    store(acc0h, k0, ph, yh, uh);
    if (RK > 1u) { store(acc1h, k0 + 4u, ph, yh, uh); }
    if (RK > 2u) { store(acc2h, k0 + 8u, ph, yh, uh); }
    if (RK > 3u) { store(acc3h, k0 + 12u, ph, yh, uh); }
  }
  // @end
}
