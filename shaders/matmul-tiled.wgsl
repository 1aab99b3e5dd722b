// matmul-tiled: C[M,N] = op(A)·op(B) (+ bias[N] on every row) (then ReLU), f32, row-major, for hardware
// GPUs. op(A) is A stored [M,K] (TRANS_A = false) or Aᵀ with A stored [K,M]; op(B) is B stored [K,N]
// (TRANS_B = false) or Bᵀ with B stored [N,K]. Dense layers: y = x·Wᵀ + b is TRANS_B, dx = dy·W plain,
// dW = dyᵀ·x TRANS_A. Bindings: 0 params, 1 a and 2 a4 (the same buffer, as f32 and as vec4), 3 b and
// 4 b4 (likewise), 5 bias (read; any buffer when HAS_BIAS is false), 6 c (read_write; overwritten).
// A workgroup of 16 × WGY threads (WGY 8 or 16: 128 or 256 threads) computes a (4·WGY) × 64 block of C.
// Per step of 16 along K it stages the A block (4·WGY × 16) and the B block (16 × 64) in workgroup
// memory, every element loaded once from global memory by one thread (vec4 loads along the stored rows
// when VEC_A / VEC_B: those rows' lengths are multiples of 4), then each thread multiplies its 4 rows ×
// 4 columns out of workgroup memory: 16 accumulators, 16 FMAs per 8 workgroup-memory reads. Loads past
// M, N or K are predicated to 0 (no padded copies); stores past M or N are skipped.
// Why this tiling: on a GPU the operand tiles are shared by the whole workgroup through fast on-chip
// memory (each global value is read once per workgroup, not once per thread), 128–256 threads fill
// whole SIMD groups, and 16 accumulators keep the register count far below what spills (NVIDIA: 255).
// On SwiftShader (a CPU) barriers and workgroup memory are slow: matmul.wgsl serves that profile.

struct Params {
  M: u32,
  N: u32,
  K: u32,
}

override TRANS_A: bool = false;
override TRANS_B: bool = false;
override HAS_BIAS: bool = false;
override RELU: bool = false;
override VEC_A: bool = false;
override VEC_B: bool = false;
override WGY: u32 = 16;

const BK = 16u;
const BN = 64u;

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> a4: array<vec4f>;
@group(0) @binding(3) var<storage, read> b: array<f32>;
@group(0) @binding(4) var<storage, read> b4: array<vec4f>;
@group(0) @binding(5) var<storage, read> bias: array<f32>;
@group(0) @binding(6) var<storage, read_write> c: array<f32>;

// [kk][m] and [kk][n], 16 × 64 floats each (A uses the first 4·WGY columns).
var<workgroup> As: array<f32, 1024>;
var<workgroup> Bs: array<f32, 1024>;

fn loadA(m0: u32, k0: u32, t: u32, threads: u32) {
  let q = params;
  let BM = 4u * WGY;
  if (VEC_A) {
    // BM × 16 values = 4·BM vec4, along k (stored [M,K]) or along m (stored [K,M]).
    for (var e = t; e < 4u * BM; e += threads) {
      if (TRANS_A) {
        let kk = e / (BM / 4u);
        let mq = e - kk * (BM / 4u);
        let m = m0 + 4u * mq;
        let k = k0 + kk;
        var v = vec4f(0.0);
        if (k < q.K && m < q.M) {
          v = a4[(k * q.M + m) / 4u];
        }
        let s = kk * BN + 4u * mq;
        As[s] = v.x; As[s + 1u] = v.y; As[s + 2u] = v.z; As[s + 3u] = v.w;
      } else {
        let mm = e / 4u;
        let kq = e - mm * 4u;
        let m = m0 + mm;
        let k = k0 + 4u * kq;
        var v = vec4f(0.0);
        if (k < q.K && m < q.M) {
          v = a4[(m * q.K + k) / 4u];
        }
        let s = 4u * kq * BN + mm;
        As[s] = v.x; As[s + BN] = v.y; As[s + 2u * BN] = v.z; As[s + 3u * BN] = v.w;
      }
    }
  } else {
    for (var e = t; e < BK * BM; e += threads) {
      var kk: u32;
      var mm: u32;
      if (TRANS_A) {
        kk = e / BM;
        mm = e - kk * BM;
      } else {
        mm = e / BK;
        kk = e - mm * BK;
      }
      let m = m0 + mm;
      let k = k0 + kk;
      var v = 0.0;
      if (k < q.K && m < q.M) {
        v = a[select(m * q.K + k, k * q.M + m, TRANS_A)];
      }
      As[kk * BN + mm] = v;
    }
  }
}

