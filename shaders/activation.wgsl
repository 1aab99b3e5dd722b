// activation: y = act(x), element-wise, f32. ACT selects ReLU (0), LeakyReLU(alpha) (1), sigmoid (2),
// tanh (3) as an override constant, so each activation is its own specialised pipeline.
// Bindings: 0 params, 1 x (read), 2 y (read_write); x and y may be different buffers of n floats.
// One thread does 4 consecutive elements: fewer invocations, less index arithmetic per element
// (index arithmetic is what costs most on SwiftShader).

struct Params {
  n: u32,
  alpha: f32,
}

override WG: u32 = 256;
override ACT: u32 = 0;

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;

fn act(v: f32) -> f32 {
  switch ACT {
    case 0u: { return max(v, 0.0); }
    case 1u: { return select(params.alpha * v, v, v > 0.0); }
    case 2u: { return 1.0 / (1.0 + exp(-v)); }
    default: { return tanh(v); }
  }
}

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let base = (gid.x + gid.y * nwg.x * WG) * 4u;
  for (var k = 0u; k < 4u; k++) {
    let i = base + k;
    if (i < params.n) {
      y[i] = act(x[i]);
    }
  }
}
