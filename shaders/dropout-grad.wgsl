// dropout-grad: dx[i] = dy[i]·scale where the forward kept element i, else 0. The mask is RECOMPUTED
// from (seed, step) with exactly the hash of dropout.wgsl (keep the two in step; the tests check both
// against src/reference/dropout.ts), so the engine must give this kernel the same params as the forward
// of the same training step. f32, n elements, any layout.
// Bindings: 0 params, 1 dy (read), 2 dx (read_write); different buffers.
// One thread does 4 consecutive elements.

// @generated include dropout-body src=dy dst=dx — edit shaders/parts/dropout-body.wgsl, then npm run gen:wgsl
struct Params {
  n: u32,
  seed: u32,
  step: u32,
  threshold: u32,
  scale: f32,
}

override WG: u32 = 256;

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(2) var<storage, read_write> dx: array<f32>;

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
      dx[i] = select(0.0, dy[i] * params.scale, keep);
    }
  }
}
// @end
