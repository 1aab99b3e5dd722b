// conv2d-rows: a direct stride-1, undilated convolution for few input channels and filters at most 5×5:
//   y[n,o,oh,ow] = b[o] + Σ_{i,fh,fw} x[n,i,oh−PH+fh, ow−PW+fw] · w(o,i,fh,fw)   (then ReLU when RELU),
// x 0 outside [0,H)×[0,W), w(o,i,fh,fw) = w[o·WS_OUT + i·WS_IN + fh·FW + fw], or with FLIP
// w[o·WS_OUT + i·WS_IN + (FH−1−fh)·FW + (FW−1−fw)].
// Forward: x = the layer input [N,C,H,W], o = filter, i = channel (WS_OUT = C·FH·FW, WS_IN = FH·FW).
// Grad-input (the transposed convolution, stride 1): x = dy [N,K,OH,OW], o = channel, i = filter
// (WS_OUT = FH·FW, WS_IN = C·FH·FW), FLIP, padding FH−1−PH and FW−1−PW (negative when the forward padding
// exceeds the filter: then the window starts inside the row).
// f32, NCHW. Bindings: 0 params, 1 x, 2 w (the filters as stored, [K,C,FH,FW]), 3 b (read; any buffer
// without HAS_BIAS), 4 y [N,COUT,OH,OW] (read_write, overwritten; scalar stores), 5 y4 (the same output
// as vec4: written instead of y when VEC4, which needs OW % 4 = 0; otherwise a placeholder), 6 argmax
// (read_write; written only when POOL).
// POOL (forward, OH and OW even): a 2×2 stride-2 max-pool after bias and ReLU, as in conv2d-gemm.wgsl: y
// is then the pooled [N,COUT,OH/2,OW/2] and argmax gets each window's winner (the first of equals, corners
// row-major) as a flat index into the unpooled [N,COUT,OH,OW] output, which is never written.
// One thread computes 4 rows × 4 consecutive columns of KB output channels of one image: 1–8 channels held
// together, or with HOLD_ROWS (one input channel) any number, one after another (see holdRows). Per input
// channel i it loads the 4 + FH − 1 input rows under its block once (4 + FW − 1 values each) and, for each
// output channel, slides the FH×FW filter across them in registers: 16·FH·FW·KB FMAs for
// (FH + 3)·(FW + 3) input and FH·FW·KB weight loads, each accumulator touched once per FH·FW taps.
// Why: on SwiftShader every loaded float costs several FMAs, and the GEMM form (conv2d-gemm.wgsl) loads
// each input once per tap and needs a padded copy and rearranged filters: with one input channel (MNIST's
// first layer) its reductions are 9 long, so loads and per-output work dominate. Here each input is loaded
// about (FH + 3)/4·(FW + 3)/4 times per output channel block and the filter's taps stay in registers
// (conv1 forward 28 → 20 ms, then 9–11 ms with HOLD_ROWS; grad-input 80 → 18 ms at batch 100); VEC4 stores
// save another ~7%.

struct Params {
  N: u32,
  CIN: u32,
  H: u32,
  W: u32,
  COUT: u32,
  PH: i32,
  PW: i32,
  OH: u32,
  OW: u32,
  WS_OUT: u32,
  WS_IN: u32,
}

// Filter height and width (1–5): fixed per pipeline so the sliding taps compile to fixed shuffles and the
// filter rows to straight-line code.
override FH: u32 = 3u;
override FW: u32 = 3u;
// Output channels per thread: 1–8 held together, or (HOLD_ROWS) any number computed in turn.
override KB: u32 = 8u;
override HOLD_ROWS: bool = false;
override FLIP: bool = false;
override HAS_BIAS: bool = false;
override RELU: bool = false;
override VEC4: bool = false;
override POOL: bool = false;
override WG: u32 = 64u;

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> w: array<f32>;
@group(0) @binding(3) var<storage, read> b: array<f32>;
@group(0) @binding(4) var<storage, read_write> y: array<f32>;
@group(0) @binding(5) var<storage, read_write> y4: array<vec4f>;
@group(0) @binding(6) var<storage, read_write> argmax: array<u32>;

// Inputs at columns t .. t+7 of one input row (0 outside the row, or everywhere when the row is outside
// the image); only the first 4 + FW − 1 are loaded.
struct Window {
  lo: vec4f,
  hi: vec4f,
}

// The windows of the 4 + FH − 1 input rows under the thread's block (rows past that are left 0).
struct Rows {
  r0: Window,
  r1: Window,
  r2: Window,
  r3: Window,
  r4: Window,
  r5: Window,
  r6: Window,
  r7: Window,
}

