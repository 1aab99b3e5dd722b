// batch-gather: copies one training batch out of the GPU-resident u8 dataset, in the (shuffled) epoch
// order, normalising on the way:
//   s = indices[offset + n]                                       (n in 0..N−1: the sample's dataset row)
//   x[n, j]  = f32(image byte j of sample s) · scale_c + shift_c  (j in 0..imageBytes−1, c = j / plane)
//   y[n]     = label byte s                                        (widened u8 → u32)
// with scale_c = 1/(255·std_c), shift_c = −mean_c/std_c, so x = (byte/255 − mean_c)/std_c per channel
// c (up to 3: grey or RGB; MNIST: mean 0.1307, std 0.3081; computed on the CPU in float64, see
// src/kernels/batch-gather.ts). A channel plane (H·W bytes) is a whole number of words, so the four
// pixels of one word share a channel.
// Layouts: images a u32 array holding the dataset's bytes packed little-endian, 4 pixels per word, one
// image after another (imageBytes = C·H·W bytes per image, a multiple of 4, so every image starts on a
// word); labels one byte per sample, packed the same way; indices u32; x f32 [N, C, H, W] (NCHW) bound
// as vec4<f32>; y u32 [N].
// Bindings: 0 params, 1 images, 2 labels, 3 indices (read), 4 x, 5 y (read_write).
// One workgroup per sample (the sample index comes from the workgroup id, so no per-element division);
// its threads stride over the image's words, each turning one word (4 pixels) into one vec4 store.

struct Params {
  N: u32,
  imageWords: u32,
  offset: u32,
  planeWords: u32,
  scale0: f32,
  shift0: f32,
  scale1: f32,
  shift1: f32,
  scale2: f32,
  shift2: f32,
}

override WG: u32 = 64;

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> images: array<u32>;
@group(0) @binding(2) var<storage, read> labels: array<u32>;
@group(0) @binding(3) var<storage, read> indices: array<u32>;
@group(0) @binding(4) var<storage, read_write> x: array<vec4<f32>>;
@group(0) @binding(5) var<storage, read_write> y: array<u32>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let n = wid.x + wid.y * nwg.x;
  if (n >= params.N) {
    return;
  }
  let s = indices[params.offset + n];
  let words = params.imageWords;
  let src = s * words;
  let dst = n * words;
  for (var w = lid; w < words; w += WG) {
    let packed = images[src + w];
    let bytes = vec4<u32>(packed & 0xffu, (packed >> 8u) & 0xffu, (packed >> 16u) & 0xffu, packed >> 24u);
    let c = w / params.planeWords;
    var scale = params.scale0;
    var shift = params.shift0;
    if (c == 1u) {
      scale = params.scale1;
      shift = params.shift1;
    } else if (c >= 2u) {
      scale = params.scale2;
      shift = params.shift2;
    }
    x[dst + w] = vec4<f32>(bytes) * scale + shift;
  }
  if (lid == 0u) {
    y[n] = (labels[s >> 2u] >> ((s & 3u) * 8u)) & 0xffu;
  }
}
