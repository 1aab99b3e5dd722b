// matmul (vec4 variant): C[M,N] = op(A)·op(B) (+ bias[N] on every row) (then ReLU), f32, row-major.
// op(A) is A stored [M,K] (TRANS_A = false) or Aᵀ with A stored [K,M] (TRANS_A = true); op(B) is B stored
// [K,N] (TRANS_B = false) or Bᵀ with B stored [N,K] (TRANS_B = true). Dense layers: y = x·Wᵀ + b is
// TRANS_B with W [out,in]; dx = dy·W is plain; dW = dyᵀ·x is TRANS_A.
// Every operand is read as vec4, so this variant needs K % 4 = 0, N % 4 = 0 and, with TRANS_A, M % 4 = 0
// (matmul-scalar.wgsl takes any shape). Bindings: 0 params, 1 a (read), 2 b (read), 3 bias (read; any
// buffer when HAS_BIAS is false), 4 c (read_write; overwritten).
// One thread computes a TM×TN register tile: TM consecutive rows × TN/4 column quads. The quads of the
// threads of a workgroup row are interleaved (quad j of thread x is quad j·WGX + x), so neighbouring
// invocations (one SIMD group on SwiftShader) read and write neighbouring 16-byte quads of B and C.
// Why this tiling: on SwiftShader (a CPU) big register tiles with vec4 loads and no workgroup memory or
// barriers are fastest (PERFORMANCE-NOTES.md); each step over 4 k's does TM + TN loads for 4·TM·TN FMAs.
// Tile sizes are overrides; the register arrays are sized for the largest allowed tile (TM ≤ 16,
// TN ≤ 16, TM·TN ≤ 128) and the loops have constant trip counts, so the compiler unrolls them.

struct Params {
  M: u32,
  N: u32,
  K: u32,
}

override TRANS_A: bool = false;
override TRANS_B: bool = false;
override HAS_BIAS: bool = false;
override RELU: bool = false;
override TM: u32 = 8;
override TN: u32 = 16;
override WGX: u32 = 8;
override WGY: u32 = 8;

const MAX_T = 16u;
const MAX_ACC = 32u;

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> a: array<vec4f>;
@group(0) @binding(2) var<storage, read> b: array<vec4f>;
@group(0) @binding(3) var<storage, read> bias: array<vec4f>;
@group(0) @binding(4) var<storage, read_write> c: array<vec4f>;

@compute @workgroup_size(WGX, WGY)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let M = params.M;
  let N4 = params.N / 4u;
  let K4 = params.K / 4u;
  let M4 = M / 4u;
  let TQ = TN / 4u;
  let row0 = (wg.y * WGY + lid.y) * TM;
  let quad0 = wg.x * WGX * TQ + lid.x;

  // Clamped load offsets: rows past M and quads past N/4 read valid memory and are never stored.
  var aOff: array<u32, MAX_T>;
  for (var i = 0u; i < TM; i++) {
    if (TRANS_A) {
      aOff[i] = min(row0 / 4u + i, M4 - 1u); // quad of row in a row of A [K,M] (only i < TM/4 used)
    } else {
      aOff[i] = min(row0 + i, M - 1u) * K4; // start of row in A [M,K]
    }
  }
  var bOff: array<u32, MAX_T>;
  for (var j = 0u; j < TN; j++) {
    if (TRANS_B) {
      // column n = 4·quad + component, a row of B [N,K]
      bOff[j] = (min(quad0 + (j / 4u) * WGX, N4 - 1u) * 4u + j % 4u) * K4;
    } else {
      bOff[j] = min(quad0 + j * WGX, N4 - 1u); // quad in a row of B [K,N] (only j < TQ used)
    }
  }

  var acc: array<vec4f, MAX_ACC>;
  for (var k4 = 0u; k4 < K4; k4++) {
    // af[i] = op(A)[row0 + i, 4k4 .. 4k4+3]
    var af: array<vec4f, MAX_T>;
    if (TRANS_A) {
      let r = 4u * k4 * M4;
      for (var i4 = 0u; i4 < TM / 4u; i4++) {
        let v0 = a[r + aOff[i4]];
        let v1 = a[r + M4 + aOff[i4]];
        let v2 = a[r + 2u * M4 + aOff[i4]];
        let v3 = a[r + 3u * M4 + aOff[i4]];
        af[4u * i4] = vec4f(v0.x, v1.x, v2.x, v3.x);
        af[4u * i4 + 1u] = vec4f(v0.y, v1.y, v2.y, v3.y);
        af[4u * i4 + 2u] = vec4f(v0.z, v1.z, v2.z, v3.z);
        af[4u * i4 + 3u] = vec4f(v0.w, v1.w, v2.w, v3.w);
      }
    } else {
      for (var i = 0u; i < TM; i++) {
        af[i] = a[aOff[i] + k4];
      }
    }
    // bf[kk·TQ + j] = op(B)[4k4 + kk, quad j]
    var bf: array<vec4f, MAX_T>;
    if (TRANS_B) {
      for (var j = 0u; j < TQ; j++) {
        let v0 = b[bOff[4u * j] + k4];
        let v1 = b[bOff[4u * j + 1u] + k4];
        let v2 = b[bOff[4u * j + 2u] + k4];
        let v3 = b[bOff[4u * j + 3u] + k4];
        bf[j] = vec4f(v0.x, v1.x, v2.x, v3.x);
        bf[TQ + j] = vec4f(v0.y, v1.y, v2.y, v3.y);
        bf[2u * TQ + j] = vec4f(v0.z, v1.z, v2.z, v3.z);
        bf[3u * TQ + j] = vec4f(v0.w, v1.w, v2.w, v3.w);
      }
    } else {
      let r = 4u * k4 * N4;
      for (var kk = 0u; kk < 4u; kk++) {
        for (var j = 0u; j < TQ; j++) {
          bf[kk * TQ + j] = b[r + kk * N4 + bOff[j]];
        }
      }
    }
    for (var kk = 0u; kk < 4u; kk++) {
      for (var i = 0u; i < TM; i++) {
        let s = af[i][kk];
        for (var j = 0u; j < TQ; j++) {
          acc[i * TQ + j] = fma(vec4f(s), bf[kk * TQ + j], acc[i * TQ + j]);
        }
      }
    }
  }

  for (var j = 0u; j < TQ; j++) {
    let q = quad0 + j * WGX;
    if (q >= N4) {
      break;
    }
    var bv = vec4f(0.0);
    if (HAS_BIAS) {
      bv = bias[q];
    }
    for (var i = 0u; i < TM; i++) {
      let m = row0 + i;
      if (m >= M) {
        break;
      }
      var v = acc[i * TQ + j] + bv;
      if (RELU) {
        v = max(v, vec4f(0.0));
      }
      c[m * N4 + q] = v;
    }
  }
}