fn loadWindow(ro: i32, t: i32, rowOk: bool) -> Window {
  let W = i32(params.W);
  let cl = vec4i(t) + vec4i(0, 1, 2, 3);
  let ch = cl + vec4i(4);
  let okl = vec4<bool>(rowOk) & (cl >= vec4i(0)) & (cl < vec4i(W));
  let okh = vec4<bool>(rowOk) & (ch >= vec4i(0)) & (ch < vec4i(W));
  let il = vec4u(select(vec4i(0), vec4i(ro) + cl, okl));
  let ih = vec4u(select(vec4i(0), vec4i(ro) + ch, okh));
  let lo = select(vec4f(0.0), vec4f(x[il.x], x[il.y], x[il.z], x[il.w]), okl);
  var hi = vec4f(0.0);
  if (FW > 1u) { hi.x = select(0.0, x[ih.x], okh.x); }
  if (FW > 2u) { hi.y = select(0.0, x[ih.y], okh.y); }
  if (FW > 3u) { hi.z = select(0.0, x[ih.z], okh.z); }
  if (FW > 4u) { hi.w = select(0.0, x[ih.w], okh.w); }
  return Window(lo, hi);
}

// Row ih of the input plane at offset plane: the window for output columns from ow0 (t = ow0 − PW).
fn loadRow(plane: i32, ih: i32, t: i32) -> Window {
  return loadWindow(plane + ih * i32(params.W), t, ih >= 0 && ih < i32(params.H));
}

// One filter row's FW taps: tap s multiplies window values s .. s+3 (tap 4 in e).
struct Taps {
  a: vec4f,
  e: f32,
}

// One output channel's FH filter rows (rows past FH are left 0).
struct Filter {
  t0: Taps,
  t1: Taps,
  t2: Taps,
  t3: Taps,
  t4: Taps,
}

// Offset of tap s in a filter row starting at wr.
fn tapAt(wr: u32, s: u32) -> u32 {
  if (FLIP) {
    return wr + FW - 1u - s;
  }
  return wr + s;
}

