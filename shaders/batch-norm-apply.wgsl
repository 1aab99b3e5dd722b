// batch-norm-apply: y = (x − mean[c])·inv[c]·gamma[c] + beta[c] over an NCHW f32 tensor [N, C, HW],
// element-wise with per-channel statistics. EVAL selects where inv comes from:
//   EVAL = 0 (training): mean and stat are the batch mean and inv-std from batch-norm-stats; inv = stat.
//   EVAL = 1 (eval):     mean and stat are the running mean and running VARIANCE; inv = 1/sqrt(stat + epsilon).
// Bindings: 0 params, 1 x, 2 mean, 3 stat, 4 gamma, 5 beta (read), 6 y (read_write, N·C·HW floats).
// One thread does 4 consecutive elements (as activation.wgsl), with one div/mod for the first one's
// channel c. When HW ≥ 4 the 4 elements span at most channels c and c + 1: both channels' coefficients
// are loaded up front and picked per element with select (no per-element branch; on SwiftShader this
// ran ~1.8× faster than carrying the channel with a reload branch). HW < 4 (dense layers) and the last
// partial thread carry the channel element by element instead.

struct Params {
  N: u32,
  C: u32,
  HW: u32,
  epsilon: f32,
}

override WG: u32 = 256;
override EVAL: u32 = 0;

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> mean: array<f32>;
@group(0) @binding(3) var<storage, read> stat: array<f32>;
@group(0) @binding(4) var<storage, read> gamma: array<f32>;
@group(0) @binding(5) var<storage, read> beta: array<f32>;
@group(0) @binding(6) var<storage, read_write> y: array<f32>;

// (mean, gamma·inv, beta) of channel c.
fn channel(c: u32) -> vec3f {
  let s = stat[c];
  let inv = select(s, inverseSqrt(s + params.epsilon), EVAL == 1u);
  return vec3f(mean[c], gamma[c] * inv, beta[c]);
}

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let HW = params.HW;
  let C = params.C;
  let n = params.N * C * HW;
  let base = (gid.x + gid.y * nwg.x * WG) * 4u;
  if (base >= n) {
    return;
  }
  let q = base / HW;
  let hw = base - q * HW;
  let c = q % C;
  if (HW >= 4u && base + 4u <= n) {
    // Fast path (every full thread when HW ≥ 4): the 4 elements span at most two channels, c and the
    // next one; element j belongs to the second from j = HW − hw on. No branches per element.
    let k0 = channel(c);
    let k1 = channel(select(c + 1u, 0u, c + 1u == C));
    let w = HW - hw;
    for (var j = 0u; j < 4u; j++) {
      let k = select(k0, k1, j >= w);
      let i = base + j;
      y[i] = fma(x[i] - k.x, k.y, k.z);
    }
    return;
  }
  // General path (HW < 4, or the last partial thread): carry the channel element by element.
  var h = hw;
  var cc = c;
  var k = channel(cc);
  for (var j = 0u; j < 4u; j++) {
    let i = base + j;
    if (i >= n) {
      break;
    }
    y[i] = fma(x[i] - k.x, k.y, k.z);
    h += 1u;
    if (h == HW && j < 3u) {
      h = 0u;
      cc += 1u;
      if (cc == C) {
        cc = 0u;
      }
      k = channel(cc);
    }
  }
}
