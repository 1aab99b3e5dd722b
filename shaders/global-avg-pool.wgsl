// global-avg-pool: y[n,c] = (Σ over the H·W pixels of plane (n, c) of x) / (H·W). x NCHW f32 seen as
// [N·C, HW]; y [N, C] f32.
// Bindings: 0 params, 1 x (read), 2 y (read_write).
// One thread sums one whole plane with four interleaved accumulators (shorter dependency chain, and a
// pairwise-ish order that keeps f32 rounding small). Planes are small in a CNN head (e.g. 7×7) and there
// are N·C of them, so this is enough parallelism; no workgroup memory (slow on SwiftShader).

struct Params {
  N: u32,
  C: u32,
  HW: u32,
}

override WG: u32 = 64;

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let p = gid.x + gid.y * nwg.x * WG;
  if (p >= params.N * params.C) {
    return;
  }
  let HW = params.HW;
  let start = p * HW;
  let end4 = start + (HW & ~3u);
  var s = vec4f(0.0);
  var i = start;
  for (; i < end4; i += 4u) {
    s += vec4f(x[i], x[i + 1u], x[i + 2u], x[i + 3u]);
  }
  var tail = 0.0;
  for (; i < start + HW; i++) {
    tail += x[i];
  }
  y[p] = ((s.x + s.y) + (s.z + s.w) + tail) / f32(HW);
}