fn loadTaps(wr: u32) -> Taps {
  var t = Taps(vec4f(0.0), 0.0);
  t.a.x = w[tapAt(wr, 0u)];
  if (FW > 1u) { t.a.y = w[tapAt(wr, 1u)]; }
  if (FW > 2u) { t.a.z = w[tapAt(wr, 2u)]; }
  if (FW > 3u) { t.a.w = w[tapAt(wr, 3u)]; }
  if (FW > 4u) { t.e = w[tapAt(wr, 4u)]; }
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

// Filter row fh of the filter whose rows start at wo (FLIP: the rows are taken last to first).
fn filterRow(wo: u32, fh: u32) -> u32 {
  if (FLIP) {
    return wo + (FH - 1u - fh) * FW;
  }
  return wo + fh * FW;
}

fn loadFilter(wo: u32) -> Filter {
  var f = Filter(Taps(vec4f(0.0), 0.0), Taps(vec4f(0.0), 0.0), Taps(vec4f(0.0), 0.0), Taps(vec4f(0.0), 0.0), Taps(vec4f(0.0), 0.0));
  f.t0 = loadTaps(filterRow(wo, 0u));
  if (FH > 1u) { f.t1 = loadTaps(filterRow(wo, 1u)); }
  if (FH > 2u) { f.t2 = loadTaps(filterRow(wo, 2u)); }
  if (FH > 3u) { f.t3 = loadTaps(filterRow(wo, 3u)); }
  if (FH > 4u) { f.t4 = loadTaps(filterRow(wo, 4u)); }
  return f;
}

// One output row: acc + the filter over the FH input rows a, b, c, d, e (row fh under filter row fh).
fn outRow(acc: vec4f, a: Window, b: Window, c: Window, d: Window, e: Window, f: Filter) -> vec4f {
  var v = slide(acc, a, f.t0);
  if (FH > 1u) { v = slide(v, b, f.t1); }
  if (FH > 2u) { v = slide(v, c, f.t2); }
  if (FH > 3u) { v = slide(v, d, f.t3); }
  if (FH > 4u) { v = slide(v, e, f.t4); }
  return v;
}

// One output channel's 4×4 block (column r = output row r) after one input channel; wo: where the
// channel's filter for that input channel starts.
fn block(acc: mat4x4f, r: Rows, wo: u32) -> mat4x4f {
  let f = loadFilter(wo);
  return mat4x4f(
    outRow(acc[0], r.r0, r.r1, r.r2, r.r3, r.r4, f),
    outRow(acc[1], r.r1, r.r2, r.r3, r.r4, r.r5, f),
    outRow(acc[2], r.r2, r.r3, r.r4, r.r5, r.r6, f),
    outRow(acc[3], r.r3, r.r4, r.r5, r.r6, r.r7, f),
  );
}

// Bias and ReLU on one output row's 4 columns (channel o).
fn epilogue(v0: vec4f, o: u32) -> vec4f {
  var v = v0;
  if (HAS_BIAS) {
    v += vec4f(b[o]);
  }
  if (RELU) {
    v = max(v, vec4f(0.0));
  }
  return v;
}

// Writes one output row's 4 columns; off: the row's first element.
fn storeRow(v: vec4f, oh: u32, ow0: u32, off: u32) {
  let p = params;
  if (oh >= p.OH) {
    return;
  }
  if (VEC4) {
    y4[off / 4u] = v;
    return;
  }
  y[off] = v.x;
  if (ow0 + 1u < p.OW) { y[off + 1u] = v.y; }
  if (ow0 + 2u < p.OW) { y[off + 2u] = v.z; }
  if (ow0 + 3u < p.OW) { y[off + 3u] = v.w; }
}

// POOL: the two 2×2 windows of output rows a (row oh0, even) and c (the next) at columns ow0 .. ow0 + 3
// of output plane `plane` (n·COUT + o); at: the unpooled offset of a's first column. Writes their maxima
// to pooled row oh0 / 2 and the winners to argmax.
fn storePooled(a: vec4f, c: vec4f, plane: u32, oh0: u32, ow0: u32, at: u32) {
  let p = params;
  if (oh0 >= p.OH) {
    return;
  }
  let OW = p.OW;
  var v = a.xz;
  var win = vec2u(at, at + 2u);
  win = select(win, vec2u(at + 1u, at + 3u), a.yw > v);
  v = select(v, a.yw, a.yw > v);
  win = select(win, vec2u(at + OW, at + OW + 2u), c.xz > v);
  v = select(v, c.xz, c.xz > v);
  win = select(win, vec2u(at + OW + 1u, at + OW + 3u), c.yw > v);
  v = select(v, c.yw, c.yw > v);
  let o = (plane * (p.OH / 2u) + oh0 / 2u) * (OW / 2u) + ow0 / 2u;
  y[o] = v.x;
  argmax[o] = win.x;
  if (ow0 + 2u < OW) {
    y[o + 1u] = v.y;
    argmax[o + 1u] = win.y;
  }
}

// Writes the 4×4 block (rows r0 .. r3 before the epilogue) of channel o at (oh0, ow0).
fn storeBlock(r0: vec4f, r1: vec4f, r2: vec4f, r3: vec4f, n: u32, o: u32, oh0: u32, ow0: u32) {
  let p = params;
  if (o >= p.COUT) {
    return;
  }
  let plane = n * p.COUT + o;
  let off = (plane * p.OH + oh0) * p.OW + ow0;
  let v0 = epilogue(r0, o);
  let v1 = epilogue(r1, o);
  let v2 = epilogue(r2, o);
  let v3 = epilogue(r3, o);
  if (POOL) {
    storePooled(v0, v1, plane, oh0, ow0, off);
    storePooled(v2, v3, plane, oh0 + 2u, ow0, off + 2u * p.OW);
    return;
  }
  storeRow(v0, oh0, ow0, off);
  storeRow(v1, oh0 + 1u, ow0, off + p.OW);
  storeRow(v2, oh0 + 2u, ow0, off + 2u * p.OW);
  storeRow(v3, oh0 + 3u, ow0, off + 3u * p.OW);
}

fn store(acc: mat4x4f, n: u32, o: u32, oh0: u32, ow0: u32) {
  storeBlock(acc[0], acc[1], acc[2], acc[3], n, o, oh0, ow0);
}

// The 4 + FH − 1 input rows under a block whose top-left output is (oh0, ow0): rows from ih0 = oh0 − PH of
// the plane starting at `plane`, columns from t = ow0 − PW.
fn loadRows(plane: i32, ih0: i32, t: i32) -> Rows {
  let none = Window(vec4f(0.0), vec4f(0.0));
  var r = Rows(loadRow(plane, ih0, t), none, none, none, none, none, none, none);
  r.r1 = loadRow(plane, ih0 + 1, t);
  r.r2 = loadRow(plane, ih0 + 2, t);
  r.r3 = loadRow(plane, ih0 + 3, t);
  if (FH > 1u) { r.r4 = loadRow(plane, ih0 + 4, t); }
  if (FH > 2u) { r.r5 = loadRow(plane, ih0 + 5, t); }
  if (FH > 3u) { r.r6 = loadRow(plane, ih0 + 6, t); }
  if (FH > 4u) { r.r7 = loadRow(plane, ih0 + 7, t); }
  return r;
}

// HOLD_ROWS (one input channel): the rows are loaded once and output channels o0 .. o0 + KB − 1 are
// computed one after another, each stored as soon as it is summed. Why: with one input channel
// nothing needs to stay in registers across channels, so only one filter and one output row are live
// beside the rows; holding 8 channels' 4×4 blocks at once spilled on SwiftShader (conv1 forward at
// batch 100: 20 → 9–11 ms).
fn holdRows(n: u32, o0: u32, oh0: u32, ow0: u32, r: Rows) {
  let oEnd = min(o0 + KB, params.COUT);
  for (var o = o0; o < oEnd; o++) {
    let f = loadFilter(o * params.WS_OUT);
    storeBlock(
      outRow(vec4f(), r.r0, r.r1, r.r2, r.r3, r.r4, f),
      outRow(vec4f(), r.r1, r.r2, r.r3, r.r4, r.r5, f),
      outRow(vec4f(), r.r2, r.r3, r.r4, r.r5, r.r6, f),
      outRow(vec4f(), r.r3, r.r4, r.r5, r.r6, r.r7, f),
      n, o, oh0, ow0,
    );
  }
}

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let p = params;
  let quads = (p.OW + 3u) / 4u;
  let rowBlocks = (p.OH + 3u) / 4u;
  let oBlocks = (p.COUT + KB - 1u) / KB;
  let g = gid.x + gid.y * nwg.x * WG;
  if (g >= p.N * oBlocks * rowBlocks * quads) {
    return;
  }
  let ow0 = (g % quads) * 4u;
  let r1 = g / quads;
  let oh0 = (r1 % rowBlocks) * 4u;
  let r2 = r1 / rowBlocks;
  let o0 = (r2 % oBlocks) * KB;
  let n = r2 / oBlocks;
  let t = i32(ow0) - p.PW;
  let ih0 = i32(oh0) - p.PH;
  let hw = i32(p.H * p.W);
  if (HOLD_ROWS) {
    holdRows(n, o0, oh0, ow0, loadRows(i32(n) * hw, ih0, t));
    return;
  }

  // First weight of each output channel (clamped: channels past COUT compute garbage, never stored).
  let last = p.COUT - 1u;
  let wo0 = min(o0, last) * p.WS_OUT;
  let wo1 = min(o0 + 1u, last) * p.WS_OUT;
  let wo2 = min(o0 + 2u, last) * p.WS_OUT;
  let wo3 = min(o0 + 3u, last) * p.WS_OUT;
  let wo4 = min(o0 + 4u, last) * p.WS_OUT;
  let wo5 = min(o0 + 5u, last) * p.WS_OUT;
  let wo6 = min(o0 + 6u, last) * p.WS_OUT;
  let wo7 = min(o0 + 7u, last) * p.WS_OUT;

  var acc0 = mat4x4f(); var acc1 = mat4x4f(); var acc2 = mat4x4f(); var acc3 = mat4x4f();
  var acc4 = mat4x4f(); var acc5 = mat4x4f(); var acc6 = mat4x4f(); var acc7 = mat4x4f();
  var plane = i32(n * p.CIN) * hw;
  var wi = 0u;
  for (var i = 0u; i < p.CIN; i++) {
    let r = loadRows(plane, ih0, t);
    acc0 = block(acc0, r, wo0 + wi);
    if (KB > 1u) { acc1 = block(acc1, r, wo1 + wi); }
    if (KB > 2u) { acc2 = block(acc2, r, wo2 + wi); }
    if (KB > 3u) { acc3 = block(acc3, r, wo3 + wi); }
    if (KB > 4u) { acc4 = block(acc4, r, wo4 + wi); }
    if (KB > 5u) { acc5 = block(acc5, r, wo5 + wi); }
    if (KB > 6u) { acc6 = block(acc6, r, wo6 + wi); }
    if (KB > 7u) { acc7 = block(acc7, r, wo7 + wi); }
    plane += hw;
    wi += p.WS_IN;
  }
  store(acc0, n, o0, oh0, ow0);
  if (KB > 1u) { store(acc1, n, o0 + 1u, oh0, ow0); }
  if (KB > 2u) { store(acc2, n, o0 + 2u, oh0, ow0); }
  if (KB > 3u) { store(acc3, n, o0 + 3u, oh0, ow0); }
  if (KB > 4u) { store(acc4, n, o0 + 4u, oh0, ow0); }
  if (KB > 5u) { store(acc5, n, o0 + 5u, oh0, ow0); }
  if (KB > 6u) { store(acc6, n, o0 + 6u, oh0, ow0); }
  if (KB > 7u) { store(acc7, n, o0 + 7u, oh0, ow0); }
}
