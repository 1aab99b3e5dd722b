// matmul (vec4 variant): C[M,N] = op(A)·op(B) (+ bias[N] on every row) (then ReLU), f32, row-major.
// op(A) is A stored [M,K] (TRANS_A = false) or Aᵀ with A stored [K,M] (TRANS_A = true); op(B) is B stored
// [K,N] (TRANS_B = false) or Bᵀ with B stored [N,K] (TRANS_B = true). Dense layers: y = x·Wᵀ + b is
// TRANS_B with W [out,in]; dx = dy·W is plain; dW = dyᵀ·x is TRANS_A.
// Every operand is read as vec4, so this variant needs K % 4 = 0, N % 4 = 0 and, with TRANS_A, M % 4 = 0
// (matmul-scalar.wgsl takes any shape). Bindings: 0 params, 1 a (read), 2 b (read), 3 bias (read; any
// buffer when HAS_BIAS is false), 4 c (read_write; overwritten).
// One thread computes a register tile of RG×4 consecutive rows × TQ column quads (4 floats each). The
// quads of the threads of a workgroup row are interleaved (quad j of thread x is quad j·WGX + x), so
// neighbouring invocations (one SIMD group on SwiftShader) touch neighbouring 16-byte quads of B and C.
// The tile is held as 4×4 blocks in mat4x4f accumulators: per 4 k's, one block of A and one of B are
// loaded (4 vec4 each) and each accumulator takes 64 FMAs (mac()).
// Why this tiling: on SwiftShader (a CPU) big register tiles with vec4 loads and no workgroup memory or
// barriers are fastest (PERFORMANCE-NOTES.md). SwiftShader does not unroll loops and indexes function
// arrays through memory, so the tile is written out as named accumulators; the override constants RG
// (row blocks, 1–4) and TQ (column quads, 1–8) switch blocks on and off (their `if`s
// are constant after specialisation and compile away). 4×4 blocks = 16×16 outputs per thread were
// measured faster than 8×16 on SwiftShader (fewer loaded components per FMA), and 4×8 = 16×32 faster
// still (1 loaded value per 10.7 FMAs instead of 8); matmulTileFor picks TQ = 8 on software adapters.

struct Params {
  M: u32,
  N: u32,
  K: u32,
}

override TRANS_A: bool = false;
override TRANS_B: bool = false;
override HAS_BIAS: bool = false;
override RELU: bool = false;
override RG: u32 = 4;
override TQ: u32 = 4;
override WGX: u32 = 8;
override WGY: u32 = 8;

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> a: array<vec4f>;
@group(0) @binding(2) var<storage, read> b: array<vec4f>;
@group(0) @binding(3) var<storage, read> bias: array<vec4f>;
@group(0) @binding(4) var<storage, read_write> c: array<vec4f>;

// Offsets of a 4-row block of op(A): the 4 row starts (A [M,K], in quads) or the quad of the block in a
// row of A [K,M] (TRANS_A; .x only). Rows past M are clamped: read, never stored.
fn aOffsets(row: u32) -> vec4u {
  let M = params.M;
  if (TRANS_A) {
    return vec4u(min(row, M - 4u) / 4u);
  }
  let K4 = params.K / 4u;
  return vec4u(min(row, M - 1u), min(row + 1u, M - 1u), min(row + 2u, M - 1u), min(row + 3u, M - 1u)) * K4;
}

// Offset of a column quad of op(B): the quad in a row of B [K,N], or (TRANS_B) the start of the quad's
// first column in B [N,K], in quads. Quads past N/4 are clamped.
fn bOffset(quad: u32) -> u32 {
  let q = min(quad, params.N / 4u - 1u);
  if (TRANS_B) {
    return q * params.K;
  }
  return q;
}

// Columns i of the result: op(A)[row i of the block, 4k4 .. 4k4+3].
fn loadA(o: vec4u, k4: u32) -> mat4x4f {
  if (TRANS_A) {
    let M4 = params.M / 4u;
    let r = 4u * k4 * M4 + o.x;
    return transpose(mat4x4f(a[r], a[r + M4], a[r + 2u * M4], a[r + 3u * M4]));
  }
  return mat4x4f(a[o.x + k4], a[o.y + k4], a[o.z + k4], a[o.w + k4]);
}

