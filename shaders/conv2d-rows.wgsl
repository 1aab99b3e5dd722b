// conv2d-rows: a direct stride-1, undilated convolution for few input channels and filters at most 5×5:
//   y[n,o,oh,ow] = b[o] + Σ_{i,fh,fw} x[n,i,oh−PH+fh, ow−PW+fw] · w(o,i,fh,fw)   (then ReLU when RELU),
// x 0 outside [0,H)×[0,W), w(o,i,fh,fw) = w[o·WS_OUT + i·WS_IN + fh·FW + fw], or with FLIP
// w[o·WS_OUT + i·WS_IN + (FH−1−fh)·FW + (FW−1−fw)].
// Forward: x = the layer input [N,C,H,W], o = filter, i = channel (WS_OUT = C·FH·FW, WS_IN = FH·FW).
// Grad-input (the transposed convolution, stride 1): x = dy [N,K,OH,OW], o = channel, i = filter
// (WS_OUT = FH·FW, WS_IN = C·FH·FW), FLIP, padding FH−1−PH and FW−1−PW (negative when the forward padding
// exceeds the filter: then the window starts inside the row).
// f32, NCHW. Bindings: 0 params, 1 x, 2 x4 (x as vec4, read instead of x when ALIGNED; otherwise a
// placeholder), 3 w (the filters as stored, [K,C,FH,FW]), 4 b (read; any buffer without HAS_BIAS), 5 y
// [N,COUT,OH,OW] (read_write, overwritten; scalar stores), 6 y4 (the same output as vec4: written instead
// of y when VEC4, which needs OW % 4 = 0; otherwise a placeholder), 7 argmax (read_write; written only
// when POOL).
// POOL (forward, OH and OW even): a 2×2 stride-2 max-pool after bias and ReLU, as in conv2d-gemm.wgsl: y
// is then the pooled [N,COUT,OH/2,OW/2] and argmax gets each window's winner (the first of equals, corners
// row-major) as a flat index into the unpooled [N,COUT,OH,OW] output, which is never written.
// One thread computes 4 output rows × 4 columns of KB output channels of one image: 1–8 channels held
// together, or with HOLD_ROWS (one input channel) any number of channels one after another (see
// holdRows); per input channel it loads the 4 + FH − 1 input rows under its block once and slides each
// channel's FH×FW filter across them in registers, each accumulator touched once per FH·FW taps. With
// STREAM (one output channel: the input gradient of a one-channel layer) a thread walks down all rows of
// 4·QN columns instead, loading each input row once (see stream).
// Why: on SwiftShader every loaded float costs about as much as 5 FMAs (≈ 2 ns however it is indexed,
// vec4 a little less), and the GEMM form (conv2d-gemm.wgsl) loads each input once per tap and needs a
// padded copy and rearranged filters: with one input channel (MNIST's first layer) its reductions are 9
// long, so loads and per-output work dominate. Here each input is loaded about (FW + 3)/4·(FH + 3)/4 times
// per block of output channels (once with STREAM) and the filter's taps stay in registers. At batch 100:
// conv1 forward 28 ms as a GEMM → 20 (8 channels × 4×4) → 9–11 (HOLD_ROWS); its grad-input (32 input
// channels, one output) 80 → 18 (4×4) → 11–13 ms (7 quads side by side, ALIGNED) → 7.6 (STREAM); VEC4
// stores save another ~7%.

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
// Output channels per thread: 1–8 held together, or (HOLD_ROWS) any number computed in turn; 1 with
// STREAM.
override KB: u32 = 8u;
// Column quads per thread: 1–8 with STREAM (4·QN consecutive columns of one output channel), otherwise 1.
override QN: u32 = 1u;
// ALIGNED (W % 4 = 0): input rows are read as aligned vec4 segments through x4, each wholly inside or
// outside the row, so no per-column masks; SHIFT = (−PW) mod 4 places the windows within them.
override ALIGNED: bool = false;
override SHIFT: u32 = 0u;
override HOLD_ROWS: bool = false;
override FLIP: bool = false;
override HAS_BIAS: bool = false;
override RELU: bool = false;
override VEC4: bool = false;
override POOL: bool = false;
// One output channel per thread, all rows of a column span (see stream).
override STREAM: bool = false;
// Known at pipeline creation where a row has one span (every thread's segments at the same columns):
// bit m of SEG_OUT set when the values segment m is used for all lie outside the row; bit m of SEG_IN
// when they all lie inside the image in every row loaded (STREAM, whose rows are then all inside). Loads
// known inside skip their masks and selects, those known outside are not made (conv1's grad-input at
// batch 100: 7.2–7.7 → 6.6 ms).
override SEG_IN: u32 = 0u;
override SEG_OUT: u32 = 0u;
// OUT_FULL (OH, OW multiples of 4, KB dividing COUT): every block a thread stores is inside the output, so
// its stores skip the bounds checks (conv1 forward at batch 100: 7.7 → 6.7–7.3 ms, with its ReLU and max-pool
// 8.0–8.4 → 6.8–7.2, interleaved).
override OUT_FULL: bool = false;
override WG: u32 = 64u;

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> x4: array<vec4f>;
@group(0) @binding(3) var<storage, read> w: array<f32>;
@group(0) @binding(4) var<storage, read> b: array<f32>;
@group(0) @binding(5) var<storage, read_write> y: array<f32>;
@group(0) @binding(6) var<storage, read_write> y4: array<vec4f>;
@group(0) @binding(7) var<storage, read_write> argmax: array<u32>;

