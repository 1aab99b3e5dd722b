// conv2d-pad: a zero-padded copy of a stack of planes, out[p, hp, wp] = inp[p, hp − PH, wp − PW] (0 outside
// inp), for p < planes, hp < Hp, wp < Wp. f32; inp [planes, H, W] (NCHW: planes = N·C), out [planes, Hp, Wp]
// (overwritten). Bindings: 0 params, 1 inp (read), 2 out (read_write).
// One thread writes one output row (Wp values), so the div/mod of the row index is paid once per row; the
// column walk takes 4 columns per iteration (SwiftShader pays for each loop iteration about as much as for
// a few loads: 4 per iteration made the copy about twice as fast).
// Why: the implicit-GEMM convolutions (conv2d-gemm.wgsl, conv2d-gemm-grad-weight.wgsl) read the padded copy
// without any bounds test or mask in their inner loops (on SwiftShader each masked gather costs more than the
// FMAs it feeds); the copy is small next to the GEMM (one read and one write per element).

struct Params {
  planes: u32,
  H: u32,
  W: u32,
  Hp: u32,
  Wp: u32,
  PH: u32,
  PW: u32,
}

override WG: u32 = 64;

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> inp: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let p = params;
  let row = gid.x + gid.y * nwg.x * WG;
  if (row >= p.planes * p.Hp) {
    return;
  }
  let plane = row / p.Hp;
  let hp = row - plane * p.Hp;
  let ih = i32(hp) - i32(p.PH);
  let rowOk = ih >= 0 && ih < i32(p.H);
  let src = i32(plane * p.H * p.W) + ih * i32(p.W) - i32(p.PW);
  let dst = row * p.Wp;
  for (var wp = 0u; wp < p.Wp; wp += 4u) {
    let cols = vec4u(wp) + vec4u(0u, 1u, 2u, 3u);
    let iw = vec4i(cols) - vec4i(i32(p.PW));
    let ok = vec4<bool>(rowOk) & (iw >= vec4i(0)) & (iw < vec4i(i32(p.W)));
    let at = vec4u(select(vec4i(0), vec4i(src) + vec4i(cols), ok));
    let v = select(vec4f(0.0), vec4f(inp[at.x], inp[at.y], inp[at.z], inp[at.w]), ok);
    out[dst + wp] = v.x;
    if (wp + 1u < p.Wp) { out[dst + wp + 1u] = v.y; }
    if (wp + 2u < p.Wp) { out[dst + wp + 2u] = v.z; }
    if (wp + 3u < p.Wp) { out[dst + wp + 3u] = v.w; }
  }
}
