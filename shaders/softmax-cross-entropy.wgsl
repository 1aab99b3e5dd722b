// softmax-cross-entropy: fused softmax + cross-entropy, forward and backward in one pass, f32, with the
// batch's loss and accuracy reduced on the GPU.
//   m_r          = max_c x[r, c]                                   (subtracted: exp never overflows)
//   p[r, c]      = exp(x[r, c] − m_r) / s_r,   s_r = Σ_c exp(x[r, c] − m_r)   (1 ≤ s_r ≤ classes)
//   loss[r]      = log s_r − (x[r, label_r] − m_r)                 (= −log p[r, label_r])
//   dlogits[r,c] = (p[r, c] − [c = label_r]) · gradScale           (gradScale = 1/N: gradient of the mean)
//   stats[slot]  = { lossSum Σ_r loss[r], correct #{argmax_c x[r, c] = label_r}, rows N,
//                    nonFinite #{loss[r] not finite} }, overwritten (accumulate = 0) or added to (1).
// Layouts: logits, probs, dlogits [N, classes] row-major; labels u32 [N] (the dataset's u8 labels are
// widened by batch-gather); rowLoss f32 [N]; stats an array of 16-byte Stats slots.
// A row with a non-finite logit, or a label ≥ classes, gets loss NaN and NaN probs/dlogits, so the NaN
// guard sees it instead of a silent 0. argmax ties go to the lowest index (strict >);
// a NaN never replaces the running max (such rows have a NaN loss anyway).
// Bindings: 0 params, 1 logits (read), 2 labels (read), 3 dlogits, 4 probs, 5 rowLoss, 6 stats
// (read_write). WRITE_DLOGITS / WRITE_PROBS / WRITE_ROW_LOSS switch the optional outputs off (their
// bindings then hold a placeholder).
// ONE workgroup does the whole batch: thread t does rows t, t + WG, t + 2·WG, … (the row base carried,
// no per-element div/mod), keeps its loss sum and counts in registers; a workgroup tree reduction sums
// them and thread 0 writes the slot. Why one workgroup: the work is tiny (N ≤ 1024 rows of 10 classes),
// WGSL has no float atomics, and one workgroup gives a deterministic sum in the same dispatch (no second
// reduction pass). WG must be a power of two.

struct Params {
  N: u32,
  classes: u32,
  gradScale: f32,
  slot: u32,
  accumulate: u32,
}

struct Stats {
  lossSum: f32,
  correct: u32,
  rows: u32,
  nonFinite: u32,
}

override WG: u32 = 256;
override WRITE_DLOGITS: bool = true;
override WRITE_PROBS: bool = false;
override WRITE_ROW_LOSS: bool = false;

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> logits: array<f32>;
@group(0) @binding(2) var<storage, read> labels: array<u32>;
@group(0) @binding(3) var<storage, read_write> dlogits: array<f32>;
@group(0) @binding(4) var<storage, read_write> probs: array<f32>;
@group(0) @binding(5) var<storage, read_write> rowLoss: array<f32>;
@group(0) @binding(6) var<storage, read_write> stats: array<Stats>;

var<workgroup> wgLoss: array<f32, WG>;
var<workgroup> wgCorrect: array<u32, WG>;
var<workgroup> wgNonFinite: array<u32, WG>;

// Inf and NaN have all exponent bits set; a bit test cannot be optimised away like v != v can.
fn isFinite(v: f32) -> bool {
  return (bitcast<u32>(v) & 0x7f800000u) != 0x7f800000u;
}

// A quiet NaN made at run time (a NaN constant expression is a shader-creation error in WGSL).
fn quietNan() -> f32 {
  let bits = 0x7fc00000u;
  return bitcast<f32>(bits);
}

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_index) lid: u32) {
  let classes = params.classes;
  var lossSum = 0.0;
  var correct = 0u;
  var nonFinite = 0u;
  var base = lid * classes;
  for (var r = lid; r < params.N; r += WG) {
    let label = labels[r];
    var m = logits[base];
    var finite = isFinite(m);
    var best = 0u;
    for (var c = 1u; c < classes; c++) {
      let v = logits[base + c];
      finite = finite && isFinite(v);
      if (v > m) {
        m = v;
        best = c;
      }
    }
    var s = 0.0;
    for (var c = 0u; c < classes; c++) {
      s += exp(logits[base + c] - m);
    }
    let valid = finite && label < classes;
    var loss = quietNan();
    if (valid) {
      loss = log(s) - (logits[base + label] - m);
    }
    if (WRITE_DLOGITS || WRITE_PROBS) {
      let inv = 1.0 / s;
      for (var c = 0u; c < classes; c++) {
        var p = quietNan();
        if (valid) {
          p = exp(logits[base + c] - m) * inv;
        }
        if (WRITE_PROBS) {
          probs[base + c] = p;
        }
        if (WRITE_DLOGITS) {
          dlogits[base + c] = (p - select(0.0, 1.0, c == label)) * params.gradScale;
        }
      }
    }
    if (WRITE_ROW_LOSS) {
      rowLoss[r] = loss;
    }
    lossSum += loss;
    correct += select(0u, 1u, best == label);
    nonFinite += select(1u, 0u, isFinite(loss));
    base += WG * classes;
  }

  wgLoss[lid] = lossSum;
  wgCorrect[lid] = correct;
  wgNonFinite[lid] = nonFinite;
  workgroupBarrier();
  for (var half = WG / 2u; half > 0u; half >>= 1u) {
    if (lid < half) {
      wgLoss[lid] += wgLoss[lid + half];
      wgCorrect[lid] += wgCorrect[lid + half];
      wgNonFinite[lid] += wgNonFinite[lid + half];
    }
    workgroupBarrier();
  }
  if (lid == 0u) {
    var out = Stats(wgLoss[0], wgCorrect[0], params.N, wgNonFinite[0]);
    if (params.accumulate != 0u) {
      let old = stats[params.slot];
      out = Stats(old.lossSum + out.lossSum, old.correct + out.correct, old.rows + out.rows, old.nonFinite + out.nonFinite);
    }
    stats[params.slot] = out;
  }
}