// Inputs at columns t .. t+7 of one input row for the 4 output columns from ow0 (t = ow0 − PW); only the
// first 4 + FW − 1 are used.
// @generated include window-rows — edit shaders/parts/window-rows.wgsl, then npm run gen:wgsl
struct Window {
  lo: vec4f,
  hi: vec4f,
}

// The windows of the 4 + FH − 1 input rows under a block (rows past that are left 0).
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
// @end

// Up to QN + 2 four-column segments of one input row: segment m holds columns c0 + 4m .. c0 + 4m + 3
// (0 outside the row, or everywhere when the row is outside the image), c0 = ow0 − PW − SHIFT; the windows
// of quad q are cut from segments q .. q + 2 (see windowAt).
struct Span {
  s0: vec4f,
  s1: vec4f,
  s2: vec4f,
  s3: vec4f,
  s4: vec4f,
  s5: vec4f,
  s6: vec4f,
  s7: vec4f,
  s8: vec4f,
  s9: vec4f,
}

// The segment at column c of the row starting at rowBase; only its values first .. lanes − 1 are needed.
// A segment needed whole is one vec4 load when ALIGNED; the edges of the span (the halo the filter
// overhangs) are loaded value by value, so a 3-wide filter at padding 1 reads 6 values per row, not 12.
// Conditions use & rather than &&: a short-circuit here (inlined for every segment of every row) is a
// branch each time, and made SwiftShader's pipeline compile run for minutes.
fn loadSeg(rowBase: i32, rowOk: bool, c: i32, first: u32, lanes: u32, m: u32) -> vec4f {
  let W = i32(params.W);
  var v = vec4f(0.0);
  if (((SEG_OUT >> m) & 1u) != 0u) {
    return v;
  }
  if (((SEG_IN >> m) & 1u) != 0u) {
    // Inside the image wherever it is loaded: no masks, no selects.
    if (ALIGNED && first == 0u && lanes == 4u) {
      return x4[u32(rowBase + c) / 4u];
    }
    let i = u32(rowBase + c);
    if (first == 0u && lanes > 0u) { v.x = x[i]; }
    if (first <= 1u && lanes > 1u) { v.y = x[i + 1u]; }
    if (first <= 2u && lanes > 2u) { v.z = x[i + 2u]; }
    if (first <= 3u && lanes > 3u) { v.w = x[i + 3u]; }
    return v;
  }
  if (ALIGNED && first == 0u && lanes == 4u) {
    // c and W are multiples of 4: the segment is wholly inside or outside the row.
    let ok = rowOk & (c >= 0) & (c < W);
    v = select(vec4f(0.0), x4[u32(select(0, rowBase + c, ok)) / 4u], ok);
  } else {
    let cs = vec4i(c) + vec4i(0, 1, 2, 3);
    let ok = vec4<bool>(rowOk) & (cs >= vec4i(0)) & (cs < vec4i(W));
    let i = vec4u(select(vec4i(0), vec4i(rowBase) + cs, ok));
    if (first == 0u && lanes > 0u) { v.x = select(0.0, x[i.x], ok.x); }
    if (first <= 1u && lanes > 1u) { v.y = select(0.0, x[i.y], ok.y); }
    if (first <= 2u && lanes > 2u) { v.z = select(0.0, x[i.z], ok.z); }
    if (first <= 3u && lanes > 3u) { v.w = select(0.0, x[i.w], ok.w); }
  }
  return v;
}

