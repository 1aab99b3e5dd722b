// conv2d-gemm-grad-weight: partial sums of dW[k, r] = Σ_{n,p} dy[n,k,p] · xp[n·IMG + pix[p] + tab[r]] over
// the images of one batch split (split s sums n in [s·NB, min(N, (s+1)·NB))), and, when HAS_BIAS, of
// dB[k] = Σ_{n,p} dy[n,k,p]. p = oh·OW + ow runs over an image's
// OHW output pixels, pix[p] = oh·S·Wp + ow·S (pixel table, padded with 0 to a multiple of 4), r = (c, fh,
// fw) with tab[r] = c·Hp·Wp + fh·D·Wp + fw·D (tap table of R + 1 entries at least, 0 past R), xp the zero-padded input
// (conv2d-pad.wgsl, IMG floats per image). f32, NCHW; dy [N,K,OH,OW]. Output part [splits, L], L = K·R + K
// (overwritten): row s holds split s's dW (layout of w) then its dB (left untouched when HAS_BIAS is
// false); reduce-sum-rows.wgsl adds the rows. Bindings: 0 params, 1 xp, 2 dy, 3 pix (vec4u), 4 tab,
// 5 part (read_write).
// One thread computes RK (1–4) blocks of 4 filters × TJ (1–8) blocks of 4 taps (interleaved across the
// workgroup row); workgroup z is the split. Each loop
// iteration takes 4 pixels: one vec4u of pix, 16 dy values per filter block (contiguous in p), 16 xp
// values per tap block, and 64 FMAs into each mat4x4f accumulator (column i = filter i, vec4 over taps).
// With HAS_BIAS every thread also adds up its filters' dy (4 vec4 adds per filter block, cheaper than a
// branch on SwiftShader, where lanes of one SIMD group would run both sides) and the thread holding tap
// block 0 stores them. dB is not a column of ones beside the taps: that made conv2's 288 taps 289, which
// no tile divides (72 tap blocks fit 12 threads × 6 exactly; 73 left the last workgroup mostly idle).
// ALIGNED (OHW % 4 = 0) compiles out the mask of the last, partial pixel quad of an image.
// Why: a GEMM with a long reduction (N·OH·OW) and a small output, so the batch is split; 4 reduction
// steps per iteration and no masks because on SwiftShader every loaded component is a gather and every
// iteration moves the spilled accumulators (see conv2d-gemm.wgsl).

struct Params {
  N: u32,
  NB: u32,
  K: u32,
  R: u32,
  OHW: u32,
  OHW4: u32,
  IMG: u32,
}

override HAS_BIAS: bool = false;
override ALIGNED: bool = true;
override RK: u32 = 4;
override TJ: u32 = 4;
override WGX: u32 = 8;
override WGY: u32 = 8;

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> xp: array<f32>;
@group(0) @binding(2) var<storage, read> dy: array<f32>;
@group(0) @binding(3) var<storage, read> pix: array<vec4u>;
@group(0) @binding(4) var<storage, read> tab: array<u32>;
@group(0) @binding(5) var<storage, read_write> part: array<f32>;

// A block of 4 taps j0 .. j0+3: their table offsets (clamped to the table's zero past R).
struct Taps {
  j0: u32,
  t: vec4u,
}

fn tapsAt(blk: u32) -> Taps {
  let R = params.R;
  let j0 = 4u * blk;
  let t = vec4u(tab[min(j0, R)], tab[min(j0 + 1u, R)], tab[min(j0 + 2u, R)], tab[min(j0 + 3u, R)]);
  return Taps(j0, t);
}

// Column pp = pixel pp's 4 taps (vec4 over the taps).
fn loadX(b: vec4u, tp: Taps) -> mat4x4f {
  let t = tp.t;
  return mat4x4f(
    vec4f(xp[b.x + t.x], xp[b.x + t.y], xp[b.x + t.z], xp[b.x + t.w]),
    vec4f(xp[b.y + t.x], xp[b.y + t.y], xp[b.y + t.z], xp[b.y + t.w]),
    vec4f(xp[b.z + t.x], xp[b.z + t.y], xp[b.z + t.z], xp[b.z + t.w]),
    vec4f(xp[b.w + t.x], xp[b.w + t.y], xp[b.w + t.z], xp[b.w + t.w]),
  );
}

