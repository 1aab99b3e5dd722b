// avg-pool: y[n,c,oh,ow] = (Σ x over the FH×FW window starting at (oh·S − P, ow·S − P)) / (FH·FW).
// NCHW, f32. Padded positions count as zeros and the divisor is always FH·FW (count_include_pad = true,
// PyTorch's default): the window loops are clipped to the input once per output, so padding costs nothing.
// Output size OH×OW is given, normally floor((H + 2P − F)/S) + 1.
// Bindings: 0 params, 1 x (read), 2 y (read_write).
// One thread does OX (≤ 8, set by the host so rows split evenly: 14 → 2 × 7) consecutive outputs of one
// output row: row, plane and window-row clipping once per thread (one div), input indices carried by
// additions (index arithmetic is what costs on SwiftShader).

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

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;

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
  let scale = 1.0 / f32(params.FH * params.FW);
  let rowStart = i32(nc * params.H * params.W) + (ih0 + khLo) * W;

  let owEnd = min(ow0 + OX, params.OW);
  var iw0 = i32(ow0) * S - P;
  var o = row * params.OW + ow0;
  for (var ow = ow0; ow < owEnd; ow++) {
    let kwLo = max(0, -iw0);
    let cols = min(FW, W - iw0) - kwLo;
    var rowIdx = rowStart + iw0 + kwLo;
    var sum = 0.0;
    for (var r = 0; r < rows; r++) {
      for (var k = 0; k < cols; k++) {
        sum += x[rowIdx + k];
      }
      rowIdx += W;
    }
    y[o] = sum * scale;
    o++;
    iw0 += S;
  }
}
