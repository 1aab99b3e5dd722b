// batch-norm-grad-reduce: the per-channel sums of the batch-norm training backward, over the M = N·HW
// values of channel c of NCHW f32 tensors [N, C, HW]:
//   dbeta[c] = Σ dy,   dgamma[c] = Σ dy·x̂  with x̂ = (x − mean[c])·invStd[c]
// (mean and invStd as saved by batch-norm-stats). Both are OVERWRITTEN (not accumulated).
// Bindings: 0 params, 1 x, 2 dy, 3 mean, 4 invStd (read), 5 dgamma, 6 dbeta (read_write, C floats).
// One workgroup per channel (dispatch C × 1 × 1); thread t sums elements t, t + WG, … carrying
// (n, hw, address) without per-element div/mod, as batch-norm-stats.wgsl does; then one tree reduction
// of the pair (Σ dy, Σ dy·(x − mean)) in workgroup memory. WG must be a power of two.

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
@group(0) @binding(5) var<storage, read_write> dgamma: array<f32>;
@group(0) @binding(6) var<storage, read_write> dbeta: array<f32>;

var<workgroup> partial: array<vec2f, WG>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) tid: u32) {
  let c = wid.x;
  let HW = params.HW;
  let CHW = params.C * HW;
  let mu = mean[c];
  let dn = WG / HW;
  let dhw = WG % HW;
  var n = tid / HW;
  var hw = tid % HW;
  var a = n * CHW + c * HW + hw;
  var s = vec2f(0.0);
  while (n < params.N) {
    let g = dy[a];
    s += vec2f(g, g * (x[a] - mu));
    hw += dhw;
    n += dn;
    a += dn * CHW + dhw;
    if (hw >= HW) {
      hw -= HW;
      n += 1u;
      a += CHW - HW;
    }
  }
  partial[tid] = s;
  workgroupBarrier();
  for (var k = WG / 2u; k > 0u; k >>= 1u) {
    if (tid < k) {
      partial[tid] += partial[tid + k];
    }
    workgroupBarrier();
  }
  if (tid == 0u) {
    let total = partial[0];
    dbeta[c] = total.x;
    dgamma[c] = total.y * invStd[c];
  }
}
