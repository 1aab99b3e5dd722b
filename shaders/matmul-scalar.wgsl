// matmul-scalar: the product of matmul.wgsl, C[M,N] = op(A)·op(B) (+ bias[N]) (then ReLU), for any M, N,
// K (matmul.wgsl reads vec4 and needs multiples of 4). f32, row-major; op(A) is A [M,K] or, with TRANS_A,
// Aᵀ of A stored [K,M]; op(B) is B [K,N] or, with TRANS_B, Bᵀ of B stored [N,K].
// Bindings: 0 params, 1 a (read), 2 b (read), 3 bias (read; any buffer when HAS_BIAS is false),
// 4 c (read_write; overwritten).
// Same tiling as matmul.wgsl (RG×4 rows × TQ interleaved quads of 4 columns per thread, mat4x4f block
// accumulators, blocks switched by override constants), but every element is a scalar load with its index
// clamped into range; the last, partial step over 4 k's multiplies the missing k's of B by 0.
// Why: dense layers have odd sizes (10 classes, any batch); this keeps them on the same fast structure.

struct Params {
  M: u32,
  N: u32,
  K: u32,
}

override TRANS_A: bool = false;
override TRANS_B: bool = false;
override HAS_BIAS: bool = false;
override RELU: bool = false;
override RG: u32 = 2;
override TQ: u32 = 4;
override WGX: u32 = 8;
override WGY: u32 = 8;

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(3) var<storage, read> bias: array<f32>;
@group(0) @binding(4) var<storage, read_write> c: array<f32>;

// op(A)[m, k] = a[aOffsets(m)[i] + kA[kk]]: row offsets of a 4-row block (rows past M clamped).
fn aOffsets(row: u32) -> vec4u {
  let last = params.M - 1u;
  let m = min(vec4u(row) + vec4u(0u, 1u, 2u, 3u), vec4u(last));
  return select(m * params.K, m, TRANS_A);
}

// op(B)[k, n] = b[bOffsets(quad)[c] + kB[kk]]: offsets of the 4 columns of a quad (past N clamped).
fn bOffsets(quad: u32) -> vec4u {
  let last = params.N - 1u;
  let n = min(vec4u(4u * quad) + vec4u(0u, 1u, 2u, 3u), vec4u(last));
  return select(n, n * params.K, TRANS_B);
}

// Column i: op(A)[row i of the block, k + 0..3].
fn loadA(o: vec4u, kA: vec4u) -> mat4x4f {
  return mat4x4f(
    vec4f(a[o.x + kA.x], a[o.x + kA.y], a[o.x + kA.z], a[o.x + kA.w]),
    vec4f(a[o.y + kA.x], a[o.y + kA.y], a[o.y + kA.z], a[o.y + kA.w]),
    vec4f(a[o.z + kA.x], a[o.z + kA.y], a[o.z + kA.z], a[o.z + kA.w]),
    vec4f(a[o.w + kA.x], a[o.w + kA.y], a[o.w + kA.z], a[o.w + kA.w]));
}

// Column kk: op(B)[k + kk, the 4 columns of the quad] · mask[kk] (0 for k + kk ≥ K).
fn loadB(o: vec4u, kB: vec4u, mask: vec4f) -> mat4x4f {
  return mat4x4f(
    vec4f(b[o.x + kB.x], b[o.y + kB.x], b[o.z + kB.x], b[o.w + kB.x]) * mask.x,
    vec4f(b[o.x + kB.y], b[o.y + kB.y], b[o.z + kB.y], b[o.w + kB.y]) * mask.y,
    vec4f(b[o.x + kB.z], b[o.y + kB.z], b[o.z + kB.z], b[o.w + kB.z]) * mask.z,
    vec4f(b[o.x + kB.w], b[o.y + kB.w], b[o.z + kB.w], b[o.w + kB.w]) * mask.w);
}

// acc + b·a for 4×4 blocks, written as 64 FMAs (a matrix product would round mul and add separately):
// column i of the result gains Σ_kk b[kk]·a[i][kk].
// @generated include mac4x4 w=b a=a — edit shaders/parts/mac4x4.wgsl, then npm run gen:wgsl
fn mac(acc: mat4x4f, b: mat4x4f, a: mat4x4f) -> mat4x4f {
  var r = acc;
  r[0] = fma(b[0], vec4f(a[0].x), r[0]); r[0] = fma(b[1], vec4f(a[0].y), r[0]);
  r[0] = fma(b[2], vec4f(a[0].z), r[0]); r[0] = fma(b[3], vec4f(a[0].w), r[0]);
  r[1] = fma(b[0], vec4f(a[1].x), r[1]); r[1] = fma(b[1], vec4f(a[1].y), r[1]);
  r[1] = fma(b[2], vec4f(a[1].z), r[1]); r[1] = fma(b[3], vec4f(a[1].w), r[1]);
  r[2] = fma(b[0], vec4f(a[2].x), r[2]); r[2] = fma(b[1], vec4f(a[2].y), r[2]);
  r[2] = fma(b[2], vec4f(a[2].z), r[2]); r[2] = fma(b[3], vec4f(a[2].w), r[2]);
  r[3] = fma(b[0], vec4f(a[3].x), r[3]); r[3] = fma(b[1], vec4f(a[3].y), r[3]);
  r[3] = fma(b[2], vec4f(a[3].z), r[3]); r[3] = fma(b[3], vec4f(a[3].w), r[3]);
  return r;
}
// @end

