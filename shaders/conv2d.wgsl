// conv2d: y[n,k,oh,ow] = b[k] + Σ_{c,fh,fw} w[k,c,fh,fw] · x[n, c, oh·S − PH + fh·D, ow·S − PW + fw·D]
// (zero outside the input), then ReLU when RELU. f32, NCHW; x [N,C,H,W], w [K,C,FH,FW], b [K],
// y [N,K,OH,OW] (overwritten). Bindings: 0 params, 1 x, 2 w, 3 b (read; any buffer when HAS_BIAS is
// false), 4 y (read_write).
// Implicit GEMM: y = W[K, C·FH·FW] · patches[C·FH·FW, pixels], the patch values gathered from x on the
// fly (no im2col buffer). One thread computes RK blocks of 4 filters × TP quads of 4 output pixels; a
// quad is 4 consecutive ow of one output row (rows are padded to a multiple of 4 pixels; the padding is
// computed and not stored), so the row test is shared by the quad. Quads of the threads of a workgroup
// row are interleaved (quad j of thread x is j·WGX + x). Per reduction step (c, fh, fw) a thread loads
// 4·TP input values (zero where the window overhangs) and 4·RK weights and does 16·RK·TP FMAs into
// mat4x4f accumulators (column i = filter i, vec4 over the quad's pixels). The reduction walks c, fh,
// fw as one flat loop with carried indices (no div/mod inside the loop; see the note in main).
// Why this tiling: on SwiftShader (a CPU) big register tiles without workgroup memory win, and loads
// cost more than FMAs; loops are not unrolled and function arrays live in memory, so the tile is
// written out as named accumulators switched by the override constants RK (1–4) and TP (1–2).

struct Params {
  N: u32,
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
}

override HAS_BIAS: bool = false;
override RELU: bool = false;
override RK: u32 = 4;
override TP: u32 = 2;
override WGX: u32 = 8;
override WGY: u32 = 8;

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> w: array<f32>;
@group(0) @binding(3) var<storage, read> b: array<f32>;
@group(0) @binding(4) var<storage, read_write> y: array<f32>;

// Where a quad of output pixels reads: image offset, first input row and column (before fh·D, fw·D).
struct Quad {
  n: u32,
  oh: u32,
  ow: u32,
  nOff: i32,
  ih: i32,
  iw: i32,
}

fn quadAt(q: u32) -> Quad {
  let p = params;
  let owq = (p.OW + 3u) / 4u;
  let total = p.N * p.OH * owq;
  let qc = min(q, total - 1u);
  let n = qc / (p.OH * owq);
  let rem = qc - n * p.OH * owq;
  let oh = rem / owq;
  let ow = (rem - oh * owq) * 4u;
  return Quad(select(p.N, n, q < total), oh, ow, i32(n * p.C * p.H * p.W), i32(oh * p.S) - i32(p.PH), i32(ow * p.S) - i32(p.PW));
}

// x at 4 pixels of one input row (row offset ro, first column iw, columns S apart); 0 outside.
fn loadX(ro: i32, iw: i32, rowOk: bool) -> vec4f {
  let S = i32(params.S);
  let cols = vec4i(iw) + vec4i(0, 1, 2, 3) * S;
  let ok = vec4<bool>(rowOk) & (cols >= vec4i(0)) & (cols < vec4i(i32(params.W)));
  let idx = vec4u(select(vec4i(0), vec4i(ro) + cols, ok));
  return select(vec4f(0.0), vec4f(x[idx.x], x[idx.y], x[idx.z], x[idx.w]), ok);
}

fn loadW(o: vec4u, r: u32) -> vec4f {
  return vec4f(w[o.x + r], w[o.y + r], w[o.z + r], w[o.w + r]);
}

// acc + outer product: column i (filter i) gains wv[i] · xv (4 pixels).
fn rank1(acc: mat4x4f, xv: vec4f, wv: vec4f) -> mat4x4f {
  return mat4x4f(fma(xv, vec4f(wv.x), acc[0]), fma(xv, vec4f(wv.y), acc[1]), fma(xv, vec4f(wv.z), acc[2]), fma(xv, vec4f(wv.w), acc[3]));
}

// Clamped weight-row offsets of filters k0 .. k0+3.
fn wOffsets(k0: u32) -> vec4u {
  let crs = params.C * params.FH * params.FW;
  return min(vec4u(k0) + vec4u(0u, 1u, 2u, 3u), vec4u(params.K - 1u)) * crs;
}

