// add: c[i] = alpha·a[i] + b[i] over n f32 elements (alpha = 1: plain sum). The engine uses it to sum
// the gradients of a tensor that feeds two consumers; alpha gives the scaled variant (an axpy; alpha = −1
// gives b − a). Any layout: purely element-wise.
// Bindings: 0 params, 1 a (read), 2 b (read), 3 c (read_write); c must be a buffer distinct from a and
// b (WebGPU forbids a writable binding aliasing another binding in one dispatch).
// One thread does 4 consecutive elements (as activation.wgsl).

struct Params {
  n: u32,
  alpha: f32,
}

override WG: u32 = 256;

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(3) var<storage, read_write> c: array<f32>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let base = (gid.x + gid.y * nwg.x * WG) * 4u;
  for (var k = 0u; k < 4u; k++) {
    let i = base + k;
    if (i < params.n) {
      c[i] = fma(params.alpha, a[i], b[i]);
    }
  }
}
