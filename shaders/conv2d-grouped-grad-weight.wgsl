// conv2d-grouped-grad-weight: partial filter and bias gradients of a grouped convolution over one split
// of NB images: part[s, j] for j < K·Cg·FH·FW (j = ((k·Cg + c')·FH + kh)·FW + kw) is
//   Σ_{n in split s, oh, ow} dy[n,k,oh,ow] · x[n, g·Cg + c', oh·S − PH + kh·D, ow·S − PW + kw·D],
// g = k / Kg, and part[s, K·Cg·FH·FW + k] = Σ_{n in split s, oh, ow} dy[n,k,oh,ow] (the bias).
// reduce-sum-rows then adds the splits into dw [K, Cg, FH, FW] and db [K].
// NCHW, f32. Bindings: 0 params, 1 x (read), 2 dy (read), 3 part (read_write, [splits, K·Cg·FH·FW + K]).
// One thread computes one partial value (one filter tap or one bias) of one split.

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
  G: u32,
  NB: u32,
}

override WG: u32 = 64;

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> dy: array<f32>;
@group(0) @binding(3) var<storage, read_write> part: array<f32>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let t = gid.x + gid.y * nwg.x * WG;
  let Cg = params.C / params.G;
  let Kg = params.K / params.G;
  let taps = params.FH * params.FW;
  let crs = Cg * taps;
  let L = params.K * crs + params.K;
  let splits = (params.N + params.NB - 1u) / params.NB;
  if (t >= splits * L) {
    return;
  }
  let s = t / L;
  let j = t - s * L;
  let n0 = s * params.NB;
  let n1 = min(params.N, n0 + params.NB);
  let OHW = params.OH * params.OW;
  var sum = 0.0;
  if (j >= params.K * crs) {
    let k = j - params.K * crs;
    for (var n = n0; n < n1; n++) {
      let base = (n * params.K + k) * OHW;
      for (var q = 0u; q < OHW; q++) {
        sum += dy[base + q];
      }
    }
    part[t] = sum;
    return;
  }
  let k = j / crs;
  let r = j - k * crs;
  let cc = r / taps;
  let tap = r - cc * taps;
  let kh = tap / params.FW;
  let kw = tap - kh * params.FW;
  let c = (k / Kg) * Cg + cc;
  let H = i32(params.H);
  let W = i32(params.W);
  let dh = i32(kh * params.D) - i32(params.PH);
  let dw = i32(kw * params.D) - i32(params.PW);
  for (var n = n0; n < n1; n++) {
    let plane = (n * params.C + c) * params.H * params.W;
    let dyBase = (n * params.K + k) * OHW;
    for (var oh = 0u; oh < params.OH; oh++) {
      let ih = i32(oh * params.S) + dh;
      if (ih < 0 || ih >= H) {
        continue;
      }
      let row = plane + u32(ih) * params.W;
      let dyRow = dyBase + oh * params.OW;
      for (var ow = 0u; ow < params.OW; ow++) {
        let iw = i32(ow * params.S) + dw;
        if (iw >= 0 && iw < W) {
          sum += dy[dyRow + ow] * x[row + u32(iw)];
        }
      }
    }
  }
  part[t] = sum;
}
