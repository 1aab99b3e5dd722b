// conv2d-igemm: y[n,k,oh,ow] = b[k] + Σ_{c,fh,fw} w[k,c,fh,fw] · x[n,c,oh·S − PH + fh·D, ow·S − PW + fw·D]
// (then ReLU when RELU), f32, NCHW, for hardware GPUs: the forward convolution as an implicit GEMM with
// rows = filters k (A = w in its stored layout [K, R], R = C·FH·FW), columns = output pixels p and
// reduction r = (c, fh, fw); the input patch (B) is gathered on the fly, taps outside the image read as
// 0 (predicated loads, no padded copy). Bindings: 0 params, 1 x, 2 w and 3 w4 (the filters as f32 and as
// vec4: read as vec4 when VEC_W, R % 4 = 0), 4 b (read; any buffer when HAS_BIAS is false), 5 y
// (read_write, overwritten), 6 argmax (read_write; written only when POOL).
// POOL (override): a 2×2, stride-2 max-pool in the epilogue (OH, OW even). Pixels are then numbered window
// by window (p = 4·window + corner, corners row-major), so a thread's 4 columns are one window: bias and
// ReLU are applied, the maximum (the first in row-major order on ties, as max-pool.wgsl) goes to y
// [N,K,OH/2,OW/2] and the winner's flat index in the unpooled [N,K,OH,OW] output to argmax.
// A workgroup of 16 × WGY threads (128 or 256) computes 4·WGY filters × 64 pixels; per 16 taps it stages
// the filter block and the patch block in workgroup memory, then each thread takes 4 filters × 4 pixels
// (16 accumulators) from there. A thread gathers patch values for one pixel column only, so it splits
// its pixel into (n, oh, ow) once; per tap it splits r into (c, fh, fw).
// Why: on a GPU every patch value is fetched once per workgroup and reused by 4·WGY filters out of on-chip
// memory, workgroups fill whole SIMD groups, and 16 accumulators never spill. conv2d-gemm.wgsl (padded
// copy, big register tiles, no barriers) serves SwiftShader.

struct Params {
  NPIX: u32,
  // @generated include conv-shape-fields — edit shaders/parts/conv-shape-fields.wgsl, then npm run gen:wgsl
  C: u32,
  H: u32,
  W: u32,
  K: u32,
  FH: u32,
  FW: u32,
  S: u32,
  PH: u32,
  PW: u32,
  D: u32,
  OH: u32,
  OW: u32,
  // @end
  R: u32,
}

override HAS_BIAS: bool = false;
override RELU: bool = false;
override POOL: bool = false;
override VEC_W: bool = false;
override WGY: u32 = 16;

const BK = 16u;
const BN = 64u;

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> w: array<f32>;
@group(0) @binding(3) var<storage, read> w4: array<vec4f>;
@group(0) @binding(4) var<storage, read> b: array<f32>;
@group(0) @binding(5) var<storage, read_write> y: array<f32>;
@group(0) @binding(6) var<storage, read_write> argmax: array<u32>;

var<workgroup> As: array<f32, 1024>;
var<workgroup> Bs: array<f32, 1024>;

// Pixel p → (n, oh, ow) in plain order (n·OH·OW + oh·OW + ow) or, when POOL, window order.
fn pixel(p: u32) -> vec3u {
  let q = params;
  if (POOL) {
    let win = p / 4u;
    let corner = p - 4u * win;
    let POW = q.OW / 2u;
    let POHW = (q.OH / 2u) * POW;
    let n = win / POHW;
    let rem = win - n * POHW;
    let ph = rem / POW;
    return vec3u(n, 2u * ph + corner / 2u, 2u * (rem - ph * POW) + corner % 2u);
  }
  let OHW = q.OH * q.OW;
  let n = p / OHW;
  let rem = p - n * OHW;
  let oh = rem / q.OW;
  return vec3u(n, oh, rem - oh * q.OW);
}

fn loadW(k0: u32, r0: u32, t: u32, threads: u32) {
  let q = params;
  let BM = 4u * WGY;
  if (VEC_W) {
    for (var e = t; e < 4u * BM; e += threads) {
      let mm = e / 4u;
      let rq = e - mm * 4u;
      let k = k0 + mm;
      let r = r0 + 4u * rq;
      var v = vec4f(0.0);
      if (k < q.K && r < q.R) {
        v = w4[(k * q.R + r) / 4u];
      }
      let s = 4u * rq * BN + mm;
      As[s] = v.x; As[s + BN] = v.y; As[s + 2u * BN] = v.z; As[s + 3u * BN] = v.w;
    }
  } else {
    for (var e = t; e < BK * BM; e += threads) {
      let mm = e / BK;
      let kk = e - mm * BK;
      let k = k0 + mm;
      let r = r0 + kk;
      var v = 0.0;
      if (k < q.K && r < q.R) {
        v = w[k * q.R + r];
      }
      As[kk * BN + mm] = v;
    }
  }
}

