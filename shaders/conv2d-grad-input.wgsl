// conv2d-grad-input: dx[n,c,ih,iw] = Σ_{k,fh,fw} dy[n,k,oh,ow] · w[k,c,fh,fw] over the (oh, ow) with
// oh·S − PH + fh·D = ih and ow·S − PW + fw·D = iw (the transposed convolution of conv2d.wgsl).
// f32, NCHW; dy [N,K,OH,OW], w [K,C,FH,FW], dx [N,C,H,W] (overwritten). Bindings: 0 params, 1 dy,
// 2 w, 3 dx (read_write).
// Implicit GEMM over the reduction (k, fh, fw): dx[c, pixels] = Wᵀ[c, K·FH·FW] · dy-patches. One thread
// computes RC blocks of 4 channels × TP quads of 4 input pixels (4 consecutive iw of one row; rows are
// padded to a multiple of 4 and the padding is not stored), interleaved across the workgroup row like
// conv2d.wgsl. Per step (k, fh, fw): 4·TP dy values (0 where no output pixel maps there: out of range,
// or not on the stride grid when S > 1), 4·RC weights, 16·RC·TP FMAs into mat4x4f accumulators.
// Why: the same register-tiled, barrier-free structure as conv2d.wgsl (fast on SwiftShader); the
// reduction is one flat loop with carried indices; S = 1 (the common case) is
// compiled without the stride divisions (override UNIT_STRIDE).

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

// UNIT_STRIDE: S = 1, so every (fh, fw) tap lands on an output pixel and no division is needed.
override UNIT_STRIDE: bool = true;
override RC: u32 = 4;
override TP: u32 = 2;
override WGX: u32 = 8;
override WGY: u32 = 8;

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(2) var<storage, read> w: array<f32>;
@group(0) @binding(3) var<storage, read_write> dx: array<f32>;

// A quad of dx pixels: image n (N when past the end: not stored), row ih, first column iw, the offset
// of image n in dy, and ih + PH, iw + PW (the output-grid coordinates before subtracting fh·D, fw·D).
struct Quad {
  n: u32,
  ih: u32,
  iw: u32,
  nOff: i32,
  th: i32,
  tw: i32,
}

fn quadAt(q: u32) -> Quad {
  let p = params;
  let iwq = (p.W + 3u) / 4u;
  let total = p.N * p.H * iwq;
  let qc = min(q, total - 1u);
  let n = qc / (p.H * iwq);
  let rem = qc - n * p.H * iwq;
  let ih = rem / iwq;
  let iw = (rem - ih * iwq) * 4u;
  return Quad(select(p.N, n, q < total), ih, iw, i32(n * p.K * p.OH * p.OW), i32(ih + p.PH), i32(iw + p.PW));
}

// Output row for t = ih + PH − fh·D: (row index, valid).
fn outRow(t: i32) -> vec2i {
  if (UNIT_STRIDE) {
    return vec2i(t, i32(t >= 0 && t < i32(params.OH)));
  }
  let S = i32(params.S);
  let o = t / S;
  return vec2i(o, i32(t >= 0 && o * S == t && o < i32(params.OH)));
}

// dy at the 4 pixels of a quad for one (k, fh, fw): ro = offset of the dy row, t = iw + PW − fw·D of
// the quad's first pixel.
fn loadDy(ro: i32, t: i32, rowOk: bool) -> vec4f {
  let ts = vec4i(t) + vec4i(0, 1, 2, 3);
  var ow = ts;
  var ok = vec4<bool>(rowOk) & (ts >= vec4i(0));
  if (!UNIT_STRIDE) {
    let S = i32(params.S);
    ow = ts / vec4i(S);
    ok = ok & (ow * S == ts);
  }
  ok = ok & (ow < vec4i(i32(params.OW)));
  let idx = vec4u(select(vec4i(0), vec4i(ro) + ow, ok));
  return select(vec4f(0.0), vec4f(dy[idx.x], dy[idx.y], dy[idx.z], dy[idx.w]), ok);
}

fn loadW(o: vec4u, r: u32) -> vec4f {
  return vec4f(w[o.x + r], w[o.y + r], w[o.z + r], w[o.w + r]);
}

fn rank1(acc: mat4x4f, v: vec4f, wv: vec4f) -> mat4x4f {
  return mat4x4f(fma(v, vec4f(wv.x), acc[0]), fma(v, vec4f(wv.y), acc[1]), fma(v, vec4f(wv.z), acc[2]), fma(v, vec4f(wv.w), acc[3]));
}

// Clamped offsets of channels c0 .. c0+3 inside a filter: c·FH·FW.
fn wOffsets(c0: u32) -> vec4u {
  return min(vec4u(c0) + vec4u(0u, 1u, 2u, 3u), vec4u(params.C - 1u)) * (params.FH * params.FW);
}

