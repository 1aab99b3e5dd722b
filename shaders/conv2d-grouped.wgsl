// conv2d-grouped: grouped convolution forward, y[n,k,oh,ow] = b[k] + Σ_{c',kh,kw}
//   x[n, g·Cg + c', oh·S − PH + kh·D, ow·S − PW + kw·D] · w[k, c', kh, kw], with g = k / Kg the filter's
// group, Cg = C/G input channels and Kg = K/G filters per group (G = C: depthwise). Optional ReLU.
// NCHW, f32; w [K, Cg, FH, FW] (PyTorch's grouped layout). Padded positions read as zeros (masked).
// Bindings: 0 params, 1 x (read), 2 w (read), 3 b (read; a dummy without HAS_BIAS), 4 y (read_write).
// One thread computes one output value: a grouped conv's reduction is short (Cg·FH·FW; 9 for a 3×3
// depthwise conv), so there is no tile to share and each thread reads its own window.

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
}

override WG: u32 = 64;
override HAS_BIAS: u32 = 0;
override RELU: u32 = 0;

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> w: array<f32>;
@group(0) @binding(3) var<storage, read> b: array<f32>;
@group(0) @binding(4) var<storage, read_write> y: array<f32>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let t = gid.x + gid.y * nwg.x * WG;
  let OHW = params.OH * params.OW;
  if (t >= params.N * params.K * OHW) {
    return;
  }
  let nk = t / OHW;
  let p = t - nk * OHW;
  let n = nk / params.K;
  let k = nk - n * params.K;
  let oh = p / params.OW;
  let ow = p - oh * params.OW;
  let Cg = params.C / params.G;
  let Kg = params.K / params.G;
  let c0 = (k / Kg) * Cg;
  let H = i32(params.H);
  let W = i32(params.W);
  let D = i32(params.D);
  let ih0 = i32(oh * params.S) - i32(params.PH);
  let iw0 = i32(ow * params.S) - i32(params.PW);
  var sum = 0.0;
  for (var cc = 0u; cc < Cg; cc++) {
    let plane = (n * params.C + c0 + cc) * params.H * params.W;
    let wBase = (k * Cg + cc) * params.FH * params.FW;
    for (var kh = 0u; kh < params.FH; kh++) {
      let ih = ih0 + i32(kh) * D;
      if (ih < 0 || ih >= H) {
        continue;
      }
      let row = plane + u32(ih) * params.W;
      for (var kw = 0u; kw < params.FW; kw++) {
        let iw = iw0 + i32(kw) * D;
        if (iw >= 0 && iw < W) {
          sum += x[row + u32(iw)] * w[wBase + kh * params.FW + kw];
        }
      }
    }
  }
  if (HAS_BIAS != 0u) {
    sum += b[k];
  }
  if (RELU != 0u) {
    sum = max(sum, 0.0);
  }
  y[t] = sum;
}
