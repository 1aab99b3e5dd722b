// batch-norm-stats: per-channel batch statistics of an NCHW f32 tensor x [N, C, HW] (a dense [N, F]
// input is C = F, HW = 1), for the training forward. Over the M = N·HW values of channel c:
//   mean[c] = Σx / M,  var = Σ(x − mean)² / M (biased),  invStd[c] = 1/sqrt(var + epsilon),
//   runningMean[c] = (1 − momentum)·runningMean[c] + momentum·mean[c]
//   runningVar[c]  = (1 − momentum)·runningVar[c]  + momentum·var·M/(M − 1)   (unbiased; biased if M = 1)
// (PyTorch's convention). The running statistics are updated IN PLACE (read_write); momentum 0 freezes them.
// Bindings: 0 params, 1 x (read), 2 mean, 3 invStd (written), 4 runningMean, 5 runningVar (read and
// written); per-channel buffers hold C floats.
// One workgroup per channel (dispatch C × 1 × 1). Two passes for numerical stability (the variance is
// summed around the mean, no E[x²] − E[x]² cancellation). In each pass thread t sums the elements
// t, t + WG, t + 2·WG, … of the channel, carrying (n, hw, address) from one to the next so there is no
// div/mod per element; consecutive threads read consecutive addresses. The WG partial sums are then
// combined by a tree reduction in workgroup memory. WG must be a power of two.

struct Params {
  N: u32,
  C: u32,
  HW: u32,
  momentum: f32,
  epsilon: f32,
}

override WG: u32 = 256;

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> mean: array<f32>;
@group(0) @binding(3) var<storage, read_write> invStd: array<f32>;
@group(0) @binding(4) var<storage, read_write> runningMean: array<f32>;
@group(0) @binding(5) var<storage, read_write> runningVar: array<f32>;

var<workgroup> partial: array<f32, WG>;

// This thread's share of Σ (x − shift) (SQUARE false) or Σ (x − shift)² (SQUARE true) over channel c.
fn threadSum(tid: u32, c: u32, shift: f32, square: bool) -> f32 {
  let HW = params.HW;
  let CHW = params.C * HW;
  // Advancing the within-channel index m by WG moves n by dn and hw by dhw (then at most one wrap).
  let dn = WG / HW;
  let dhw = WG % HW;
  var n = tid / HW;
  var hw = tid % HW;
  var a = n * CHW + c * HW + hw;
  var s = 0.0;
  while (n < params.N) {
    let d = x[a] - shift;
    s += select(d, d * d, square);
    hw += dhw;
    n += dn;
    a += dn * CHW + dhw;
    if (hw >= HW) {
      hw -= HW;
      n += 1u;
      a += CHW - HW;
    }
  }
  return s;
}

// Sum of v over the workgroup; every thread gets the total.
fn workgroupSum(tid: u32, v: f32) -> f32 {
  partial[tid] = v;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s >>= 1u) {
    if (tid < s) {
      partial[tid] += partial[tid + s];
    }
    workgroupBarrier();
  }
  let total = partial[0];
  workgroupBarrier();
  return total;
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) tid: u32) {
  let c = wid.x;
  let M = params.N * params.HW;
  let mu = workgroupSum(tid, threadSum(tid, c, 0.0, false)) / f32(M);
  let sq = workgroupSum(tid, threadSum(tid, c, mu, true));
  if (tid == 0u) {
    let v = sq / f32(M);
    let unbiased = select(v, sq / f32(M - 1u), M > 1u);
    let m = params.momentum;
    mean[c] = mu;
    invStd[c] = inverseSqrt(v + params.epsilon);
    runningMean[c] = (1.0 - m) * runningMean[c] + m * mu;
    runningVar[c] = (1.0 - m) * runningVar[c] + m * unbiased;
  }
}