fn loadB(n0: u32, k0: u32, t: u32, threads: u32) {
  let q = params;
  if (VEC_B) {
    for (var e = t; e < 4u * BN; e += threads) {
      if (TRANS_B) {
        let nn = e / 4u;
        let kq = e - nn * 4u;
        let n = n0 + nn;
        let k = k0 + 4u * kq;
        var v = vec4f(0.0);
        if (k < q.K && n < q.N) {
          v = b4[(n * q.K + k) / 4u];
        }
        let s = 4u * kq * BN + nn;
        Bs[s] = v.x; Bs[s + BN] = v.y; Bs[s + 2u * BN] = v.z; Bs[s + 3u * BN] = v.w;
      } else {
        let kk = e / (BN / 4u);
        let nq = e - kk * (BN / 4u);
        let n = n0 + 4u * nq;
        let k = k0 + kk;
        var v = vec4f(0.0);
        if (k < q.K && n < q.N) {
          v = b4[(k * q.N + n) / 4u];
        }
        let s = kk * BN + 4u * nq;
        Bs[s] = v.x; Bs[s + 1u] = v.y; Bs[s + 2u] = v.z; Bs[s + 3u] = v.w;
      }
    }
  } else {
    for (var e = t; e < BK * BN; e += threads) {
      var kk: u32;
      var nn: u32;
      if (TRANS_B) {
        nn = e / BK;
        kk = e - nn * BK;
      } else {
        kk = e / BN;
        nn = e - kk * BN;
      }
      let n = n0 + nn;
      let k = k0 + kk;
      var v = 0.0;
      if (k < q.K && n < q.N) {
        v = b[select(k * q.N + n, n * q.K + k, TRANS_B)];
      }
      Bs[kk * BN + nn] = v;
    }
  }
}

fn store(row: u32, n: u32, v: vec4f) {
  let q = params;
  if (row >= q.M) {
    return;
  }
  for (var j = 0u; j < 4u; j++) {
    if (n + j < q.N) {
      var o = v[j];
      if (HAS_BIAS) {
        o += bias[n + j];
      }
      if (RELU) {
        o = max(o, 0.0);
      }
      c[row * q.N + n + j] = o;
    }
  }
}

@compute @workgroup_size(16, WGY)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) lid: vec3u, @builtin(local_invocation_index) t: u32) {
  let q = params;
  let threads = 16u * WGY;
  let m0 = wg.y * 4u * WGY;
  let n0 = wg.x * BN;
  // @generated include tile-acc — edit shaders/parts/tile-acc.wgsl, then npm run gen:wgsl
  var acc0 = vec4f(0.0);
  var acc1 = vec4f(0.0);
  var acc2 = vec4f(0.0);
  var acc3 = vec4f(0.0);
  let ar = 4u * lid.y;
  let bc = 4u * lid.x;
  // @end
  for (var k0 = 0u; k0 < q.K; k0 += BK) {
    loadA(m0, k0, t, threads);
    loadB(n0, k0, t, threads);
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
  let row = m0 + ar;
  let n = n0 + bc;
  store(row, n, acc0);
  store(row + 1u, n, acc1);
  store(row + 2u, n, acc2);
  store(row + 3u, n, acc3);
}
