// conv2d-grad-input-rows: dx[n,c,ih,iw] = Σ_{k,fh,fw} dy[n,k,ih+PH−fh, iw+PW−fw] · w[k,c,fh,fw], the input
// gradient of a stride-1, undilated convolution with filters at most 5 wide, for few input channels
// (MNIST's first layer: C = 1). f32, NCHW; dy [N,K,OH,OW], w [K,C,FH,FW], dx [N,C,H,W] (overwritten).
// Bindings: 0 params, 1 dy, 2 w, 3 dx (read_write).
// One thread computes a block of 4 rows × 4 consecutive columns of one (n, c) plane. Per step (k, fh) it
// loads, for each of its rows, the 4 + FW − 1 dy values under the row's quad once and slides the FW taps
// across them in registers: 4·FW FMAs per 4 + FW − 1 loads, plus FW weights shared by the 4 rows.
// Why: the GEMM formulation (conv2d-gemm.wgsl on a padded dy) fills only one of its 4 filter rows when
// C = 1 and loads each dy value once per tap; this reuses each load FW times and needs no padded copy.

struct Params {
  N: u32,
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
}

// Filter width (1–5), fixed per pipeline so the sliding taps below compile to fixed shuffles.
override FW: u32 = 3u;
override WG: u32 = 64u;

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(2) var<storage, read> w: array<f32>;
@group(0) @binding(3) var<storage, read_write> dx: array<f32>;

const ROWS = 4u;

// dy values at columns t .. t+7 of the dy row at offset ro (0 outside the row or when the row is not
// valid); only the first 4 + FW − 1 are read.
struct Window {
  lo: vec4f,
  hi: vec4f,
}

fn loadWindow(ro: i32, t: i32, rowOk: bool) -> Window {
  let OW = i32(params.OW);
  let cl = vec4i(t) + vec4i(0, 1, 2, 3);
  let ch = cl + vec4i(4);
  let okl = vec4<bool>(rowOk) & (cl >= vec4i(0)) & (cl < vec4i(OW));
  let okh = vec4<bool>(rowOk) & (ch >= vec4i(0)) & (ch < vec4i(OW)) & (vec4u(0u, 1u, 2u, 3u) < vec4u(FW - 1u));
  let il = vec4u(select(vec4i(0), vec4i(ro) + cl, okl));
  let ih = vec4u(select(vec4i(0), vec4i(ro) + ch, okh));
  let lo = select(vec4f(0.0), vec4f(dy[il.x], dy[il.y], dy[il.z], dy[il.w]), okl);
  var hi = vec4f(0.0);
  if (FW > 1u) { hi.x = select(0.0, dy[ih.x], okh.x); }
  if (FW > 2u) { hi.y = select(0.0, dy[ih.y], okh.y); }
  if (FW > 3u) { hi.z = select(0.0, dy[ih.z], okh.z); }
  if (FW > 4u) { hi.w = select(0.0, dy[ih.w], okh.w); }
  return Window(lo, hi);
}

// The weights of one filter row, reversed: tap s (s = 0 .. FW − 1) is w[wo + FW − 1 − s], so tap s reads
// the window from its s-th value (the window starts at the column the last tap reads for the quad's first
// pixel).
struct Taps {
  a: vec4f,
  e: f32,
}

fn loadTaps(wo: u32) -> Taps {
  var t = Taps(vec4f(0.0), 0.0);
  t.a.x = w[wo + FW - 1u];
  if (FW > 1u) { t.a.y = w[wo + FW - 2u]; }
  if (FW > 2u) { t.a.z = w[wo + FW - 3u]; }
  if (FW > 3u) { t.a.w = w[wo + FW - 4u]; }
  if (FW > 4u) { t.e = w[wo]; }
  return t;
}

// acc + Σ_s window[s .. s+3] · tap s.
fn slide(acc: vec4f, win: Window, t: Taps) -> vec4f {
  let lo = win.lo;
  let hi = win.hi;
  var a = fma(lo, vec4f(t.a.x), acc);
  if (FW > 1u) { a = fma(vec4f(lo.yzw, hi.x), vec4f(t.a.y), a); }
  if (FW > 2u) { a = fma(vec4f(lo.zw, hi.xy), vec4f(t.a.z), a); }
  if (FW > 3u) { a = fma(vec4f(lo.w, hi.xyz), vec4f(t.a.w), a); }
  if (FW > 4u) { a = fma(hi, vec4f(t.e), a); }
  return a;
}

fn store(v: vec4f, n: u32, c: u32, ih: u32, iw: u32) {
  let p = params;
  if (ih >= p.H) {
    return;
  }
  let base = ((n * p.C + c) * p.H + ih) * p.W + iw;
  for (var j = 0u; j < 4u; j++) {
    if (iw + j < p.W) {
      dx[base + j] = v[j];
    }
  }
}

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let p = params;
  let quadsPerRow = (p.W + 3u) / 4u;
  let rowBlocks = (p.H + ROWS - 1u) / ROWS;
  let g = gid.x;
  if (g >= p.N * p.C * rowBlocks * quadsPerRow) {
    return;
  }
  let iw = (g % quadsPerRow) * 4u;
  let ih = ((g / quadsPerRow) % rowBlocks) * ROWS;
  let nc = g / (quadsPerRow * rowBlocks);
  let n = nc / p.C;
  let c = nc - n * p.C;

  let OH = i32(p.OH);
  let OW = i32(p.OW);
  // The window of output columns: iw + PW − (FW − 1) .. for the quad's first pixel.
  let t = i32(iw + p.PW) - i32(FW - 1u);
  // dy row of this thread's first row at fh = 0, as an index and an offset.
  let th = i32(ih + p.PH);
  let ohw = i32(p.OH * p.OW);
  let fhw = p.FH * FW;
  var acc0 = vec4f(); var acc1 = vec4f(); var acc2 = vec4f(); var acc3 = vec4f();
  // One flat loop over (k, fh), indices carried (SwiftShader copies live values at each loop boundary).
  var fh = 0u;
  var oh = th;
  var plane = i32(n * p.K) * ohw;
  var wo = c * fhw;
  let steps = p.K * p.FH;
  for (var step = 0u; step < steps; step++) {
    let taps = loadTaps(wo);
    let ro = plane + oh * OW;
    acc0 = slide(acc0, loadWindow(ro, t, oh >= 0 && oh < OH), taps);
    acc1 = slide(acc1, loadWindow(ro + OW, t, oh + 1 >= 0 && oh + 1 < OH), taps);
    acc2 = slide(acc2, loadWindow(ro + 2 * OW, t, oh + 2 >= 0 && oh + 2 < OH), taps);
    acc3 = slide(acc3, loadWindow(ro + 3 * OW, t, oh + 3 >= 0 && oh + 3 < OH), taps);
    // advance (k, fh): the next filter row reads one dy row higher; a new k moves to the next dy plane.
    fh++;
    oh--;
    wo += FW;
    let endFilter = fh == p.FH;
    fh = select(fh, 0u, endFilter);
    oh = select(oh, th, endFilter);
    plane = select(plane, plane + ohw, endFilter);
    wo = select(wo, wo + (p.C - 1u) * fhw, endFilter);
  }
  store(acc0, n, c, ih, iw);
  store(acc1, n, c, ih + 1u, iw);
  store(acc2, n, c, ih + 2u, iw);
  store(acc3, n, c, ih + 3u, iw);
}