// The patch block: this thread's column `col` (pixel pix, valid when inside) for taps r0 + row, row =
// t / 64, t / 64 + threads / 64, ….
fn loadX(r0: u32, col: u32, pix: vec3u, inside: bool, t: u32, threads: u32) {
  let q = params;
  let FHW = q.FH * q.FW;
  let ih0 = i32(pix.y * q.S) - i32(q.PH);
  let iw0 = i32(pix.z * q.S) - i32(q.PW);
  for (var kk = t / BN; kk < BK; kk += threads / BN) {
    let r = r0 + kk;
    var v = 0.0;
    if (inside && r < q.R) {
      let c = r / FHW;
      let f = r - c * FHW;
      let fh = f / q.FW;
      let fw = f - fh * q.FW;
      let ih = ih0 + i32(fh * q.D);
      let iw = iw0 + i32(fw * q.D);
      if (ih >= 0 && ih < i32(q.H) && iw >= 0 && iw < i32(q.W)) {
        v = x[((pix.x * q.C + c) * q.H + u32(ih)) * q.W + u32(iw)];
      }
    }
    Bs[kk * BN + col] = v;
  }
}

fn epilogue(v: f32, k: u32) -> f32 {
  var o = v;
  if (HAS_BIAS) {
    o += b[k];
  }
  if (RELU) {
    o = max(o, 0.0);
  }
  return o;
}

// Filter k's 4 pixels p0 .. p0 + 3 (one window when POOL).
fn store(k: u32, p0: u32, v: vec4f) {
  let q = params;
  if (k >= q.K || p0 >= q.NPIX) {
    return;
  }
  let OHW = q.OH * q.OW;
  if (POOL) {
    var best = epilogue(v.x, k);
    var at = 0u;
    for (var j = 1u; j < 4u; j++) {
      let o = epilogue(v[j], k);
      if (o > best) {
        best = o;
        at = j;
      }
    }
    let px = pixel(p0 + at);
    let POHW = OHW / 4u;
    let win = p0 / 4u;
    let n = win / POHW;
    let o = (n * q.K + k) * POHW + win - n * POHW;
    y[o] = best;
    argmax[o] = (n * q.K + k) * OHW + px.y * q.OW + px.z;
    return;
  }
  for (var j = 0u; j < 4u; j++) {
    let p = p0 + j;
    if (p < q.NPIX) {
      let n = p / OHW;
      y[(n * q.K + k) * OHW + p - n * OHW] = epilogue(v[j], k);
    }
  }
}

@compute @workgroup_size(16, WGY)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) lid: vec3u, @builtin(local_invocation_index) t: u32) {
  let q = params;
  let threads = 16u * WGY;
  let k0 = wg.y * 4u * WGY;
  let p0 = wg.x * BN;
  // The pixel column this thread gathers for the patch block.
  let col = t % BN;
  let inside = p0 + col < q.NPIX;
  let pix = pixel(min(p0 + col, q.NPIX - 1u));
  // @generated include tile-acc — edit shaders/parts/tile-acc.wgsl, then npm run gen:wgsl
  var acc0 = vec4f(0.0);
  var acc1 = vec4f(0.0);
  var acc2 = vec4f(0.0);
  var acc3 = vec4f(0.0);
  let ar = 4u * lid.y;
  let bc = 4u * lid.x;
  // @end
  for (var r0 = 0u; r0 < q.R; r0 += BK) {
    loadW(k0, r0, t, threads);
    loadX(r0, col, pix, inside, t, threads);
    // @generated include tile-mac — edit shaders/parts/tile-mac.wgsl, then npm run gen:wgsl
    workgroupBarrier();
    for (var kk = 0u; kk < BK; kk++) {
      let s = kk * BN;
      let av = vec4f(As[s + ar], As[s + ar + 1u], As[s + ar + 2u], As[s + ar + 3u]);
      let bv = vec4f(Bs[s + bc], Bs[s + bc + 1u], Bs[s + bc + 2u], Bs[s + bc + 3u]);
      acc0 += av.x * bv;
      acc1 += av.y * bv;
      acc2 += av.z * bv;
      acc3 += av.w * bv;
    }
    workgroupBarrier();
    // @end
  }
  let k = k0 + ar;
  let p = p0 + bc;
  store(k, p, acc0);
  store(k + 1u, p, acc1);
  store(k + 2u, p, acc2);
  store(k + 3u, p, acc3);
}
