// batch-norm-apply: y = (x − mean[c])·inv[c]·gamma[c] + beta[c] over an NCHW f32 tensor [N, C, HW],
// element-wise with per-channel statistics. EVAL selects where inv comes from:
//   EVAL = 0 (training): mean and stat are the batch mean and inv-std from batch-norm-stats; inv = stat.
//   EVAL = 1 (eval):     mean and stat are the running mean and running VARIANCE; inv = 1/sqrt(stat + epsilon).
// Bindings: 0 params, 1 x, 2 mean, 3 stat, 4 gamma, 5 beta (read), 6 y (read_write, N·C·HW floats).
// One thread does 4 consecutive elements (as activation.wgsl). Its channel is found with one div/mod
// for the first element and then carried (hw++ and wrap), and the per-channel scale is recomputed only
// when the channel changes, so the per-element work is one subtract and one fused multiply-add.

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
  var hw = base - q * HW;
  var c = q % C;
  var k = channel(c);
  for (var j = 0u; j < 4u; j++) {
    let i = base + j;
    if (i >= n) {
      break;
    }
    y[i] = fma(x[i] - k.x, k.y, k.z);
    hw += 1u;
    if (hw == HW && j < 3u) {
      hw = 0u;
      c += 1u;
      if (c == C) {
        c = 0u;
      }
      k = channel(c);
    }
  }
}
