// dropout: inverted dropout in training, y[i] = x[i]·scale if hash(seed, step, i) ≥ threshold, else 0,
// with threshold = round(rate·2^32) and scale = 1/(1 − rate) (both computed on the CPU). f32, any layout:
// the mask depends only on the global element index i, not on the dispatch shape.
// hash(seed, step, i) = pcg(pcg(i) ^ key), key = pcg(pcg(seed) ^ step), pcg = the PCG hash of Jarzynski &
// Olano (2020), a bijection on u32; src/reference/dropout.ts has the same function and the tests require
// the two masks to be bit-identical. No mask buffer: dropout-grad.wgsl recomputes the mask from the same
// (seed, step), which costs a few integer ops per element instead of 4 bytes written and read per element.
// The engine bumps `step` every training step with BoundKernel.setParams (on both kernels).
// Bindings: 0 params, 1 x (read), 2 y (read_write); n floats each; x and y must be different buffers.
// One thread does 4 consecutive elements (as activation.wgsl).

// @generated include dropout-body src=x dst=y — edit shaders/parts/dropout-body.wgsl, then npm run gen:wgsl
struct Params {
  n: u32,
  seed: u32,
  step: u32,
  threshold: u32,
  scale: f32,
}

override WG: u32 = 256;

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;

fn pcg(v: u32) -> u32 {
  let state = v * 747796405u + 2891336453u;
  let word = ((state >> ((state >> 28u) + 4u)) ^ state) * 277803737u;
  return (word >> 22u) ^ word;
}

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let key = pcg(pcg(params.seed) ^ params.step);
  let base = (gid.x + gid.y * nwg.x * WG) * 4u;
  for (var k = 0u; k < 4u; k++) {
    let i = base + k;
    if (i < params.n) {
      let keep = pcg(pcg(i) ^ key) >= params.threshold;
      y[i] = select(0.0, x[i] * params.scale, keep);
    }
  }
}
// @end
