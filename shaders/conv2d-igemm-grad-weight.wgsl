// conv2d-igemm-grad-weight: per batch split z (images z·NB .. z·NB + NB − 1), the partial filter gradient
// part[z·L + k·R + r] = Σ_{n in split, oh, ow} g[n,k,oh,ow] · x[n,c,oh·S − PH + fh·D, ow·S − PW + fw·D]
// for r = (c, fh, fw) < R = C·FH·FW, and with HAS_BIAS the partial bias gradient part[z·L + K·R + k] =
// Σ g[n,k,oh,ow] (a column of ones beside the taps); L = K·R + K. reduce-sum-rows.wgsl adds the splits.
// f32, NCHW, for hardware GPUs: an implicit GEMM with rows = filters k, columns = taps r, reduction over
// the split's output pixels; taps outside the image read 0 (predicated loads, no padded copy).
// g is read as in conv2d-igemm-grad-input.wgsl: through a fused max-pool's argmax (POOL_GRAD, dy pooled),
// with the ReLU's derivative (RELU_MASK, from y), or plain.
// Bindings: 0 params, 1 x, 2 dy, 3 argmax, 4 y (argmax, y: any buffer when unused), 5 part (read_write).
// A workgroup of 16 × WGY threads (128 or 256) computes 4·WGY filters × 64 taps; per 16 pixels it stages
// the gradient block and the patch block in workgroup memory; each thread keeps 4 × 4 accumulators. The
// batch is split over the dispatch's z so the GPU has enough workgroups (a layer's filters are few).
// Why: as conv2d-igemm.wgsl; the split trades a small partial-sum buffer for a full GPU.

struct Params {
  N: u32,
  NB: u32,
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
  L: u32,
}

override HAS_BIAS: bool = false;
override POOL_GRAD: bool = false;
override RELU_MASK: bool = false;
override WGY: u32 = 16;

const BK = 16u;
const BN = 64u;

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> dy: array<f32>;
@group(0) @binding(3) var<storage, read> argmax: array<u32>;
@group(0) @binding(4) var<storage, read> y: array<f32>;
@group(0) @binding(5) var<storage, read_write> part: array<f32>;

var<workgroup> As: array<f32, 1024>;
var<workgroup> Bs: array<f32, 1024>;

// g at output pixel (oh, ow) of plane n·K + k (conv2d-igemm-grad-input.wgsl's routing).
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

// Pixel p (of the whole batch, plain order) → (n, oh, ow).
fn pixel(p: u32) -> vec3u {
  let q = params;
  let OHW = q.OH * q.OW;
  let n = p / OHW;
  let rem = p - n * OHW;
  let oh = rem / q.OW;
  return vec3u(n, oh, rem - oh * q.OW);
}

// The gradient block A[kk][mm] = g[k0 + mm at pixel p0 + kk]: this thread's pixel row is t % 16.
fn loadG(k0: u32, p0: u32, pEnd: u32, t: u32, threads: u32) {
  let q = params;
  let BM = 4u * WGY;
  let kk = t % BK;
  let p = p0 + kk;
  let px = pixel(min(p, pEnd - 1u));
  for (var mm = t / BK; mm < BM; mm += threads / BK) {
    let k = k0 + mm;
    var v = 0.0;
    if (p < pEnd && k < q.K) {
      v = grad(px.x * q.K + k, px.y, px.z);
    }
    As[kk * BN + mm] = v;
  }
}

// The patch block B[kk][col] = x at tap r (this thread's column, t % 64) of pixel p0 + kk; the bias
// column r = R reads 1.
fn loadX(p0: u32, pEnd: u32, col: u32, r: u32, t: u32, threads: u32) {
  let q = params;
  let FHW = q.FH * q.FW;
  let c = r / FHW;
  let f = r - c * FHW;
  let fh = f / q.FW;
  let fw = f - fh * q.FW;
  for (var kk = t / BN; kk < BK; kk += threads / BN) {
    let p = p0 + kk;
    var v = 0.0;
    if (p < pEnd) {
      if (r < q.R) {
        let px = pixel(p);
        let ih = i32(px.y * q.S + fh * q.D) - i32(q.PH);
        let iw = i32(px.z * q.S + fw * q.D) - i32(q.PW);
        if (ih >= 0 && ih < i32(q.H) && iw >= 0 && iw < i32(q.W)) {
          v = x[((px.x * q.C + c) * q.H + u32(ih)) * q.W + u32(iw)];
        }
      } else if (HAS_BIAS && r == q.R) {
        v = 1.0;
      }
    }
    Bs[kk * BN + col] = v;
  }
}

fn store(z: u32, k: u32, r0: u32, v: vec4f) {
  let q = params;
  if (k >= q.K) {
    return;
  }
  for (var j = 0u; j < 4u; j++) {
    let r = r0 + j;
    if (r < q.R) {
      part[z * q.L + k * q.R + r] = v[j];
    } else if (HAS_BIAS && r == q.R) {
      part[z * q.L + q.K * q.R + k] = v[j];
    }
  }
}

@compute @workgroup_size(16, WGY)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) lid: vec3u, @builtin(local_invocation_index) t: u32) {
  let q = params;
  let threads = 16u * WGY;
  let k0 = wg.y * 4u * WGY;
  let r0 = wg.x * BN;
  let z = wg.z;
  let OHW = q.OH * q.OW;
  let pStart = z * q.NB * OHW;
  let pEnd = min((z + 1u) * q.NB, q.N) * OHW;
  let col = t % BN;
  // @generated include tile-acc — edit shaders/parts/tile-acc.wgsl, then npm run gen:wgsl
  var acc0 = vec4f(0.0);
  var acc1 = vec4f(0.0);
  var acc2 = vec4f(0.0);
  var acc3 = vec4f(0.0);
  let ar = 4u * lid.y;
  let bc = 4u * lid.x;
  // @end
  for (var p0 = pStart; p0 < pEnd; p0 += BK) {
    loadG(k0, p0, pEnd, t, threads);
    loadX(p0, pEnd, col, r0 + col, t, threads);
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
  let r = r0 + bc;
  store(z, k, r, acc0);
  store(z, k + 1u, r, acc1);
  store(z, k + 2u, r, acc2);
  store(z, k + 3u, r, acc3);
}
