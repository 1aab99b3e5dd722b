// avg-pool-grad: dx[i] = (Σ dy[o] over every output window o that contains input pixel i) / (FH·FW).
// NCHW, f32; dx is overwritten. The divisor is FH·FW (count_include_pad = true, as in avg-pool.wgsl).
// A gather, not a scatter: overlapping windows (F > S) need no atomics and the sum order is fixed.
// Bindings: 0 params, 1 dy (read), 2 dx (read_write).
// One thread does IX (≤ 8, set by the host so rows split evenly: 14 → 2 × 7) consecutive inputs of one
// input row. The output rows whose windows contain that row are found once per thread (one div); along the
// row, iw + P = q·S + r is carried by additions, so the windows containing column iw are ow = q, q − 1, …
// while r + (q − ow)·S < FW: no div/mod per element.

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
override IX: u32 = 7;

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(2) var<storage, read_write> dx: array<f32>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let t = gid.x + gid.y * nwg.x * WG;
  // @generated include pool-input-row — edit shaders/parts/pool-input-row.wgsl, then npm run gen:wgsl
  let groups = (params.W + IX - 1u) / IX;
  let row = t / groups; // (n·C + c)·H + ih
  if (row >= params.N * params.C * params.H) {
    return;
  }
  let iw0 = (t - row * groups) * IX;
  let nc = row / params.H;
  let ih = row - nc * params.H;
  let S = params.S;

  // Output rows whose windows hold row ih: oh = qy − j for j ≥ 0 while ry + j·S < FH and oh ≥ 0.
  let qy = (ih + params.P) / S;
  let ry = ih + params.P - qy * S;
  // Skip the output rows past the end (oh ≥ OH).
  var jy0 = 0u;
  if (qy >= params.OH) {
    jy0 = qy - params.OH + 1u;
  }
  let outPlane = nc * params.OH * params.OW;

  // Along the row: iw + P = qx·S + rx, carried.
  var qx = (iw0 + params.P) / S;
  var rx = iw0 + params.P - qx * S;
  let iwEnd = min(iw0 + IX, params.W);
  var i = row * params.W + iw0;
  // @end
  let scale = 1.0 / f32(params.FH * params.FW);
  for (var iw = iw0; iw < iwEnd; iw++) {
    var acc = 0.0;
    for (var jy = jy0; jy <= qy && ry + jy * S < params.FH; jy++) {
      let oRow = outPlane + (qy - jy) * params.OW;
      for (var jx = 0u; jx <= qx && rx + jx * S < params.FW; jx++) {
        let ow = qx - jx;
        if (ow < params.OW) {
          acc += dy[oRow + ow];
        }
      }
    }
    dx[i] = acc * scale;
    // @generated include pool-input-step — edit shaders/parts/pool-input-step.wgsl, then npm run gen:wgsl
    i++;
    rx++;
    if (rx == S) {
      rx = 0u;
      qx++;
    }
    // @end
  }
}