// Writes filter k's 4 pixels of a quad (bias + ReLU), skipping pixels past OW; written out without
// loops or dynamic indexing, which SwiftShader would route through memory (matters when C·FH·FW is small).
fn storeRow(v0: vec4f, k: u32, q: Quad) {
  let p = params;
  if (k >= p.K || q.n >= p.N) {
    return;
  }
  var v = v0;
  if (HAS_BIAS) {
    v += vec4f(b[k]);
  }
  if (RELU) {
    v = max(v, vec4f(0.0));
  }
  let base = (q.n * p.K + k) * p.OH * p.OW + q.oh * p.OW + q.ow;
  let left = p.OW - q.ow;
  y[base] = v.x;
  if (left > 1u) { y[base + 1u] = v.y; }
  if (left > 2u) { y[base + 2u] = v.z; }
  if (left > 3u) { y[base + 3u] = v.w; }
}

fn store(acc: mat4x4f, k0: u32, q: Quad) {
  storeRow(acc[0], k0, q);
  storeRow(acc[1], k0 + 1u, q);
  storeRow(acc[2], k0 + 2u, q);
  storeRow(acc[3], k0 + 3u, q);
}

@compute @workgroup_size(WGX, WGY)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let p = params;
  let k0 = (wg.y * WGY + lid.y) * RK * 4u;
  let qa = quadAt(wg.x * WGX * TP + lid.x);
  let qb = quadAt(wg.x * WGX * TP + WGX + lid.x);
  let wo0 = wOffsets(k0);
  let wo1 = wOffsets(k0 + 4u);
  let wo2 = wOffsets(k0 + 8u);
  let wo3 = wOffsets(k0 + 12u);
  let hw = i32(p.H * p.W);
  let Wi = i32(p.W);
  let D = i32(p.D);

  // acc<r><q>: filters k0 + 4r .. +3, quad q.
  var acc0a = mat4x4f(); var acc1a = mat4x4f(); var acc2a = mat4x4f(); var acc3a = mat4x4f();
  var acc0b = mat4x4f(); var acc1b = mat4x4f(); var acc2b = mat4x4f(); var acc3b = mat4x4f();
  // One flat loop over r = (c, fh, fw): SwiftShader copies every live value at each loop boundary, so
  // a loop nest would move the accumulators several times per step. The indices are carried by
  // additions and selects (no div/mod, no branches).
  let crs = p.C * p.FH * p.FW;
  var fw = 0u;
  var fh = 0u;
  var fwD = 0;
  var fhD = 0;
  var cOff = 0;
  for (var r = 0u; r < crs; r++) {
    let iha = qa.ih + fhD;
    let ihb = qb.ih + fhD;
    let oka = iha >= 0 && iha < i32(p.H);
    let okb = ihb >= 0 && ihb < i32(p.H);
    let xa = loadX(qa.nOff + cOff + iha * Wi, qa.iw + fwD, oka);
    let w0 = loadW(wo0, r);
    acc0a = rank1(acc0a, xa, w0);
    var w1 = vec4f(); var w2 = vec4f(); var w3 = vec4f();
    if (RK > 1u) { w1 = loadW(wo1, r); acc1a = rank1(acc1a, xa, w1); }
    if (RK > 2u) { w2 = loadW(wo2, r); acc2a = rank1(acc2a, xa, w2); }
    if (RK > 3u) { w3 = loadW(wo3, r); acc3a = rank1(acc3a, xa, w3); }
    if (TP > 1u) {
      let xb = loadX(qb.nOff + cOff + ihb * Wi, qb.iw + fwD, okb);
      acc0b = rank1(acc0b, xb, w0);
      if (RK > 1u) { acc1b = rank1(acc1b, xb, w1); }
      if (RK > 2u) { acc2b = rank1(acc2b, xb, w2); }
      if (RK > 3u) { acc3b = rank1(acc3b, xb, w3); }
    }
    // advance (c, fh, fw)
    fw++;
    fwD += D;
    let endRow = fw == p.FW;
    fw = select(fw, 0u, endRow);
    fwD = select(fwD, 0, endRow);
    fh = select(fh, fh + 1u, endRow);
    fhD = select(fhD, fhD + D, endRow);
    let endChan = fh == p.FH;
    fh = select(fh, 0u, endChan);
    fhD = select(fhD, 0, endChan);
    cOff = select(cOff, cOff + hw, endChan);
  }

  store(acc0a, k0, qa);
  if (RK > 1u) { store(acc1a, k0 + 4u, qa); }
  if (RK > 2u) { store(acc2a, k0 + 8u, qa); }
  if (RK > 3u) { store(acc3a, k0 + 12u, qa); }
  if (TP > 1u) {
    store(acc0b, k0, qb);
    if (RK > 1u) { store(acc1b, k0 + 4u, qb); }
    if (RK > 2u) { store(acc2b, k0 + 8u, qb); }
    if (RK > 3u) { store(acc3b, k0 + 12u, qb); }
  }
}