fn store(acc: mat4x4f, c0: u32, q: Quad) {
  let p = params;
  if (q.n >= p.N) {
    return;
  }
  let hw = p.H * p.W;
  let cols = array<vec4f, 4>(acc[0], acc[1], acc[2], acc[3]);
  for (var i = 0u; i < 4u; i++) {
    let c = c0 + i;
    if (c >= p.C) {
      return;
    }
    let base = (q.n * p.C + c) * hw + q.ih * p.W + q.iw;
    for (var j = 0u; j < 4u; j++) {
      if (q.iw + j < p.W) {
        dx[base + j] = cols[i][j];
      }
    }
  }
}

@compute @workgroup_size(WGX, WGY)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let p = params;
  let c0 = (wg.y * WGY + lid.y) * RC * 4u;
  let qa = quadAt(wg.x * WGX * TP + lid.x);
  let qb = quadAt(wg.x * WGX * TP + WGX + lid.x);
  let wo0 = wOffsets(c0);
  let wo1 = wOffsets(c0 + 4u);
  let wo2 = wOffsets(c0 + 8u);
  let wo3 = wOffsets(c0 + 12u);
  let ohw = i32(p.OH * p.OW);
  let OWi = i32(p.OW);
  let D = i32(p.D);
  let crs = p.C * p.FH * p.FW;

  var acc0a = mat4x4f(); var acc1a = mat4x4f(); var acc2a = mat4x4f(); var acc3a = mat4x4f();
  var acc0b = mat4x4f(); var acc1b = mat4x4f(); var acc2b = mat4x4f(); var acc3b = mat4x4f();
  // One flat loop over (k, fh, fw) (SwiftShader copies every live value at each loop boundary, so a loop
  // nest would move the accumulators several times per step); indices carried by additions and selects.
  // r = k·C·FH·FW + fh·FW + fw is the weight offset of channel 0.
  let steps = p.K * p.FH * p.FW;
  let fhw = p.FH * p.FW;
  var fw = 0u;
  var fh = 0u;
  var fwD = 0;
  var fhD = 0;
  var kOff = 0;
  var r = 0u;
  for (var step = 0u; step < steps; step++) {
    let ra = outRow(qa.th - fhD);
    let rb = outRow(qb.th - fhD);
    let va = loadDy(qa.nOff + kOff + ra.x * OWi, qa.tw - fwD, ra.y != 0);
    let w0 = loadW(wo0, r);
    acc0a = rank1(acc0a, va, w0);
    var w1 = vec4f(); var w2 = vec4f(); var w3 = vec4f();
    if (RC > 1u) { w1 = loadW(wo1, r); acc1a = rank1(acc1a, va, w1); }
    if (RC > 2u) { w2 = loadW(wo2, r); acc2a = rank1(acc2a, va, w2); }
    if (RC > 3u) { w3 = loadW(wo3, r); acc3a = rank1(acc3a, va, w3); }
    if (TP > 1u) {
      let vb = loadDy(qb.nOff + kOff + rb.x * OWi, qb.tw - fwD, rb.y != 0);
      acc0b = rank1(acc0b, vb, w0);
      if (RC > 1u) { acc1b = rank1(acc1b, vb, w1); }
      if (RC > 2u) { acc2b = rank1(acc2b, vb, w2); }
      if (RC > 3u) { acc3b = rank1(acc3b, vb, w3); }
    }
    // advance (k, fh, fw)
    fw++;
    fwD += D;
    r++;
    let endRow = fw == p.FW;
    fw = select(fw, 0u, endRow);
    fwD = select(fwD, 0, endRow);
    fh = select(fh, fh + 1u, endRow);
    fhD = select(fhD, fhD + D, endRow);
    let endFilter = fh == p.FH;
    fh = select(fh, 0u, endFilter);
    fhD = select(fhD, 0, endFilter);
    kOff = select(kOff, kOff + ohw, endFilter);
    r = select(r, r + crs - fhw, endFilter);
  }

  store(acc0a, c0, qa);
  if (RC > 1u) { store(acc1a, c0 + 4u, qa); }
  if (RC > 2u) { store(acc2a, c0 + 8u, qa); }
  if (RC > 3u) { store(acc3a, c0 + 12u, qa); }
  if (TP > 1u) {
    store(acc0b, c0, qb);
    if (RC > 1u) { store(acc1b, c0 + 4u, qb); }
    if (RC > 2u) { store(acc2b, c0 + 8u, qb); }
    if (RC > 3u) { store(acc3b, c0 + 12u, qb); }
  }
}
