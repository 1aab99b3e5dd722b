// global-avg-pool-grad: dx[n,c,h,w] = dy[n,c] / (H·W), the mean's gradient broadcast over each plane.
// dy [N, C] f32; dx NCHW f32 seen as [N·C, HW], overwritten.
// Bindings: 0 params, 1 dy (read), 2 dx (read_write).
// One thread writes EX consecutive pixels of one plane (one div per thread to find the plane, then a
// plain run of stores); splitting planes into chunks keeps large planes parallel on real GPUs.

struct Params {
  N: u32,
  C: u32,
  HW: u32,
}

override WG: u32 = 64;
override EX: u32 = 16;

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(2) var<storage, read_write> dx: array<f32>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let t = gid.x + gid.y * nwg.x * WG;
  let HW = params.HW;
  let chunks = (HW + EX - 1u) / EX;
  let p = t / chunks;
  if (p >= params.N * params.C) {
    return;
  }
  let first = (t - p * chunks) * EX;
  let g = dy[p] / f32(HW);
  let start = p * HW + first;
  let end = p * HW + min(first + EX, HW);
  for (var i = start; i < end; i++) {
    dx[i] = g;
  }
}