// Columns kk of the result: op(B)[4k4 + kk, the 4 columns of the quad].
fn loadB(o: u32, k4: u32) -> mat4x4f {
  if (TRANS_B) {
    let K4 = params.K / 4u;
    return transpose(mat4x4f(b[o + k4], b[o + K4 + k4], b[o + 2u * K4 + k4], b[o + 3u * K4 + k4]));
  }
  let N4 = params.N / 4u;
  let r = 4u * k4 * N4 + o;
  return mat4x4f(b[r], b[r + N4], b[r + 2u * N4], b[r + 3u * N4]);
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

// Writes a 4×4 block (column i = row row0 + i) with the bias + ReLU epilogue.
fn store(acc: mat4x4f, row0: u32, quad: u32) {
  let N4 = params.N / 4u;
  if (quad >= N4) {
    return;
  }
  var bv = vec4f(0.0);
  if (HAS_BIAS) {
    bv = bias[quad];
  }
  let rows = array<vec4f, 4>(acc[0], acc[1], acc[2], acc[3]);
  for (var i = 0u; i < 4u; i++) {
    let m = row0 + i;
    if (m < params.M) {
      var v = rows[i] + bv;
      if (RELU) {
        v = max(v, vec4f(0.0));
      }
      c[m * N4 + quad] = v;
    }
  }
}

@compute @workgroup_size(WGX, WGY)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let row0 = (wg.y * WGY + lid.y) * RG * 4u;
  let quad0 = wg.x * WGX * TQ + lid.x;
  let ao0 = aOffsets(row0);
  let ao1 = aOffsets(row0 + 4u);
  let ao2 = aOffsets(row0 + 8u);
  let ao3 = aOffsets(row0 + 12u);
  let bo0 = bOffset(quad0);
  let bo1 = bOffset(quad0 + WGX);
  // @generated ladder i=2..7 — edit the //| template, then npm run gen:wgsl
  //| let bo{{i}} = bOffset(quad0 + {{i}}u * WGX);
  let bo2 = bOffset(quad0 + 2u * WGX);
  let bo3 = bOffset(quad0 + 3u * WGX);
  let bo4 = bOffset(quad0 + 4u * WGX);
  let bo5 = bOffset(quad0 + 5u * WGX);
  let bo6 = bOffset(quad0 + 6u * WGX);
  let bo7 = bOffset(quad0 + 7u * WGX);
  // @end

  // acc<r><q>: rows row0 + 4r .. +3 (as columns), column quad q.
  // @generated ladder r=0..3 — edit the //| template, then npm run gen:wgsl
  //| var acc{{r}}0 = mat4x4f(); var acc{{r}}1 = mat4x4f(); var acc{{r}}2 = mat4x4f(); var acc{{r}}3 = mat4x4f();
  //| var acc{{r}}4 = mat4x4f(); var acc{{r}}5 = mat4x4f(); var acc{{r}}6 = mat4x4f(); var acc{{r}}7 = mat4x4f();
  var acc00 = mat4x4f(); var acc01 = mat4x4f(); var acc02 = mat4x4f(); var acc03 = mat4x4f();
  var acc04 = mat4x4f(); var acc05 = mat4x4f(); var acc06 = mat4x4f(); var acc07 = mat4x4f();
  var acc10 = mat4x4f(); var acc11 = mat4x4f(); var acc12 = mat4x4f(); var acc13 = mat4x4f();
  var acc14 = mat4x4f(); var acc15 = mat4x4f(); var acc16 = mat4x4f(); var acc17 = mat4x4f();
  var acc20 = mat4x4f(); var acc21 = mat4x4f(); var acc22 = mat4x4f(); var acc23 = mat4x4f();
  var acc24 = mat4x4f(); var acc25 = mat4x4f(); var acc26 = mat4x4f(); var acc27 = mat4x4f();
  var acc30 = mat4x4f(); var acc31 = mat4x4f(); var acc32 = mat4x4f(); var acc33 = mat4x4f();
  var acc34 = mat4x4f(); var acc35 = mat4x4f(); var acc36 = mat4x4f(); var acc37 = mat4x4f();
  // @end
  let K4 = params.K / 4u;
  for (var k4 = 0u; k4 < K4; k4++) {
    let b0 = loadB(bo0, k4);
    var b1 = mat4x4f(); var b2 = mat4x4f(); var b3 = mat4x4f(); var b4 = mat4x4f(); var b5 = mat4x4f(); var b6 = mat4x4f(); var b7 = mat4x4f();
    // @generated ladder q=1..7 — edit the //| template, then npm run gen:wgsl
    //| if (TQ > {{q}}u) { b{{q}} = loadB(bo{{q}}, k4); }
    if (TQ > 1u) { b1 = loadB(bo1, k4); }
    if (TQ > 2u) { b2 = loadB(bo2, k4); }
    if (TQ > 3u) { b3 = loadB(bo3, k4); }
    if (TQ > 4u) { b4 = loadB(bo4, k4); }
    if (TQ > 5u) { b5 = loadB(bo5, k4); }
    if (TQ > 6u) { b6 = loadB(bo6, k4); }
    if (TQ > 7u) { b7 = loadB(bo7, k4); }
    // @end
    let a0 = loadA(ao0, k4);
    acc00 = mac(acc00, b0, a0);
    // @generated ladder q=1..7 — edit the //| template, then npm run gen:wgsl
    //| if (TQ > {{q}}u) { acc0{{q}} = mac(acc0{{q}}, b{{q}}, a0); }
    if (TQ > 1u) { acc01 = mac(acc01, b1, a0); }
    if (TQ > 2u) { acc02 = mac(acc02, b2, a0); }
    if (TQ > 3u) { acc03 = mac(acc03, b3, a0); }
    if (TQ > 4u) { acc04 = mac(acc04, b4, a0); }
    if (TQ > 5u) { acc05 = mac(acc05, b5, a0); }
    if (TQ > 6u) { acc06 = mac(acc06, b6, a0); }
    if (TQ > 7u) { acc07 = mac(acc07, b7, a0); }
    // @end
    // @generated ladder r=1..3 — edit the //| template, then npm run gen:wgsl
    //| if (RG > {{r}}u) {
    //|   let a{{r}} = loadA(ao{{r}}, k4);
    //|   acc{{r}}0 = mac(acc{{r}}0, b0, a{{r}});
    //|   @for(q=1..7) if (TQ > {{q}}u) { acc{{r}}{{q}} = mac(acc{{r}}{{q}}, b{{q}}, a{{r}}); }
    //| }
    if (RG > 1u) {
      let a1 = loadA(ao1, k4);
      acc10 = mac(acc10, b0, a1);
      if (TQ > 1u) { acc11 = mac(acc11, b1, a1); }
      if (TQ > 2u) { acc12 = mac(acc12, b2, a1); }
      if (TQ > 3u) { acc13 = mac(acc13, b3, a1); }
      if (TQ > 4u) { acc14 = mac(acc14, b4, a1); }
      if (TQ > 5u) { acc15 = mac(acc15, b5, a1); }
      if (TQ > 6u) { acc16 = mac(acc16, b6, a1); }
      if (TQ > 7u) { acc17 = mac(acc17, b7, a1); }
    }
    if (RG > 2u) {
      let a2 = loadA(ao2, k4);
      acc20 = mac(acc20, b0, a2);
      if (TQ > 1u) { acc21 = mac(acc21, b1, a2); }
      if (TQ > 2u) { acc22 = mac(acc22, b2, a2); }
      if (TQ > 3u) { acc23 = mac(acc23, b3, a2); }
      if (TQ > 4u) { acc24 = mac(acc24, b4, a2); }
      if (TQ > 5u) { acc25 = mac(acc25, b5, a2); }
      if (TQ > 6u) { acc26 = mac(acc26, b6, a2); }
      if (TQ > 7u) { acc27 = mac(acc27, b7, a2); }
    }
    if (RG > 3u) {
      let a3 = loadA(ao3, k4);
      acc30 = mac(acc30, b0, a3);
      if (TQ > 1u) { acc31 = mac(acc31, b1, a3); }
      if (TQ > 2u) { acc32 = mac(acc32, b2, a3); }
      if (TQ > 3u) { acc33 = mac(acc33, b3, a3); }
      if (TQ > 4u) { acc34 = mac(acc34, b4, a3); }
      if (TQ > 5u) { acc35 = mac(acc35, b5, a3); }
      if (TQ > 6u) { acc36 = mac(acc36, b6, a3); }
      if (TQ > 7u) { acc37 = mac(acc37, b7, a3); }
    }
    // @end
  }

  store(acc00, row0, quad0);
  if (TQ > 1u) { store(acc01, row0, quad0 + WGX); }
  // @generated ladder q=2..7 — edit the //| template, then npm run gen:wgsl
  //| if (TQ > {{q}}u) { store(acc0{{q}}, row0, quad0 + {{q}}u * WGX); }
  if (TQ > 2u) { store(acc02, row0, quad0 + 2u * WGX); }
  if (TQ > 3u) { store(acc03, row0, quad0 + 3u * WGX); }
  if (TQ > 4u) { store(acc04, row0, quad0 + 4u * WGX); }
  if (TQ > 5u) { store(acc05, row0, quad0 + 5u * WGX); }
  if (TQ > 6u) { store(acc06, row0, quad0 + 6u * WGX); }
  if (TQ > 7u) { store(acc07, row0, quad0 + 7u * WGX); }
  // @end
  // @generated ladder r=1..3 — edit the //| template, then npm run gen:wgsl
  //| if (RG > {{r}}u) {
  //|   store(acc{{r}}0, row0 + {{4*r}}u, quad0);
  //|   if (TQ > 1u) { store(acc{{r}}1, row0 + {{4*r}}u, quad0 + WGX); }
  //|   @for(q=2..7) if (TQ > {{q}}u) { store(acc{{r}}{{q}}, row0 + {{4*r}}u, quad0 + {{q}}u * WGX); }
  //| }
  if (RG > 1u) {
    store(acc10, row0 + 4u, quad0);
    if (TQ > 1u) { store(acc11, row0 + 4u, quad0 + WGX); }
    if (TQ > 2u) { store(acc12, row0 + 4u, quad0 + 2u * WGX); }
    if (TQ > 3u) { store(acc13, row0 + 4u, quad0 + 3u * WGX); }
    if (TQ > 4u) { store(acc14, row0 + 4u, quad0 + 4u * WGX); }
    if (TQ > 5u) { store(acc15, row0 + 4u, quad0 + 5u * WGX); }
    if (TQ > 6u) { store(acc16, row0 + 4u, quad0 + 6u * WGX); }
    if (TQ > 7u) { store(acc17, row0 + 4u, quad0 + 7u * WGX); }
  }
  if (RG > 2u) {
    store(acc20, row0 + 8u, quad0);
    if (TQ > 1u) { store(acc21, row0 + 8u, quad0 + WGX); }
    if (TQ > 2u) { store(acc22, row0 + 8u, quad0 + 2u * WGX); }
    if (TQ > 3u) { store(acc23, row0 + 8u, quad0 + 3u * WGX); }
    if (TQ > 4u) { store(acc24, row0 + 8u, quad0 + 4u * WGX); }
    if (TQ > 5u) { store(acc25, row0 + 8u, quad0 + 5u * WGX); }
    if (TQ > 6u) { store(acc26, row0 + 8u, quad0 + 6u * WGX); }
    if (TQ > 7u) { store(acc27, row0 + 8u, quad0 + 7u * WGX); }
  }
  if (RG > 3u) {
    store(acc30, row0 + 12u, quad0);
    if (TQ > 1u) { store(acc31, row0 + 12u, quad0 + WGX); }
    if (TQ > 2u) { store(acc32, row0 + 12u, quad0 + 2u * WGX); }
    if (TQ > 3u) { store(acc33, row0 + 12u, quad0 + 3u * WGX); }
    if (TQ > 4u) { store(acc34, row0 + 12u, quad0 + 4u * WGX); }
    if (TQ > 5u) { store(acc35, row0 + 12u, quad0 + 5u * WGX); }
    if (TQ > 6u) { store(acc36, row0 + 12u, quad0 + 6u * WGX); }
    if (TQ > 7u) { store(acc37, row0 + 12u, quad0 + 7u * WGX); }
  }
  // @end
}