// Column f = filter f's dy at the 4 pixels from offset o (o: filter rows, i: pixel offset); ok masks the
// pixels past the image's end (not ALIGNED only).
fn loadDy(o: vec4u, i: u32, ok: vec4<bool>) -> mat4x4f {
  let a = o + vec4u(i);
  var m = mat4x4f(
    vec4f(dy[a.x], dy[a.x + 1u], dy[a.x + 2u], dy[a.x + 3u]),
    vec4f(dy[a.y], dy[a.y + 1u], dy[a.y + 2u], dy[a.y + 3u]),
    vec4f(dy[a.z], dy[a.z + 1u], dy[a.z + 2u], dy[a.z + 3u]),
    vec4f(dy[a.w], dy[a.w + 1u], dy[a.w + 2u], dy[a.w + 3u]),
  );
  if (!ALIGNED) {
    let z = vec4f(0.0);
    m = mat4x4f(select(z, m[0], ok), select(z, m[1], ok), select(z, m[2], ok), select(z, m[3], ok));
  }
  return m;
}

// acc + x·d for 4×4 blocks as 64 FMAs: column i (filter i) gains Σ_pp x[pp]·d[i][pp].
// @generated include mac4x4 w=x a=d — edit shaders/parts/mac4x4.wgsl, then npm run gen:wgsl
fn mac(acc: mat4x4f, x: mat4x4f, d: mat4x4f) -> mat4x4f {
  var r = acc;
  r[0] = fma(x[0], vec4f(d[0].x), r[0]); r[0] = fma(x[1], vec4f(d[0].y), r[0]);
  r[0] = fma(x[2], vec4f(d[0].z), r[0]); r[0] = fma(x[3], vec4f(d[0].w), r[0]);
  r[1] = fma(x[0], vec4f(d[1].x), r[1]); r[1] = fma(x[1], vec4f(d[1].y), r[1]);
  r[1] = fma(x[2], vec4f(d[1].z), r[1]); r[1] = fma(x[3], vec4f(d[1].w), r[1]);
  r[2] = fma(x[0], vec4f(d[2].x), r[2]); r[2] = fma(x[1], vec4f(d[2].y), r[2]);
  r[2] = fma(x[2], vec4f(d[2].z), r[2]); r[2] = fma(x[3], vec4f(d[2].w), r[2]);
  r[3] = fma(x[0], vec4f(d[3].x), r[3]); r[3] = fma(x[1], vec4f(d[3].y), r[3]);
  r[3] = fma(x[2], vec4f(d[3].z), r[3]); r[3] = fma(x[3], vec4f(d[3].w), r[3]);
  return r;
}
// @end

// Clamped dy row offsets (k·OHW) of filters k0 .. k0+3.
fn dyOffsets(k0: u32) -> vec4u {
  return min(vec4u(k0) + vec4u(0u, 1u, 2u, 3u), vec4u(params.K - 1u)) * params.OHW;
}

fn storeFilter(v: vec4f, k: u32, tp: Taps, s: u32) {
  let p = params;
  if (k >= p.K) {
    return;
  }
  let row = s * (p.K * p.R + p.K) + k * p.R;
  let j = tp.j0;
  if (j < p.R) { part[row + j] = v.x; }
  if (j + 1u < p.R) { part[row + j + 1u] = v.y; }
  if (j + 2u < p.R) { part[row + j + 2u] = v.z; }
  if (j + 3u < p.R) { part[row + j + 3u] = v.w; }
}

fn store(acc: mat4x4f, k0: u32, tp: Taps, s: u32) {
  storeFilter(acc[0], k0, tp, s);
  storeFilter(acc[1], k0 + 1u, tp, s);
  storeFilter(acc[2], k0 + 2u, tp, s);
  storeFilter(acc[3], k0 + 3u, tp, s);
}

// dB of filters k0 .. k0+3 from their dy sums (column f: filter f, vec4 over the 4 pixel lanes).
fn storeBias(sums: mat4x4f, k0: u32, s: u32) {
  let p = params;
  let base = s * (p.K * p.R + p.K) + p.K * p.R;
  let one = vec4f(1.0);
  if (k0 < p.K) { part[base + k0] = dot(sums[0], one); }
  if (k0 + 1u < p.K) { part[base + k0 + 1u] = dot(sums[1], one); }
  if (k0 + 2u < p.K) { part[base + k0 + 2u] = dot(sums[2], one); }
  if (k0 + 3u < p.K) { part[base + k0 + 3u] = dot(sums[3], one); }
}

