// conv2d-igemm-grad-input: dx[n,c,ih,iw] = Σ_{k,fh,fw} w[k,c,fh,fw] · g[n,k,oh,ow] over the (oh, ow) with
// oh·S − PH + fh·D = ih and ow·S − PW + fw·D = iw (the transposed convolution), f32, NCHW, for hardware
// GPUs: an implicit GEMM with rows = input channels c, columns = input pixels (n, ih, iw), reduction
// r = (k, fh, fw) of length K·FH·FW. The filters are read in their stored layout [K,C,FH,FW]; taps whose
// (oh, ow) is not whole or falls outside the output read 0 (predicated loads: no padded or flipped copy).
// g, the gradient at the convolution's output, is read through one of (overrides):
// - POOL_GRAD: a fused 2×2 stride-2 max-pool followed the convolution; dy is the pooled gradient
//   [N,K,OH/2,OW/2] and g[n,k,oh,ow] = dy[o] where argmax[o] names (oh, ow), else 0 (max-pool-grad.wgsl's
//   routing, done in the load). With RELU_MASK also × (y[o] > 0), y the pooled output (= the winner).
// - RELU_MASK alone: g = dy · (y > 0), y the convolution's (ReLU'd) output.
// - neither: g = dy.
// Bindings: 0 params, 1 dy, 2 w, 3 argmax, 4 y (argmax, y: any buffer when unused), 5 dx (read_write,
// overwritten).
// A workgroup of 16 × WGY threads (128 or 256) computes 4·WGY channels × 64 pixels with both operand
// blocks (16 taps deep) staged in workgroup memory; each thread keeps 4 × 4 accumulators.
// Why: as conv2d-igemm.wgsl; routing the pool's gradient inside the loads saves a dispatch and the
// unpooled gradient's round trip through memory.

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

override POOL_GRAD: bool = false;
override RELU_MASK: bool = false;
override WGY: u32 = 16;

const BK = 16u;
const BN = 64u;

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(2) var<storage, read> w: array<f32>;
@group(0) @binding(3) var<storage, read> argmax: array<u32>;
@group(0) @binding(4) var<storage, read> y: array<f32>;
@group(0) @binding(5) var<storage, read_write> dx: array<f32>;

var<workgroup> As: array<f32, 1024>;
var<workgroup> Bs: array<f32, 1024>;

// g at output pixel (oh, ow) of plane n·K + k.
// @generated include grad-at — edit shaders/parts/grad-at.wgsl, then npm run gen:wgsl
fn grad(plane: u32, oh: u32, ow: u32) -> f32 {
  let q = params;
  if (POOL_GRAD) {
    let POW = q.OW / 2u;
    let o = (plane * (q.OH / 2u) + oh / 2u) * POW + ow / 2u;
    let hit = argmax[o] == (plane * q.OH + oh) * q.OW + ow;
    if (RELU_MASK) {
      return select(0.0, dy[o], hit && y[o] > 0.0);
    }
    return select(0.0, dy[o], hit);
  }
  let i = (plane * q.OH + oh) * q.OW + ow;
  if (RELU_MASK) {
    return select(0.0, dy[i], y[i] > 0.0);
  }
  return dy[i];
}
// @end

// Filters as A[c, r]: w[(k·C + c)·FH·FW + f] for r = k·FH·FW + f.
fn loadW(c0: u32, r0: u32, t: u32, threads: u32) {
  let q = params;
  let BM = 4u * WGY;
  let FHW = q.FH * q.FW;
  for (var e = t; e < BK * BM; e += threads) {
    let mm = e / BK;
    let kk = e - mm * BK;
    let c = c0 + mm;
    let r = r0 + kk;
    var v = 0.0;
    if (c < q.C && r < q.R) {
      let k = r / FHW;
      v = w[(k * q.C + c) * FHW + r - k * FHW];
    }
    As[kk * BN + mm] = v;
  }
}

// This thread's column of the gradient block: input pixel (n, ih, iw), taps r0 + t / 64, ….
fn loadG(r0: u32, col: u32, pix: vec3u, inside: bool, t: u32, threads: u32) {
  let q = params;
  let FHW = q.FH * q.FW;
  let th0 = i32(pix.y + q.PH);
  let tw0 = i32(pix.z + q.PW);
  for (var kk = t / BN; kk < BK; kk += threads / BN) {
    let r = r0 + kk;
    var v = 0.0;
    if (inside && r < q.R) {
      let k = r / FHW;
      let f = r - k * FHW;
      let fh = f / q.FW;
      let fw = f - fh * q.FW;
      let th = th0 - i32(fh * q.D);
      let tw = tw0 - i32(fw * q.D);
      if (th >= 0 && tw >= 0) {
        let oh = u32(th) / q.S;
        let ow = u32(tw) / q.S;
        if (oh * q.S == u32(th) && ow * q.S == u32(tw) && oh < q.OH && ow < q.OW) {
          v = grad(pix.x * q.K + k, oh, ow);
        }
      }
    }
    Bs[kk * BN + col] = v;
  }
}

fn store(c: u32, p0: u32, v: vec4f) {
  let q = params;
  if (c >= q.C) {
    return;
  }
  let HW = q.H * q.W;
  for (var j = 0u; j < 4u; j++) {
    let p = p0 + j;
    if (p < q.NPIX) {
      let n = p / HW;
      dx[(n * q.C + c) * HW + p - n * HW] = v[j];
    }
  }
}

@compute @workgroup_size(16, WGY)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) lid: vec3u, @builtin(local_invocation_index) t: u32) {
  let q = params;
  let threads = 16u * WGY;
  let c0 = wg.y * 4u * WGY;
  let p0 = wg.x * BN;
  let col = t % BN;
  let inside = p0 + col < q.NPIX;
  let p = min(p0 + col, q.NPIX - 1u);
  let HW = q.H * q.W;
  let n = p / HW;
  let ih = (p - n * HW) / q.W;
  let pix = vec3u(n, ih, p - n * HW - ih * q.W);
  // @generated include tile-acc — edit shaders/parts/tile-acc.wgsl, then npm run gen:wgsl
  var acc0 = vec4f(0.0);
  var acc1 = vec4f(0.0);
  var acc2 = vec4f(0.0);
  var acc3 = vec4f(0.0);
  let ar = 4u * lid.y;
  let bc = 4u * lid.x;
  // @end
  for (var r0 = 0u; r0 < q.R; r0 += BK) {
    loadW(c0, r0, t, threads);
    loadG(r0, col, pix, inside, t, threads);
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
  let c = c0 + ar;
  let px = p0 + bc;
  store(c, px, acc0);
  store(c + 1u, px, acc1);
  store(c + 2u, px, acc2);
  store(c + 3u, px, acc3);
}
