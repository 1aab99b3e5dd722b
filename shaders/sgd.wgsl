// sgd: one SGD step over a flat f32 parameter buffer (every layer's parameters contiguous; grads and
// velocity in the same layout), PyTorch semantics (torch.optim.SGD, dampening 0):
//   g = grad + weightDecay·w;  v = momentum·v + g;  w −= lr·(NESTEROV ? g + momentum·v : v)
// With MOMENTUM off: w −= lr·g and the velocity binding (a placeholder) is not touched.
// The velocity must start at zero (PyTorch's first-step v = g is then the same formula).
// Bindings: 0 params, 1 grads (read), 2 weights (read_write), 3 velocity (read_write), all vec4<f32>;
// 4 stats (read; the loss stats ring, read only when GUARD is on).
// One thread does 4 consecutive elements as one vec4 (the buffers are bound as vec4 arrays, so each
// binding must cover ceil(n/4)·4 floats; a whole pooled buffer always does). In the last, partial vec4
// only the components below n are written, so whatever follows the n floats is left alone.
// GUARD (training): a step whose loss was not finite (stats[statsSlot].nonFinite > 0, written by
// softmax-cross-entropy earlier in the same submit) leaves weights and optimizer state untouched, so a
// blow-up never reaches the weights and the trainer needs no per-step wait to catch it.

struct Params {
  n: u32,
  lr: f32,
  momentum: f32,
  weightDecay: f32,
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
override MOMENTUM: bool = true;
override NESTEROV: bool = false;

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> grads: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read_write> weights: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read_write> velocity: array<vec4<f32>>;
@group(0) @binding(4) var<storage, read> stats: array<Stats>;

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
  let full = first + 4u <= params.n;
  let w = weights[i];
  var g = grads[i] + params.weightDecay * w;
  if (MOMENTUM) {
    let v = params.momentum * velocity[i] + g;
    if (full) {
      velocity[i] = v;
    } else {
      for (var k = 0u; k < params.n - first; k++) {
        velocity[i][k] = v[k];
      }
    }
    if (NESTEROV) {
      g += params.momentum * v;
    } else {
      g = v;
    }
  }
  let out = w - params.lr * g;
  if (full) {
    weights[i] = out;
  } else {
    for (var k = 0u; k < params.n - first; k++) {
      weights[i][k] = out[k];
    }
  }
}
