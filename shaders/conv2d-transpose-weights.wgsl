// conv2d-transpose-weights: the filters of a convolution rearranged as the [R, KO] operand of the implicit
// GEMM (R = reduction length, KO = output channels), zero-padded to [Rp, KOp] (Rp, KOp multiples of 4) so the
// GEMM reads it as vec4 along the output channels. f32; w [K,C,FH,FW] (NCHW filters), out [Rp, KOp]
// (overwritten). Bindings: 0 params, 1 w (read), 2 out (read_write).
//   FLIP = false (forward, conv2d-gemm.wgsl): R = C·FH·FW, KO = K, out[(c,fh,fw), k] = w[k,c,fh,fw].
//   FLIP = true (grad-input at stride 1 as a forward convolution of dy): R = K·FH·FW, KO = C,
//     out[(k,i,j), c] = w[k, c, FH−1−i, FW−1−j] (filters flipped, channels and filters swapped).
// One thread per output element (the filters are small: tens of thousands of values).

struct Params {
  K: u32,
  C: u32,
  FH: u32,
  FW: u32,
  KOp: u32,
  Rp: u32,
}

override FLIP: bool = false;
override WG: u32 = 64;

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> w: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let p = params;
  let i = gid.x + gid.y * nwg.x * WG;
  if (i >= p.Rp * p.KOp) {
    return;
  }
  let r = i / p.KOp;
  let ko = i - r * p.KOp;
  let fhw = p.FH * p.FW;
  var src = 0u;
  var ok = false;
  if (FLIP) {
    // r = (k, i, j), ko = c
    let k = r / fhw;
    let ij = r - k * fhw;
    ok = k < p.K && ko < p.C;
    src = (k * p.C + ko) * fhw + (fhw - 1u - ij);
  } else {
    // r = (c, fh, fw), ko = k
    let R = p.C * fhw;
    ok = r < R && ko < p.K;
    src = ko * R + r;
  }
  out[i] = select(0.0, w[select(0u, src, ok)], ok);
}
