// max-pool: y[n,c,oh,ow] = max of x over the FH×FW window starting at (oh·S − P, ow·S − P), and
// argmax[n,c,oh,ow] = the flat index (n·C·H·W + c·H·W + ih·W + iw) of the winning input, for the
// backward pass. NCHW, f32; argmax u32. Padded positions are skipped (they never win, as if −inf);
// the window loops are clipped to the input once per output, so there is no per-tap bounds test.
// Ties: the first maximum in row-major window order wins (strict >). Requires every window to hold at
// least one real pixel (2P ≤ min(FH, FW), checked by the host). Output size OH×OW is given, normally
// floor((H + 2P − F)/S) + 1.
// Bindings: 0 params, 1 x (read), 2 y (read_write), 3 argmax (read_write).
// One thread does OX (≤ 8, set by the host so rows split evenly: 14 → 2 × 7) consecutive outputs of one
// output row: the row, plane and window-row clipping are worked out once (one div per thread), then input
// indices are carried by additions (index arithmetic is what costs most on SwiftShader).

// @generated include pool-params — edit shaders/parts/pool-params.wgsl, then npm run gen:wgsl
struct Params {
  N: u32,
  C: u32,
  H: u32,
  W: u32,
  FH: u32,
  FW: u32,
  S: u32,
  P: u32,
  OH: u32,
  OW: u32,
}
// @end

override WG: u32 = 64;
override OX: u32 = 7;
// The common 2×2 window, stride 2, no padding (set by the host only then): every window lies inside the
// input, so each output is four loads and three compares, with no window loops (whose per-lane bounds
// cost more than the loads on SwiftShader).
override WIN2: bool = false;

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;
@group(0) @binding(3) var<storage, read_write> argmax: array<u32>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let t = gid.x + gid.y * nwg.x * WG;
  // @generated include pool-output-row — edit shaders/parts/pool-output-row.wgsl, then npm run gen:wgsl
  let groups = (params.OW + OX - 1u) / OX;
  let row = t / groups; // (n·C + c)·OH + oh
  if (row >= params.N * params.C * params.OH) {
    return;
  }
  let ow0 = (t - row * groups) * OX;
  let nc = row / params.OH;
  let oh = row - nc * params.OH;
  // @end
  // @generated include pool-window-rows — edit shaders/parts/pool-window-rows.wgsl, then npm run gen:wgsl
  let H = i32(params.H);
  let W = i32(params.W);
  let S = i32(params.S);
  let P = i32(params.P);
  let FW = i32(params.FW);

  // Window rows clipped to the input: kh in [khLo, khHi).
  let ih0 = i32(oh) * S - P;
  let khLo = max(0, -ih0);
  let rows = min(i32(params.FH), H - ih0) - khLo;
  // @end
  let plane = i32(nc * params.H * params.W);
  let rowStart = plane + (ih0 + khLo) * W;

  let owEnd = min(ow0 + OX, params.OW);
  var o = row * params.OW + ow0;
  if (WIN2) {
    var i = u32(plane) + 2u * (oh * params.W + ow0);
    for (var ow = ow0; ow < owEnd; ow++) {
      let v = vec4f(x[i], x[i + 1u], x[i + params.W], x[i + params.W + 1u]);
      var best = v.x;
      var at = i;
      at = select(at, i + 1u, v.y > best);
      best = select(best, v.y, v.y > best);
      at = select(at, i + params.W, v.z > best);
      best = select(best, v.z, v.z > best);
      at = select(at, i + params.W + 1u, v.w > best);
      best = select(best, v.w, v.w > best);
      y[o] = best;
      argmax[o] = at;
      o++;
      i += 2u;
    }
    return;
  }
  var iw0 = i32(ow0) * S - P;
  for (var ow = ow0; ow < owEnd; ow++) {
    let kwLo = max(0, -iw0);
    let cols = min(FW, W - iw0) - kwLo;
    var rowIdx = rowStart + iw0 + kwLo;
    var best = x[rowIdx];
    var at = rowIdx;
    for (var r = 0; r < rows; r++) {
      for (var k = 0; k < cols; k++) {
        let i = rowIdx + k;
        let v = x[i];
        at = select(at, i, v > best);
        best = select(best, v, v > best);
      }
      rowIdx += W;
    }
    y[o] = best;
    argmax[o] = u32(at);
    o++;
    iw0 += S;
  }
}
