// adam: one Adam or AdamW step over a flat f32 parameter buffer (every layer's parameters contiguous;
// grads, m and v in the same layout), PyTorch semantics (torch.optim.Adam / AdamW, amsgrad off):
//   g = grad + l2·w                       (Adam's L2 weight decay; l2 = 0 for AdamW)
//   m = beta1·m + oneMinusBeta1·g;  v = beta2·v + oneMinusBeta2·g²
//   w = decay·w − stepSize·m / (√v · invSqrtBc2 + epsilon)
// The step-dependent scalars are computed on the CPU in float64 each step (src/kernels/adam.ts
// adamParams) and passed as f32: stepSize = lr/(1 − beta1^t), invSqrtBc2 = 1/√(1 − beta2^t),
// decay = 1 − lr·weightDecay for AdamW (1 for Adam), and 1 − beta1, 1 − beta2 (rounding 1 − 0.999 once
// from float64 is ~10⁴× more accurate than subtracting an f32 0.999 on the GPU). One pipeline does both
// Adam and AdamW: decay = 1 and l2 = 0 are exact no-ops. m and v must start at zero.
// Bindings: 0 params, 1 grads (read), 2 weights, 3 m, 4 v (read_write), all vec4<f32>; 5 stats (read;
// the loss stats ring, read only when GUARD is on).
// One thread does 4 consecutive elements as one vec4 (each binding must cover ceil(n/4)·4 floats; a
// whole pooled buffer always does). In the last, partial vec4 only the components below n are written.
// GUARD (training): a step whose loss was not finite (stats[statsSlot].nonFinite > 0, written by
// softmax-cross-entropy earlier in the same submit) leaves weights and optimizer state untouched, so a
// blow-up never reaches the weights and the trainer needs no per-step wait to catch it.

struct Params {
  n: u32,
  beta1: f32,
  beta2: f32,
  oneMinusBeta1: f32,
  oneMinusBeta2: f32,
  epsilon: f32,
  l2: f32,
  decay: f32,
  stepSize: f32,
  invSqrtBc2: f32,
  statsSlot: u32,
}

struct Stats {
  lossSum: f32,
  correct: u32,
  rows: u32,
  nonFinite: u32,
}

override WG: u32 = 256;
override GUARD: bool = false;

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> grads: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read_write> weights: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read_write> m: array<vec4<f32>>;
@group(0) @binding(4) var<storage, read_write> v: array<vec4<f32>>;
@group(0) @binding(5) var<storage, read> stats: array<Stats>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = gid.x + gid.y * nwg.x * WG;
  let first = i * 4u;
  if (first >= params.n) {
    return;
  }
  if (GUARD && stats[params.statsSlot].nonFinite != 0u) {
    return;
  }
  let w = weights[i];
  let g = grads[i] + params.l2 * w;
  let m1 = params.beta1 * m[i] + params.oneMinusBeta1 * g;
  let v1 = params.beta2 * v[i] + params.oneMinusBeta2 * (g * g);
  let out = params.decay * w - params.stepSize * m1 / (sqrt(v1) * params.invSqrtBc2 + params.epsilon);
  if (first + 4u <= params.n) {
    weights[i] = out;
    m[i] = m1;
    v[i] = v1;
  } else {
    for (var k = 0u; k < params.n - first; k++) {
      weights[i][k] = out[k];
      m[i][k] = m1[k];
      v[i][k] = v1[k];
    }
  }
}