// Values of segment m that the windows use: from SHIFT in the first, all 4 for the quads' own columns,
// then as many as the filter overhangs.
fn segFirst(m: u32) -> u32 {
  return select(0u, SHIFT, m == 0u);
}

fn segLanes(m: u32) -> u32 {
  let need = i32(SHIFT + 4u * QN + FW - 1u) - i32(4u * m);
  return u32(clamp(need, 0, 4));
}

// Row ih of the plane at offset plane, for the thread's quads (c0: see Span).
fn loadSpan(plane: i32, ih: i32, c0: i32) -> Span {
  let rowBase = plane + ih * i32(params.W);
  let ok = (ih >= 0) & (ih < i32(params.H));
  var s = Span(vec4f(0.0), vec4f(0.0), vec4f(0.0), vec4f(0.0), vec4f(0.0), vec4f(0.0), vec4f(0.0), vec4f(0.0), vec4f(0.0), vec4f(0.0));
  s.s0 = loadSeg(rowBase, ok, c0, segFirst(0u), segLanes(0u), 0u);
  // @generated ladder m=1..9 — edit the //| template, then npm run gen:wgsl
  //| if (segLanes({{m}}u) > 0u) { s.s{{m}} = loadSeg(rowBase, ok, c0 + {{4*m}}, 0u, segLanes({{m}}u), {{m}}u); }
  if (segLanes(1u) > 0u) { s.s1 = loadSeg(rowBase, ok, c0 + 4, 0u, segLanes(1u), 1u); }
  if (segLanes(2u) > 0u) { s.s2 = loadSeg(rowBase, ok, c0 + 8, 0u, segLanes(2u), 2u); }
  if (segLanes(3u) > 0u) { s.s3 = loadSeg(rowBase, ok, c0 + 12, 0u, segLanes(3u), 3u); }
  if (segLanes(4u) > 0u) { s.s4 = loadSeg(rowBase, ok, c0 + 16, 0u, segLanes(4u), 4u); }
  if (segLanes(5u) > 0u) { s.s5 = loadSeg(rowBase, ok, c0 + 20, 0u, segLanes(5u), 5u); }
  if (segLanes(6u) > 0u) { s.s6 = loadSeg(rowBase, ok, c0 + 24, 0u, segLanes(6u), 6u); }
  if (segLanes(7u) > 0u) { s.s7 = loadSeg(rowBase, ok, c0 + 28, 0u, segLanes(7u), 7u); }
  if (segLanes(8u) > 0u) { s.s8 = loadSeg(rowBase, ok, c0 + 32, 0u, segLanes(8u), 8u); }
  if (segLanes(9u) > 0u) { s.s9 = loadSeg(rowBase, ok, c0 + 36, 0u, segLanes(9u), 9u); }
  // @end
  return s;
}

fn segAt(s: Span, m: u32) -> vec4f {
  switch m {
    // @generated ladder m=0..8 — edit the //| template, then npm run gen:wgsl
    //| case {{m}}u: { return s.s{{m}}; }
    case 0u: { return s.s0; }
    case 1u: { return s.s1; }
    case 2u: { return s.s2; }
    case 3u: { return s.s3; }
    case 4u: { return s.s4; }
    case 5u: { return s.s5; }
    case 6u: { return s.s6; }
    case 7u: { return s.s7; }
    case 8u: { return s.s8; }
    // @end
    default: { return s.s9; }
  }
}

// The 4 values from SHIFT on in segments a, b.
fn shifted(a: vec4f, b: vec4f) -> vec4f {
  switch SHIFT {
    case 0u: { return a; }
    case 1u: { return vec4f(a.yzw, b.x); }
    case 2u: { return vec4f(a.zw, b.xy); }
    default: { return vec4f(a.w, b.xyz); }
  }
}

