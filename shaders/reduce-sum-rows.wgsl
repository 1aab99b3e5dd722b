// reduce-sum-rows: out[j] = Σ_{s < R} inp[offset + s·stride + j] for j < L, f32 (out overwritten).
// Adds the per-split partial sums of conv2d-grad-weight.wgsl into dW and dB, and gives a dense layer's
// bias gradient (column sums of dy [batch, out]: offset 0, stride = L = out, R = batch).
// Outputs j ≥ split are stored `gap` floats further on: a conv layer's filter and bias gradients, which
// lie apart in the flat gradient buffer (each tensor starts on a 256-byte boundary), come from one
// dispatch bound to the range spanning both (split = K·CRS, gap = the padding between them; else
// split = L, gap = 0).
// Bindings: 0 params, 1 inp (read), 2 out (read_write).
// One thread per output element, walking down its column: reads of neighbouring threads are
// neighbouring floats, and the row count is small (splits or a batch), so no tree reduction is needed.

struct Params {
  R: u32,
  L: u32,
  stride: u32,
  offset: u32,
  split: u32,
  gap: u32,
}

override WG: u32 = 64;

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> inp: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let j = gid.x + gid.y * nwg.x * WG;
  if (j >= params.L) {
    return;
  }
  var sum = 0.0;
  var i = params.offset + j;
  for (var s = 0u; s < params.R; s++) {
    sum += inp[i];
    i += params.stride;
  }
  out[j + select(0u, params.gap, j >= params.split)] = sum;
}