// Writes a 4×4 block (column i = row row0 + i, quad = columns 4·quad .. +3) with bias + ReLU.
fn store(acc: mat4x4f, row0: u32, quad: u32) {
  let N = params.N;
  let rows = array<vec4f, 4>(acc[0], acc[1], acc[2], acc[3]);
  for (var cc = 0u; cc < 4u; cc++) {
    let n = 4u * quad + cc;
    if (n >= N) {
      return;
    }
    var bv = 0.0;
    if (HAS_BIAS) {
      bv = bias[n];
    }
    for (var i = 0u; i < 4u; i++) {
      let m = row0 + i;
      if (m < params.M) {
        var v = rows[i][cc] + bv;
        if (RELU) {
          v = max(v, 0.0);
        }
        c[m * N + n] = v;
      }
    }
  }
}

@compute @workgroup_size(WGX, WGY)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let K = params.K;
  let row0 = (wg.y * WGY + lid.y) * RG * 4u;
  let quad0 = wg.x * WGX * TQ + lid.x;
  let ao0 = aOffsets(row0);
  let ao1 = aOffsets(row0 + 4u);
  let ao2 = aOffsets(row0 + 8u);
  let ao3 = aOffsets(row0 + 12u);
  let bo0 = bOffsets(quad0);
  let bo1 = bOffsets(quad0 + WGX);
  let bo2 = bOffsets(quad0 + 2u * WGX);
  let bo3 = bOffsets(quad0 + 3u * WGX);
  let aStride = select(1u, params.M, TRANS_A);
  let bStride = select(params.N, 1u, TRANS_B);

  var acc00 = mat4x4f(); var acc01 = mat4x4f(); var acc02 = mat4x4f(); var acc03 = mat4x4f();
  var acc10 = mat4x4f(); var acc11 = mat4x4f(); var acc12 = mat4x4f(); var acc13 = mat4x4f();
  var acc20 = mat4x4f(); var acc21 = mat4x4f(); var acc30 = mat4x4f(); var acc31 = mat4x4f();
  for (var k = 0u; k < K; k += 4u) {
    let ks = vec4u(k) + vec4u(0u, 1u, 2u, 3u);
    let kc = min(ks, vec4u(K - 1u));
    let mask = select(vec4f(0.0), vec4f(1.0), ks < vec4u(K));
    let kA = kc * aStride;
    let kB = kc * bStride;
    let b0 = loadB(bo0, kB, mask);
    var b1 = mat4x4f(); var b2 = mat4x4f(); var b3 = mat4x4f();
    if (TQ > 1u) { b1 = loadB(bo1, kB, mask); }
    if (TQ > 2u) { b2 = loadB(bo2, kB, mask); }
    if (TQ > 3u) { b3 = loadB(bo3, kB, mask); }
    let a0 = loadA(ao0, kA);
    acc00 = mac(acc00, b0, a0);
    if (TQ > 1u) { acc01 = mac(acc01, b1, a0); }
    if (TQ > 2u) { acc02 = mac(acc02, b2, a0); }
    if (TQ > 3u) { acc03 = mac(acc03, b3, a0); }
    if (RG > 1u) {
      let a1 = loadA(ao1, kA);
      acc10 = mac(acc10, b0, a1);
      if (TQ > 1u) { acc11 = mac(acc11, b1, a1); }
      if (TQ > 2u) { acc12 = mac(acc12, b2, a1); }
      if (TQ > 3u) { acc13 = mac(acc13, b3, a1); }
    }
    if (RG > 2u) {
      let a2 = loadA(ao2, kA);
      acc20 = mac(acc20, b0, a2);
      if (TQ > 1u) { acc21 = mac(acc21, b1, a2); }
    }
    if (RG > 3u) {
      let a3 = loadA(ao3, kA);
      acc30 = mac(acc30, b0, a3);
      if (TQ > 1u) { acc31 = mac(acc31, b1, a3); }
    }
  }

  store(acc00, row0, quad0);
  if (TQ > 1u) { store(acc01, row0, quad0 + WGX); }
  if (TQ > 2u) { store(acc02, row0, quad0 + 2u * WGX); }
  if (TQ > 3u) { store(acc03, row0, quad0 + 3u * WGX); }
  if (RG > 1u) {
    store(acc10, row0 + 4u, quad0);
    if (TQ > 1u) { store(acc11, row0 + 4u, quad0 + WGX); }
    if (TQ > 2u) { store(acc12, row0 + 4u, quad0 + 2u * WGX); }
    if (TQ > 3u) { store(acc13, row0 + 4u, quad0 + 3u * WGX); }
  }
  if (RG > 2u) {
    store(acc20, row0 + 8u, quad0);
    if (TQ > 1u) { store(acc21, row0 + 8u, quad0 + WGX); }
  }
  if (RG > 3u) {
    store(acc30, row0 + 12u, quad0);
    if (TQ > 1u) { store(acc31, row0 + 12u, quad0 + WGX); }
  }
}