// The window of quad q (its input columns ow0 + 4q − PW ..).
fn windowAt(s: Span, q: u32) -> Window {
  let a = segAt(s, q);
  let b = segAt(s, q + 1u);
  return Window(shifted(a, b), shifted(b, segAt(s, q + 2u)));
}

// The 4 + FH − 1 input rows under the thread's blocks (rows past that are left 0).
struct SpanRows {
  r0: Span,
  r1: Span,
  r2: Span,
  r3: Span,
  r4: Span,
  r5: Span,
  r6: Span,
  r7: Span,
}

// Rows from ih0 = oh0 − PH of the plane starting at `plane`.
fn loadSpanRows(plane: i32, ih0: i32, c0: i32) -> SpanRows {
  let none = Span(vec4f(0.0), vec4f(0.0), vec4f(0.0), vec4f(0.0), vec4f(0.0), vec4f(0.0), vec4f(0.0), vec4f(0.0), vec4f(0.0), vec4f(0.0));
  var r = SpanRows(loadSpan(plane, ih0, c0), none, none, none, none, none, none, none);
  r.r1 = loadSpan(plane, ih0 + 1, c0);
  r.r2 = loadSpan(plane, ih0 + 2, c0);
  r.r3 = loadSpan(plane, ih0 + 3, c0);
  if (FH > 1u) { r.r4 = loadSpan(plane, ih0 + 4, c0); }
  if (FH > 2u) { r.r5 = loadSpan(plane, ih0 + 5, c0); }
  if (FH > 3u) { r.r6 = loadSpan(plane, ih0 + 6, c0); }
  if (FH > 4u) { r.r7 = loadSpan(plane, ih0 + 7, c0); }
  return r;
}