@compute @workgroup_size(WGX, WGY)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let p = params;
  let s = wg.z;
  let k0 = (wg.y * WGY + lid.y) * RK * 4u;
  let j0 = wg.x * WGX * TJ + lid.x;
  let ta = tapsAt(j0);
  let tb = tapsAt(j0 + WGX);
  // @generated ladder c=c..h i=2..7 — edit the //| template, then npm run gen:wgsl
  //| let t{{c}} = tapsAt(j0 + {{i}}u * WGX);
  let tc = tapsAt(j0 + 2u * WGX);
  let td = tapsAt(j0 + 3u * WGX);
  let te = tapsAt(j0 + 4u * WGX);
  let tf = tapsAt(j0 + 5u * WGX);
  let tg = tapsAt(j0 + 6u * WGX);
  let th = tapsAt(j0 + 7u * WGX);
  // @end
  let do0 = dyOffsets(k0);
  let do1 = dyOffsets(k0 + 4u);
  let do2 = dyOffsets(k0 + 8u);
  let do3 = dyOffsets(k0 + 12u);
  let n0 = s * p.NB;
  let n1 = min(p.N, n0 + p.NB);

  // acc<r><j>: filter block r, tap block j.
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
  // db<r>: filter block r's dy summed over the pixels (HAS_BIAS only).
  var db0 = mat4x4f(); var db1 = mat4x4f(); var db2 = mat4x4f(); var db3 = mat4x4f();
  // One flat loop over the split's pixel quads (n, p4), indices carried by additions and selects.
  let steps = (n1 - min(n0, n1)) * p.OHW4;
  let dyImage = p.K * p.OHW;
  var p4 = 0u;
  var xBase = n0 * p.IMG;
  var dyPix = n0 * dyImage; // dy offset of (n, k = 0, pixel 4·p4)
  for (var step = 0u; step < steps; step++) {
    let b = pix[p4] + vec4u(xBase);
    var ok = vec4<bool>(true);
    if (!ALIGNED) {
      ok = vec4u(4u * p4) + vec4u(0u, 1u, 2u, 3u) < vec4u(p.OHW);
    }
    let d0 = loadDy(do0, dyPix, ok);
    var d1 = mat4x4f(); var d2 = mat4x4f(); var d3 = mat4x4f();
    if (RK > 1u) { d1 = loadDy(do1, dyPix, ok); }
    if (RK > 2u) { d2 = loadDy(do2, dyPix, ok); }
    if (RK > 3u) { d3 = loadDy(do3, dyPix, ok); }
    if (HAS_BIAS) {
      db0 += d0;
      if (RK > 1u) { db1 += d1; }
      if (RK > 2u) { db2 += d2; }
      if (RK > 3u) { db3 += d3; }
    }
    let xa = loadX(b, ta);
    acc0a = mac(acc0a, xa, d0);
    if (RK > 1u) { acc1a = mac(acc1a, xa, d1); }
    if (RK > 2u) { acc2a = mac(acc2a, xa, d2); }
    if (RK > 3u) { acc3a = mac(acc3a, xa, d3); }
    // @generated ladder c=b..h i=1..7 — edit the //| template, then npm run gen:wgsl
    //| if (TJ > {{i}}u) {
    //|   let x{{c}} = loadX(b, t{{c}});
    //|   acc0{{c}} = mac(acc0{{c}}, x{{c}}, d0);
    //|   @for(r=1..3) if (RK > {{r}}u) { acc{{r}}{{c}} = mac(acc{{r}}{{c}}, x{{c}}, d{{r}}); }
    //| }
    if (TJ > 1u) {
      let xb = loadX(b, tb);
      acc0b = mac(acc0b, xb, d0);
      if (RK > 1u) { acc1b = mac(acc1b, xb, d1); }
      if (RK > 2u) { acc2b = mac(acc2b, xb, d2); }
      if (RK > 3u) { acc3b = mac(acc3b, xb, d3); }
    }
    if (TJ > 2u) {
      let xc = loadX(b, tc);
      acc0c = mac(acc0c, xc, d0);
      if (RK > 1u) { acc1c = mac(acc1c, xc, d1); }
      if (RK > 2u) { acc2c = mac(acc2c, xc, d2); }
      if (RK > 3u) { acc3c = mac(acc3c, xc, d3); }
    }
    if (TJ > 3u) {
      let xd = loadX(b, td);
      acc0d = mac(acc0d, xd, d0);
      if (RK > 1u) { acc1d = mac(acc1d, xd, d1); }
      if (RK > 2u) { acc2d = mac(acc2d, xd, d2); }
      if (RK > 3u) { acc3d = mac(acc3d, xd, d3); }
    }
    if (TJ > 4u) {
      let xe = loadX(b, te);
      acc0e = mac(acc0e, xe, d0);
      if (RK > 1u) { acc1e = mac(acc1e, xe, d1); }
      if (RK > 2u) { acc2e = mac(acc2e, xe, d2); }
      if (RK > 3u) { acc3e = mac(acc3e, xe, d3); }
    }
    if (TJ > 5u) {
      let xf = loadX(b, tf);
      acc0f = mac(acc0f, xf, d0);
      if (RK > 1u) { acc1f = mac(acc1f, xf, d1); }
      if (RK > 2u) { acc2f = mac(acc2f, xf, d2); }
      if (RK > 3u) { acc3f = mac(acc3f, xf, d3); }
    }
    if (TJ > 6u) {
      let xg = loadX(b, tg);
      acc0g = mac(acc0g, xg, d0);
      if (RK > 1u) { acc1g = mac(acc1g, xg, d1); }
      if (RK > 2u) { acc2g = mac(acc2g, xg, d2); }
      if (RK > 3u) { acc3g = mac(acc3g, xg, d3); }
    }
    if (TJ > 7u) {
      let xh = loadX(b, th);
      acc0h = mac(acc0h, xh, d0);
      if (RK > 1u) { acc1h = mac(acc1h, xh, d1); }
      if (RK > 2u) { acc2h = mac(acc2h, xh, d2); }
      if (RK > 3u) { acc3h = mac(acc3h, xh, d3); }
    }
    // @end
    // advance (n, p4)
    p4++;
    dyPix += 4u;
    let endImage = p4 == p.OHW4;
    p4 = select(p4, 0u, endImage);
    xBase = select(xBase, xBase + p.IMG, endImage);
    dyPix = select(dyPix, dyPix - 4u * p.OHW4 + dyImage, endImage);
  }

  store(acc0a, k0, ta, s);
  if (RK > 1u) { store(acc1a, k0 + 4u, ta, s); }
  if (RK > 2u) { store(acc2a, k0 + 8u, ta, s); }
  if (RK > 3u) { store(acc3a, k0 + 12u, ta, s); }
  // @generated ladder c=b..h i=1..7 — edit the //| template, then npm run gen:wgsl
  //| if (TJ > {{i}}u) {
  //|   store(acc0{{c}}, k0, t{{c}}, s);
  //|   @for(r=1..3) if (RK > {{r}}u) { store(acc{{r}}{{c}}, k0 + {{4*r}}u, t{{c}}, s); }
  //| }
  if (TJ > 1u) {
    store(acc0b, k0, tb, s);
    if (RK > 1u) { store(acc1b, k0 + 4u, tb, s); }
    if (RK > 2u) { store(acc2b, k0 + 8u, tb, s); }
    if (RK > 3u) { store(acc3b, k0 + 12u, tb, s); }
  }
  if (TJ > 2u) {
    store(acc0c, k0, tc, s);
    if (RK > 1u) { store(acc1c, k0 + 4u, tc, s); }
    if (RK > 2u) { store(acc2c, k0 + 8u, tc, s); }
    if (RK > 3u) { store(acc3c, k0 + 12u, tc, s); }
  }
  if (TJ > 3u) {
    store(acc0d, k0, td, s);
    if (RK > 1u) { store(acc1d, k0 + 4u, td, s); }
    if (RK > 2u) { store(acc2d, k0 + 8u, td, s); }
    if (RK > 3u) { store(acc3d, k0 + 12u, td, s); }
  }
  if (TJ > 4u) {
    store(acc0e, k0, te, s);
    if (RK > 1u) { store(acc1e, k0 + 4u, te, s); }
    if (RK > 2u) { store(acc2e, k0 + 8u, te, s); }
    if (RK > 3u) { store(acc3e, k0 + 12u, te, s); }
  }
  if (TJ > 5u) {
    store(acc0f, k0, tf, s);
    if (RK > 1u) { store(acc1f, k0 + 4u, tf, s); }
    if (RK > 2u) { store(acc2f, k0 + 8u, tf, s); }
    if (RK > 3u) { store(acc3f, k0 + 12u, tf, s); }
  }
  if (TJ > 6u) {
    store(acc0g, k0, tg, s);
    if (RK > 1u) { store(acc1g, k0 + 4u, tg, s); }
    if (RK > 2u) { store(acc2g, k0 + 8u, tg, s); }
    if (RK > 3u) { store(acc3g, k0 + 12u, tg, s); }
  }
  if (TJ > 7u) {
    store(acc0h, k0, th, s);
    if (RK > 1u) { store(acc1h, k0 + 4u, th, s); }
    if (RK > 2u) { store(acc2h, k0 + 8u, th, s); }
    if (RK > 3u) { store(acc3h, k0 + 12u, th, s); }
  }
  // @end
  // The thread with tap block 0 also holds its filters' bias gradient.
  if (HAS_BIAS & (j0 == 0u)) {
    storeBias(db0, k0, s);
    if (RK > 1u) { storeBias(db1, k0 + 4u, s); }
    if (RK > 2u) { storeBias(db2, k0 + 8u, s); }
    if (RK > 3u) { storeBias(db3, k0 + 12u, s); }
  }
}
