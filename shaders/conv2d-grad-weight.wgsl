// conv2d-grad-weight: partial sums of dW[k,c,fh,fw] = Σ_{n,oh,ow} dy[n,k,oh,ow] · x[n, c, oh·S − PH + fh·D,
// ow·S − PW + fw·D] (zero outside x) and, when HAS_BIAS, of dB[k] = Σ_{n,oh,ow} dy[n,k,oh,ow], over the
// images of one batch split: split s sums n in [s·NB, min(N, (s+1)·NB)).
// f32, NCHW; x [N,C,H,W], dy [N,K,OH,OW]. Output part [splits, L] with L = K·C·FH·FW + K (overwritten):
// row s holds split s's dW (K·C·FH·FW values, layout of w) then its dB (K values; left untouched when
// HAS_BIAS is false). reduce-sum-rows.wgsl adds the rows into dw and db. Bindings: 0 params, 1 x, 2 dy,
// 3 part (read_write).
// Implicit GEMM: dW[K, C·FH·FW (+1 bias column of ones)] = dy[K, pixels] · patchesᵀ[pixels, C·FH·FW (+1)].
// One thread computes RK blocks of 4 filters × TJ quads of 4 columns (c, fh, fw) (interleaved across the
// workgroup row); workgroup z is the split. Per output pixel it loads 4·RK dy values and 4·TJ input
// values (masked where the window overhangs) and does 16·RK·TJ FMAs into mat4x4f accumulators.
// Why split along the batch: the reduction over N·OH·OW is long and the output small (K·C·FH·FW), so
// without splits too few threads would share the work; the partial sums are added in a second dispatch.

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
  NB: u32,
}

override HAS_BIAS: bool = false;
override RK: u32 = 4;
override TJ: u32 = 2;
override WGX: u32 = 8;
override WGY: u32 = 8;

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> dy: array<f32>;
@group(0) @binding(3) var<storage, read_write> part: array<f32>;

// Four reduction columns j .. j+3: offset in an image (c·H·W + fh·D·W + fw·D), fh·D, fw·D, and which
// are the bias column (value 1). Columns past the last are clamped to it (computed, not stored).
struct Cols {
  j: u32,
  off: vec4i,
  dh: vec4i,
  dw: vec4i,
  one: vec4<bool>,
}

fn colsAt(quad: u32) -> Cols {
  let p = params;
  let fhw = p.FH * p.FW;
  let crs = p.C * fhw;
  let last = select(crs - 1u, crs, HAS_BIAS);
  let j = min(vec4u(4u * quad) + vec4u(0u, 1u, 2u, 3u), vec4u(last));
  let jc = min(j, vec4u(crs - 1u));
  let c = jc / fhw;
  let fh = (jc - c * fhw) / p.FW;
  let fw = jc - c * fhw - fh * p.FW;
  let dh = vec4i(fh * p.D);
  let dw = vec4i(fw * p.D);
  return Cols(4u * quad, vec4i(c * p.H * p.W) + dh * i32(p.W) + dw, dh, dw, j == vec4u(crs));
}

fn loadDy(o: vec4u, px: u32) -> vec4f {
  return vec4f(dy[o.x + px], dy[o.y + px], dy[o.z + px], dy[o.w + px]);
}

// The 4 columns' patch values at one output pixel: input row/column of the window's corner, offset of
// that corner in x (may be negative; only in-range elements are read).
fn loadX(cl: Cols, ih: i32, iw: i32, base: i32) -> vec4f {
  let h = vec4i(ih) + cl.dh;
  let wv = vec4i(iw) + cl.dw;
  let ok = (h >= vec4i(0)) & (h < vec4i(i32(params.H))) & (wv >= vec4i(0)) & (wv < vec4i(i32(params.W)));
  let idx = vec4u(select(vec4i(0), vec4i(base) + cl.off, ok));
  let v = select(vec4f(0.0), vec4f(x[idx.x], x[idx.y], x[idx.z], x[idx.w]), ok);
  return select(v, vec4f(1.0), cl.one);
}

fn rank1(acc: mat4x4f, v: vec4f, d: vec4f) -> mat4x4f {
  return mat4x4f(fma(v, vec4f(d.x), acc[0]), fma(v, vec4f(d.y), acc[1]), fma(v, vec4f(d.z), acc[2]), fma(v, vec4f(d.w), acc[3]));
}

// Clamped offsets of filters k0 .. k0+3 inside an image of dy: k·OH·OW.
fn dyOffsets(k0: u32) -> vec4u {
  return min(vec4u(k0) + vec4u(0u, 1u, 2u, 3u), vec4u(params.K - 1u)) * (params.OH * params.OW);
}

