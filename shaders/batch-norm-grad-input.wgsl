// batch-norm-grad-input: dx of the batch-norm training forward, NCHW f32 [N, C, HW], M = N·HW:
//   dx = (gamma·invStd/M)·(M·dy − Σdy − x̂·Σdy·x̂) = gamma·invStd·(dy − dbeta/M − (x − mean)·invStd·dgamma/M)
// where dbeta = Σdy and dgamma = Σdy·x̂ come from batch-norm-grad-reduce (same dispatch order, one pass).
// Bindings: 0 params, 1 x, 2 dy, 3 mean, 4 invStd, 5 gamma, 6 dgamma, 7 dbeta (read), 8 dx (read_write).
// One thread does 4 consecutive elements, exactly as batch-norm-apply.wgsl: one div/mod for the first
// element's channel, then (HW ≥ 4) the coefficients of channels c and c + 1 picked per element with
// select, or (HW < 4, last partial thread) the channel carried element by element.

struct Params {
  N: u32,
  C: u32,
  HW: u32,
}

override WG: u32 = 256;

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> dy: array<f32>;
@group(0) @binding(3) var<storage, read> mean: array<f32>;
@group(0) @binding(4) var<storage, read> invStd: array<f32>;
@group(0) @binding(5) var<storage, read> gamma: array<f32>;
@group(0) @binding(6) var<storage, read> dgamma: array<f32>;
@group(0) @binding(7) var<storage, read> dbeta: array<f32>;
@group(0) @binding(8) var<storage, read_write> dx: array<f32>;

// (mean, gamma·invStd, dbeta/M, invStd·dgamma/M) of channel c.
fn channel(c: u32, invM: f32) -> vec4f {
  let inv = invStd[c];
  return vec4f(mean[c], gamma[c] * inv, dbeta[c] * invM, inv * dgamma[c] * invM);
}

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let HW = params.HW;
  let C = params.C;
  let n = params.N * C * HW;
  let invM = 1.0 / f32(params.N * HW);
  let base = (gid.x + gid.y * nwg.x * WG) * 4u;
  if (base >= n) {
    return;
  }
  let q = base / HW;
  let hw = base - q * HW;
  let c = q % C;
  if (HW >= 4u && base + 4u <= n) {
    // Fast path, as in batch-norm-apply.wgsl: at most two channels, chosen per element by select.
    let k0 = channel(c, invM);
    let k1 = channel(select(c + 1u, 0u, c + 1u == C), invM);
    let w = HW - hw;
    for (var j = 0u; j < 4u; j++) {
      let k = select(k0, k1, j >= w);
      let i = base + j;
      dx[i] = k.y * (dy[i] - k.z - (x[i] - k.x) * k.w);
    }
    return;
  }
  // General path (HW < 4, or the last partial thread): carry the channel element by element.
  var h = hw;
  var cc = c;
  var k = channel(cc, invM);
  for (var j = 0u; j < 4u; j++) {
    let i = base + j;
    if (i >= n) {
      break;
    }
    dx[i] = k.y * (dy[i] - k.z - (x[i] - k.x) * k.w);
    h += 1u;
    if (h == HW && j < 3u) {
      h = 0u;
      cc += 1u;
      if (cc == C) {
        cc = 0u;
      }
      k = channel(cc, invM);
    }
  }
}
