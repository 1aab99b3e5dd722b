// matmul-scalar: the same product as matmul.wgsl, C[M,N] = op(A)·op(B) (+ bias[N]) (then ReLU), for any
// M, N, K (matmul.wgsl needs multiples of 4 to read vec4). f32, row-major; op(A) is A [M,K] or, with
// TRANS_A, Aᵀ of A stored [K,M]; op(B) is B [K,N] or, with TRANS_B, Bᵀ of B stored [N,K].
// Bindings: 0 params, 1 a (read), 2 b (read), 3 bias (read; any buffer when HAS_BIAS is false),
// 4 c (read_write; overwritten).
// One thread computes a TM×TN register tile: TM consecutive rows × TN columns interleaved with the other
// threads of its workgroup row (column j of thread x is j·WGX + x), so neighbouring invocations touch
// neighbouring floats. One k per step: TM + TN scalar loads for TM·TN FMAs.
// Why this tiling: register tiles without workgroup memory are what is fast on SwiftShader; this variant
// serves the small odd-sized products of dense layers (e.g. dy·W with 10 classes), where it is not the
// bottleneck. Register arrays are sized for the largest tile (TM ≤ 16, TN ≤ 16, TM·TN ≤ 128).

struct Params {
  M: u32,
  N: u32,
  K: u32,
}

override TRANS_A: bool = false;
override TRANS_B: bool = false;
override HAS_BIAS: bool = false;
override RELU: bool = false;
override TM: u32 = 4;
override TN: u32 = 8;
override WGX: u32 = 8;
override WGY: u32 = 8;

const MAX_T = 16u;
const MAX_ACC = 128u;

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(3) var<storage, read> bias: array<f32>;
@group(0) @binding(4) var<storage, read_write> c: array<f32>;

@compute @workgroup_size(WGX, WGY)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let M = params.M;
  let N = params.N;
  let K = params.K;
  let row0 = (wg.y * WGY + lid.y) * TM;
  let col0 = wg.x * WGX * TN + lid.x;

  // op(A)[m, k] = a[aOff[i] + k·aStep]; op(B)[k, n] = b[bOff[j] + k·bStep]. Clamped: never out of range.
  let aStep = select(1u, M, TRANS_A);
  let bStep = select(N, 1u, TRANS_B);
  var aOff: array<u32, MAX_T>;
  for (var i = 0u; i < TM; i++) {
    let m = min(row0 + i, M - 1u);
    aOff[i] = select(m * K, m, TRANS_A);
  }
  var bOff: array<u32, MAX_T>;
  for (var j = 0u; j < TN; j++) {
    let n = min(col0 + j * WGX, N - 1u);
    bOff[j] = select(n, n * K, TRANS_B);
  }

  var acc: array<f32, MAX_ACC>;
  var ka = 0u;
  var kb = 0u;
  for (var k = 0u; k < K; k++) {
    var af: array<f32, MAX_T>;
    for (var i = 0u; i < TM; i++) {
      af[i] = a[aOff[i] + ka];
    }
    var bf: array<f32, MAX_T>;
    for (var j = 0u; j < TN; j++) {
      bf[j] = b[bOff[j] + kb];
    }
    for (var i = 0u; i < TM; i++) {
      for (var j = 0u; j < TN; j++) {
        acc[i * TN + j] = fma(af[i], bf[j], acc[i * TN + j]);
      }
    }
    ka += aStep;
    kb += bStep;
  }

  for (var j = 0u; j < TN; j++) {
    let n = col0 + j * WGX;
    if (n >= N) {
      break;
    }
    var bv = 0.0;
    if (HAS_BIAS) {
      bv = bias[n];
    }
    for (var i = 0u; i < TM; i++) {
      let m = row0 + i;
      if (m >= M) {
        break;
      }
      var v = acc[i * TN + j] + bv;
      if (RELU) {
        v = max(v, 0.0);
      }
      c[m * N + n] = v;
    }
  }
}