fn store(acc: mat4x4f, k0: u32, cl: Cols, s: u32) {
  let p = params;
  let crs = p.C * p.FH * p.FW;
  let L = p.K * crs + p.K;
  let ncols = select(crs, crs + 1u, HAS_BIAS);
  let cols = array<vec4f, 4>(acc[0], acc[1], acc[2], acc[3]);
  for (var i = 0u; i < 4u; i++) {
    let k = k0 + i;
    if (k >= p.K) {
      return;
    }
    for (var t = 0u; t < 4u; t++) {
      let j = cl.j + t;
      if (j < crs) {
        part[s * L + k * crs + j] = cols[i][t];
      } else if (j < ncols) {
        part[s * L + p.K * crs + k] = cols[i][t];
      }
    }
  }
}

@compute @workgroup_size(WGX, WGY)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let p = params;
  let s = wg.z;
  let k0 = (wg.y * WGY + lid.y) * RK * 4u;
  let ca = colsAt(wg.x * WGX * TJ + lid.x);
  let cb = colsAt(wg.x * WGX * TJ + WGX + lid.x);
  let do0 = dyOffsets(k0);
  let do1 = dyOffsets(k0 + 4u);
  let do2 = dyOffsets(k0 + 8u);
  let do3 = dyOffsets(k0 + 12u);
  let S = i32(p.S);
  let Wi = i32(p.W);
  let n0 = s * p.NB;
  let n1 = min(p.N, n0 + p.NB);

  var acc0a = mat4x4f(); var acc1a = mat4x4f(); var acc2a = mat4x4f(); var acc3a = mat4x4f();
  var acc0b = mat4x4f(); var acc1b = mat4x4f(); var acc2b = mat4x4f(); var acc3b = mat4x4f();
  // One flat loop over the split's output pixels (n, oh, ow) (SwiftShader copies every live value at
  // each loop boundary, so a loop nest would move the accumulators several times per step); indices are
  // carried by additions and selects. px: dy offset of (n, k = 0, oh, ow); base: x offset of the
  // window's corner (c = 0, ih, iw), possibly outside x.
  let ohw = p.OH * p.OW;
  let steps = (n1 - min(n0, n1)) * ohw;
  let nextImage = i32(p.C * p.H * p.W) - i32(p.OH * p.S) * Wi; // base change from past the last row to the next image
  let dyImageGap = (p.K - 1u) * ohw;
  var px = n0 * p.K * ohw;
  var ow = 0u;
  var oh = 0u;
  var ih = -i32(p.PH);
  var iw = -i32(p.PW);
  var rowBase = i32(n0 * p.C * p.H * p.W) + ih * Wi;
  for (var step = 0u; step < steps; step++) {
    let base = rowBase + iw;
    let xa = loadX(ca, ih, iw, base);
    let d0 = loadDy(do0, px);
    acc0a = rank1(acc0a, xa, d0);
    var d1 = vec4f(); var d2 = vec4f(); var d3 = vec4f();
    if (RK > 1u) { d1 = loadDy(do1, px); acc1a = rank1(acc1a, xa, d1); }
    if (RK > 2u) { d2 = loadDy(do2, px); acc2a = rank1(acc2a, xa, d2); }
    if (RK > 3u) { d3 = loadDy(do3, px); acc3a = rank1(acc3a, xa, d3); }
    if (TJ > 1u) {
      let xb = loadX(cb, ih, iw, base);
      acc0b = rank1(acc0b, xb, d0);
      if (RK > 1u) { acc1b = rank1(acc1b, xb, d1); }
      if (RK > 2u) { acc2b = rank1(acc2b, xb, d2); }
      if (RK > 3u) { acc3b = rank1(acc3b, xb, d3); }
    }
    // advance (n, oh, ow)
    ow++;
    iw += S;
    px++;
    let endRow = ow == p.OW;
    ow = select(ow, 0u, endRow);
    iw = select(iw, -i32(p.PW), endRow);
    oh = select(oh, oh + 1u, endRow);
    ih = select(ih, ih + S, endRow);
    rowBase = select(rowBase, rowBase + S * Wi, endRow);
    let endImage = oh == p.OH;
    oh = select(oh, 0u, endImage);
    ih = select(ih, -i32(p.PH), endImage);
    rowBase = select(rowBase, rowBase + nextImage, endImage);
    px = select(px, px + dyImageGap, endImage);
  }

  store(acc0a, k0, ca, s);
  if (RK > 1u) { store(acc1a, k0 + 4u, ca, s); }
  if (RK > 2u) { store(acc2a, k0 + 8u, ca, s); }
  if (RK > 3u) { store(acc3a, k0 + 12u, ca, s); }
  if (TJ > 1u) {
    store(acc0b, k0, cb, s);
    if (RK > 1u) { store(acc1b, k0 + 4u, cb, s); }
    if (RK > 2u) { store(acc2b, k0 + 8u, cb, s); }
    if (RK > 3u) { store(acc3b, k0 + 12u, cb, s); }
  }
}
