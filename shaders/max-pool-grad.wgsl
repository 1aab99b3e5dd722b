// max-pool-grad: dx[i] = Σ dy[o] over every output window o that contains input pixel i AND whose
// argmax (from max-pool.wgsl) is i. NCHW, f32; argmax u32 flat input indices. dx is overwritten.
// Bindings: 0 params, 1 dy (read), 2 argmax (read), 3 y (read), 4 dx (read_write).
// RELU_MASK (override): when the pool's input x is a ReLU's output, also apply the ReLU's derivative
// (x > 0) here, so the layer before needs no separate element-wise pass. It is read from the pool's own
// output: a window routes its gradient only to its argmax, where x = y[o], so x > 0 ⇔ y[o] > 0 (and the
// pre-pool tensor need not exist: a conv with the pool fused into its epilogue never writes it).
// Two formulations, chosen by the host with the CELLS override; both are race-free and deterministic:
// - CELLS = false (any F, S; needed when windows overlap, F > S): a gather. One thread does IX
//   consecutive inputs of one input row; the output rows whose windows contain that row are found once
//   per thread (one div); along the row, iw + P = q·S + r is carried by additions, so the windows holding
//   column iw are ow = q, q − 1, … while r + (q − ow)·S < FW: no div/mod per element. Several outputs
//   may route to one input; their dy are summed in a fixed order (no atomics).
// - CELLS = true (only when S ≥ FH and S ≥ FW: windows never overlap): the input is cut into disjoint
//   cells, cell (oh, ow) = rows [oh·S − P, (oh + 1)·S − P) × columns likewise (the first and last cells
//   stretched to the input's edges), each holding the whole of window (oh, ow). One thread does OX
//   consecutive cells of one cell row: it reads one argmax and one dy per cell (not one per input, as
//   the gather does) and writes dy at the argmax and 0 elsewhere in the cell.
// IX and OX (≤ 8) are set by the host so rows split evenly between threads (14 → 2 × 7).

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
override OX: u32 = 7;
override CELLS: bool = false;
// CELLS with exact 2×2 cells (2×2 windows, stride 2, no padding, H = 2·OH, W = 2·OW; set by the host only
// then): each cell is four writes, with no cell loops (whose per-lane bounds cost more than the writes on
// SwiftShader).
override CELL2: bool = false;
override RELU_MASK: bool = false;

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(2) var<storage, read> argmax: array<u32>;
@group(0) @binding(3) var<storage, read> y: array<f32>;
@group(0) @binding(4) var<storage, read_write> dx: array<f32>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let t = gid.x + gid.y * nwg.x * WG;
  if (CELLS) {
    cells(t);
  } else {
    gather(t);
  }
}

// The gradient window o routes to its argmax: dy[o], times the ReLU's derivative when RELU_MASK.
fn windowGrad(o: u32) -> f32 {
  if (RELU_MASK) {
    return select(0.0, dy[o], y[o] > 0.0);
  }
  return dy[o];
}

fn cells(t: u32) {
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
  let S = params.S;
  let P = params.P;
  let W = params.W;
  // Cell rows [r0, r1): P < S, so oh·S − P ≥ 0 for oh ≥ 1; the last cell row runs to H.
  let r0 = select(oh * S - P, 0u, oh == 0u);
  let r1 = select(min((oh + 1u) * S - P, params.H), params.H, oh == params.OH - 1u);
  let rowBase = (nc * params.H + r0) * W;
  let owEnd = min(ow0 + OX, params.OW);
  var o = row * params.OW + ow0;
  if (CELL2) {
    var i = rowBase + 2u * ow0;
    for (var ow = ow0; ow < owEnd; ow++) {
      let at = argmax[o];
      let g = windowGrad(o);
      dx[i] = select(0.0, g, i == at);
      dx[i + 1u] = select(0.0, g, i + 1u == at);
      dx[i + W] = select(0.0, g, i + W == at);
      dx[i + W + 1u] = select(0.0, g, i + W + 1u == at);
      i += 2u;
      o++;
    }
    return;
  }
  var c0 = select(ow0 * S - P, 0u, ow0 == 0u);
  for (var ow = ow0; ow < owEnd; ow++) {
    let c1 = select(min((ow + 1u) * S - P, W), W, ow == params.OW - 1u);
    let at = argmax[o];
    let g = windowGrad(o);
    var i0 = rowBase + c0;
    for (var r = r0; r < r1; r++) {
      for (var i = i0; i < i0 + (c1 - c0); i++) {
        dx[i] = select(0.0, g, i == at);
      }
      i0 += W;
    }
    c0 = c1;
    o++;
  }
}

fn gather(t: u32) {
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
  for (var iw = iw0; iw < iwEnd; iw++) {
    var acc = 0.0;
    for (var jy = jy0; jy <= qy && ry + jy * S < params.FH; jy++) {
      let oRow = outPlane + (qy - jy) * params.OW;
      for (var jx = 0u; jx <= qx && rx + jx * S < params.FW; jx++) {
        let ow = qx - jx;
        if (ow < params.OW) {
          let o = oRow + ow;
          acc += select(0.0, windowGrad(o), argmax[o] == i);
        }
      }
    }
    dx[i] = acc;
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
