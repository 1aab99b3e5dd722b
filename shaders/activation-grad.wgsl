// activation-grad: dx = dy · act'(·), element-wise, f32. The derivative is written in terms of the
// forward OUTPUT y (ReLU/Leaky: y > 0 ⇔ x > 0 for alpha > 0; sigmoid: y(1 − y); tanh: 1 − y²), so the
// forward pass may run in place and x need not be kept.
// Bindings: 0 params, 1 y (read), 2 dy (read), 3 dx (read_write). ACT as in activation.wgsl.
// One thread does 4 consecutive elements.

struct Params {
  n: u32,
  alpha: f32,
}

override WG: u32 = 256;
override ACT: u32 = 0;

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> y: array<f32>;
@group(0) @binding(2) var<storage, read> dy: array<f32>;
@group(0) @binding(3) var<storage, read_write> dx: array<f32>;

fn dact(v: f32) -> f32 {
  switch ACT {
    case 0u: { return select(0.0, 1.0, v > 0.0); }
    case 1u: { return select(params.alpha, 1.0, v > 0.0); }
    case 2u: { return v * (1.0 - v); }
    default: { return 1.0 - v * v; }
  }
}

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let base = (gid.x + gid.y * nwg.x * WG) * 4u;
  for (var k = 0u; k < 4u; k++) {
    let i = base + k;
    if (i < params.n) {
      dx[i] = dy[i] * dact(y[i]);
    }
  }
}