// The windows of the thread's block (its one quad) in every row.
fn spanWindows(r: SpanRows) -> Rows {
  return Rows(windowAt(r.r0, 0u), windowAt(r.r1, 0u), windowAt(r.r2, 0u), windowAt(r.r3, 0u), windowAt(r.r4, 0u), windowAt(r.r5, 0u), windowAt(r.r6, 0u), windowAt(r.r7, 0u));
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

// One output channel's 4×4 block (column r = output row r) after one input channel, with that channel's
// filter f.
fn block(acc: mat4x4f, r: Rows, f: Filter) -> mat4x4f {
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
  if (!OUT_FULL & (oh >= p.OH)) {
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
  if (!OUT_FULL & (oh0 >= p.OH)) {
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
  if (OUT_FULL | (ow0 + 2u < OW)) {
    y[o + 1u] = v.y;
    argmax[o + 1u] = win.y;
  }
}

// Writes the 4×4 block (rows r0 .. r3 before the epilogue) of channel o at (oh0, ow0).
fn storeBlock(r0: vec4f, r1: vec4f, r2: vec4f, r3: vec4f, n: u32, o: u32, oh0: u32, ow0: u32) {
  let p = params;
  if (!OUT_FULL & ((o >= p.COUT) | (ow0 >= p.OW))) {
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

// HOLD_ROWS (one input channel): the rows are loaded once and output channels o0 .. o0 + KB − 1 are
// computed one after another, each stored as soon as it is summed. Why: with one input channel
// nothing needs to stay in registers across channels, so only one filter and one output row are live
// beside the rows; holding 8 channels' 4×4 blocks at once spilled on SwiftShader (conv1 forward at
// batch 100: 20 → 9–11 ms).
fn holdRows(n: u32, o0: u32, oh0: u32, ow0: u32, r: Rows) {
  // (QN = 1 here: wider spans measured no faster, the filter loads already being shared by 16 outputs.)
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

// STREAM (one output channel per thread, QN column quads): the thread walks down the whole image, 4
// input rows a step, and adds each loaded row into every output row it touches, so each input value is
// loaded once (not (FH + 3)/4 times, as when a thread owns 4 output rows and loads the FH − 1 rows around
// them too), and each filter once per 4 rows. Row k of a step's accumulators is output row oh0 + k
// (0 ≤ k < FH + 3); the step's input rows t .. t + 3, t = oh0 + FH − 1 − PH, are the last that output rows
// oh0 .. oh0 + 3 need, so those are stored after it and rows 4 .. FH + 2 carry into the next step as its
// rows 0 .. FH − 2. Steps start at input row 0 and end at the last: conv1's grad-input at batch 100
// (32 input channels, one output) went 10.6–11.0 → 7.6–7.7 ms (interleaved; 8.8 when the steps also
// covered the padding rows, 9.8 with 8-row steps). Loading the next channel's taps before this
// channel's multiply-adds: 6.6–7.7 → 6.0–6.7 ms.
struct Col {
  k0: vec4f,
  k1: vec4f,
  k2: vec4f,
  k3: vec4f,
  k4: vec4f,
  k5: vec4f,
  k6: vec4f,
  k7: vec4f,
}

fn windowOf(r: Rows, i: u32) -> Window {
  switch i {
    case 0u: { return r.r0; }
    case 1u: { return r.r1; }
    case 2u: { return r.r2; }
    default: { return r.r3; }
  }
}

// Filter row fh meets input row i = k + fh + 1 − FH (0 ≤ i < 4) of the step at output row k; k and fh
// are literals where it is called, so the condition folds away.
fn meets(k: u32, fh: u32) -> bool {
  return (FH > fh) & (k + fh + 1u >= FH) & (k + fh + 1u < FH + 4u);
}

fn streamRow(acc: vec4f, k: u32, r: Rows, f: Filter) -> vec4f {
  var a = acc;
  if (meets(k, 0u)) { a = slide(a, windowOf(r, k + 1u - FH), f.t0); }
  if (meets(k, 1u)) { a = slide(a, windowOf(r, k + 2u - FH), f.t1); }
  if (meets(k, 2u)) { a = slide(a, windowOf(r, k + 3u - FH), f.t2); }
  if (meets(k, 3u)) { a = slide(a, windowOf(r, k + 4u - FH), f.t3); }
  if (meets(k, 4u)) { a = slide(a, windowOf(r, k + 5u - FH), f.t4); }
  return a;
}

// One column quad's rows after the step's 4 input rows (r: their windows there) with filter f.
fn streamCol(c: Col, r: Rows, f: Filter) -> Col {
  return Col(
    streamRow(c.k0, 0u, r, f), streamRow(c.k1, 1u, r, f), streamRow(c.k2, 2u, r, f), streamRow(c.k3, 3u, r, f),
    streamRow(c.k4, 4u, r, f), streamRow(c.k5, 5u, r, f), streamRow(c.k6, 6u, r, f), streamRow(c.k7, 7u, r, f),
  );
}

// Rows 4 .. FH + 2 move up by 4, the rest start again at 0 (rows no step adds to stay constant 0).
fn carry(c: Col) -> Col {
  let z = vec4f();
  var r = Col(z, z, z, z, z, z, z, z);
  if (FH > 1u) { r.k0 = c.k4; }
  if (FH > 2u) { r.k1 = c.k5; }
  if (FH > 3u) { r.k2 = c.k6; }
  if (FH > 4u) { r.k3 = c.k7; }
  return r;
}

// The windows of quad q in the step's 4 input rows.
fn stepWindows(s0: Span, s1: Span, s2: Span, s3: Span, q: u32) -> Rows {
  let z = Window(vec4f(0.0), vec4f(0.0));
  return Rows(windowAt(s0, q), windowAt(s1, q), windowAt(s2, q), windowAt(s3, q), z, z, z, z);
}

// Output row oh's 4 columns from ow0 (rows outside 0 .. OH − 1 and quads past the row are skipped).
fn storeStreamRow(v: vec4f, n: u32, o: u32, oh: i32, ow0: u32) {
  let p = params;
  if ((oh >= 0) & (ow0 < p.OW)) {
    storeRow(epilogue(v, o), u32(oh), ow0, ((n * p.COUT + o) * p.OH + u32(oh)) * p.OW + ow0);
  }
}

fn storeCol(c: Col, n: u32, o: u32, oh0: i32, ow0: u32) {
  storeStreamRow(c.k0, n, o, oh0, ow0);
  storeStreamRow(c.k1, n, o, oh0 + 1, ow0);
  storeStreamRow(c.k2, n, o, oh0 + 2, ow0);
  storeStreamRow(c.k3, n, o, oh0 + 3, ow0);
}

fn stream(n: u32, o: u32, ow0: u32, c0: i32) {
  let p = params;
  let hw = i32(p.H * p.W);
  let wo = o * p.WS_OUT;
  let z = vec4f();
  var q0 = Col(z, z, z, z, z, z, z, z); var q1 = q0; var q2 = q0; var q3 = q0;
  var q4 = q0; var q5 = q0; var q6 = q0; var q7 = q0;
  // t − oh0 (t: the step's first input row). Steps start at input row 0, or above the image when the
  // padding exceeds FH − 1 (so that the first step's output rows start at row 0), load rows up to the
  // last, then only store: the rows the carry holds, then rows no input reaches (0, plus the bias).
  let lead = i32(FH) - 1 - p.PH;
  for (var t = min(0, lead); t - lead < i32(p.OH); t += 4) {
    if (t < i32(p.H)) {
      var plane = i32(n * p.CIN) * hw;
      var f = loadFilter(wo);
      for (var i = 0u; i < p.CIN; i++) {
        // The next channel's taps load while this channel's multiply-adds run.
        let fNext = loadFilter(wo + min(i + 1u, p.CIN - 1u) * p.WS_IN);
        let s0 = loadSpan(plane, t, c0);
        let s1 = loadSpan(plane, t + 1, c0);
        let s2 = loadSpan(plane, t + 2, c0);
        let s3 = loadSpan(plane, t + 3, c0);
        q0 = streamCol(q0, stepWindows(s0, s1, s2, s3, 0u), f);
        // @generated ladder q=1..7 — edit the //| template, then npm run gen:wgsl
        //| if (QN > {{q}}u) { q{{q}} = streamCol(q{{q}}, stepWindows(s0, s1, s2, s3, {{q}}u), f); }
        if (QN > 1u) { q1 = streamCol(q1, stepWindows(s0, s1, s2, s3, 1u), f); }
        if (QN > 2u) { q2 = streamCol(q2, stepWindows(s0, s1, s2, s3, 2u), f); }
        if (QN > 3u) { q3 = streamCol(q3, stepWindows(s0, s1, s2, s3, 3u), f); }
        if (QN > 4u) { q4 = streamCol(q4, stepWindows(s0, s1, s2, s3, 4u), f); }
        if (QN > 5u) { q5 = streamCol(q5, stepWindows(s0, s1, s2, s3, 5u), f); }
        if (QN > 6u) { q6 = streamCol(q6, stepWindows(s0, s1, s2, s3, 6u), f); }
        if (QN > 7u) { q7 = streamCol(q7, stepWindows(s0, s1, s2, s3, 7u), f); }
        // @end
        plane += hw;
        f = fNext;
      }
    }
    let oh0 = t - lead;
    storeCol(q0, n, o, oh0, ow0);
    // @generated ladder q=1..7 — edit the //| template, then npm run gen:wgsl
    //| if (QN > {{q}}u) { storeCol(q{{q}}, n, o, oh0, ow0 + {{4*q}}u); }
    if (QN > 1u) { storeCol(q1, n, o, oh0, ow0 + 4u); }
    if (QN > 2u) { storeCol(q2, n, o, oh0, ow0 + 8u); }
    if (QN > 3u) { storeCol(q3, n, o, oh0, ow0 + 12u); }
    if (QN > 4u) { storeCol(q4, n, o, oh0, ow0 + 16u); }
    if (QN > 5u) { storeCol(q5, n, o, oh0, ow0 + 20u); }
    if (QN > 6u) { storeCol(q6, n, o, oh0, ow0 + 24u); }
    if (QN > 7u) { storeCol(q7, n, o, oh0, ow0 + 28u); }
    // @end
    q0 = carry(q0); q1 = carry(q1); q2 = carry(q2); q3 = carry(q3);
    q4 = carry(q4); q5 = carry(q5); q6 = carry(q6); q7 = carry(q7);
  }
}

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let p = params;
  let spans = (p.OW + 4u * QN - 1u) / (4u * QN);
  let rowBlocks = select((p.OH + 3u) / 4u, 1u, STREAM);
  let oBlocks = (p.COUT + KB - 1u) / KB;
  let g = gid.x + gid.y * nwg.x * WG;
  if (g >= p.N * oBlocks * rowBlocks * spans) {
    return;
  }
  let ow0 = (g % spans) * 4u * QN;
  let r1 = g / spans;
  let oh0 = (r1 % rowBlocks) * 4u;
  let r2 = r1 / rowBlocks;
  let o0 = (r2 % oBlocks) * KB;
  let n = r2 / oBlocks;
  let c0 = i32(ow0) - p.PW - i32(SHIFT);
  let ih0 = i32(oh0) - p.PH;
  let hw = i32(p.H * p.W);
  if (STREAM) {
    stream(n, o0, ow0, c0);
    return;
  }
  if (HOLD_ROWS) {
    holdRows(n, o0, oh0, ow0, spanWindows(loadSpanRows(i32(n) * hw, ih0, c0)));
    return;
  }

  // First weight of each block's output channel (clamped: channels past COUT compute garbage, never
  // stored).
  let last = p.COUT - 1u;
  let wo0 = min(o0, last) * p.WS_OUT;
  // @generated ladder k=1..7 — edit the //| template, then npm run gen:wgsl
  //| let wo{{k}} = min(o0 + {{k}}u, last) * p.WS_OUT;
  let wo1 = min(o0 + 1u, last) * p.WS_OUT;
  let wo2 = min(o0 + 2u, last) * p.WS_OUT;
  let wo3 = min(o0 + 3u, last) * p.WS_OUT;
  let wo4 = min(o0 + 4u, last) * p.WS_OUT;
  let wo5 = min(o0 + 5u, last) * p.WS_OUT;
  let wo6 = min(o0 + 6u, last) * p.WS_OUT;
  let wo7 = min(o0 + 7u, last) * p.WS_OUT;
  // @end

  var acc0 = mat4x4f(); var acc1 = mat4x4f(); var acc2 = mat4x4f(); var acc3 = mat4x4f();
  var acc4 = mat4x4f(); var acc5 = mat4x4f(); var acc6 = mat4x4f(); var acc7 = mat4x4f();
  var plane = i32(n * p.CIN) * hw;
  var wi = 0u;
  for (var i = 0u; i < p.CIN; i++) {
    let r = spanWindows(loadSpanRows(plane, ih0, c0));
    acc0 = block(acc0, r, loadFilter(wo0 + wi));
    // @generated ladder k=1..7 — edit the //| template, then npm run gen:wgsl
    //| if (KB > {{k}}u) { acc{{k}} = block(acc{{k}}, r, loadFilter(wo{{k}} + wi)); }
    if (KB > 1u) { acc1 = block(acc1, r, loadFilter(wo1 + wi)); }
    if (KB > 2u) { acc2 = block(acc2, r, loadFilter(wo2 + wi)); }
    if (KB > 3u) { acc3 = block(acc3, r, loadFilter(wo3 + wi)); }
    if (KB > 4u) { acc4 = block(acc4, r, loadFilter(wo4 + wi)); }
    if (KB > 5u) { acc5 = block(acc5, r, loadFilter(wo5 + wi)); }
    if (KB > 6u) { acc6 = block(acc6, r, loadFilter(wo6 + wi)); }
    if (KB > 7u) { acc7 = block(acc7, r, loadFilter(wo7 + wi)); }
    // @end
    plane += hw;
    wi += p.WS_IN;
  }
  store(acc0, n, o0, oh0, ow0);
  // @generated ladder k=1..7 — edit the //| template, then npm run gen:wgsl
  //| if (KB > {{k}}u) { store(acc{{k}}, n, o0 + {{k}}u, oh0, ow0); }
  if (KB > 1u) { store(acc1, n, o0 + 1u, oh0, ow0); }
  if (KB > 2u) { store(acc2, n, o0 + 2u, oh0, ow0); }
  if (KB > 3u) { store(acc3, n, o0 + 3u, oh0, ow0); }
  if (KB > 4u) { store(acc4, n, o0 + 4u, oh0, ow0); }
  if (KB > 5u) { store(acc5, n, o0 + 5u, oh0, ow0); }
  if (KB > 6u) { store(acc6, n, o0 + 6u, oh0, ow0); }
  if (KB > 7u) { store(acc7, n, o0 + 7u, oh0, ow0); }
  // @end
}
