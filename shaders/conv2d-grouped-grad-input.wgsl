// conv2d-grouped-grad-input: the input gradient of a grouped convolution (a transposed convolution),
// dx[n,c,ih,iw] = Σ_{k in c's group, kh, kw} dy[n, k, oh, ow] · w[k, c − g·Cg, kh, kw] over the taps
// with oh·S = ih + PH − kh·D and ow·S = iw + PW − kw·D (whole and inside the output), g = c / Cg.
// NCHW, f32; w [K, Cg, FH, FW]; Cg = C/G, Kg = K/G.
// Bindings: 0 params, 1 dy (read), 2 w (read), 3 dx (read_write, overwritten).
// One thread computes one input gradient value from the Kg filters of its channel's group.

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

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(2) var<storage, read> w: array<f32>;
@group(0) @binding(3) var<storage, read_write> dx: array<f32>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let t = gid.x + gid.y * nwg.x * WG;
  let HW = params.H * params.W;
  if (t >= params.N * params.C * HW) {
    return;
  }
  let nc = t / HW;
  let p = t - nc * HW;
  let n = nc / params.C;
  let c = nc - n * params.C;
  let ih = i32(p / params.W);
  let iw = i32(p - (p / params.W) * params.W);
  let Cg = params.C / params.G;
  let Kg = params.K / params.G;
  let g = c / Cg;
  let cc = c - g * Cg;
  let S = i32(params.S);
  let D = i32(params.D);
  let OH = i32(params.OH);
  let OW = i32(params.OW);
  let OHW = params.OH * params.OW;
  var sum = 0.0;
  for (var kh = 0; kh < i32(params.FH); kh++) {
    let th = ih + i32(params.PH) - kh * D;
    if (th < 0 || th % S != 0 || th / S >= OH) {
      continue;
    }
    let oh = u32(th / S);
    for (var kw = 0; kw < i32(params.FW); kw++) {
      let tw = iw + i32(params.PW) - kw * D;
      if (tw < 0 || tw % S != 0 || tw / S >= OW) {
        continue;
      }
      let pix = oh * params.OW + u32(tw / S);
      let tap = u32(kh) * params.FW + u32(kw);
      for (var j = 0u; j < Kg; j++) {
        let k = g * Kg + j;
        sum += dy[(n * params.K + k) * OHW + pix] * w[(k * Cg + cc) * params.FH * params.FW + tap];
      }
    }
  }
  dx[t] = sum;
}
