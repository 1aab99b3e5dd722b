// confusion-matrix: ADDS one batch to a confusion matrix (an accumulating kernel, unlike most):
//   matrix[label_r, argmax_c logits[r, c]] += 1   for every row r with label_r < classes
// Layouts: logits f32 [N, classes] row-major; labels u32 [N]; matrix u32 [classes, classes], row = true
// label, column = predicted. Clear the matrix before the first batch of an evaluation. argmax ties go to
// the lowest index (strict >), as in softmax-cross-entropy, so the trace equals its correct count; a
// comparison with NaN is false, so a NaN never replaces the running max (a NaN in column 0 stays the
// prediction). Rows with a label ≥ classes are skipped.
// Bindings: 0 params, 1 logits, 2 labels (read), 3 matrix (read_write, atomic).
// One thread per row: a row is only `classes` (10) floats, and atomicAdd resolves collisions between
// rows of the same (label, prediction) cell.

struct Params {
  N: u32,
  classes: u32,
}

override WG: u32 = 256;

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> logits: array<f32>;
@group(0) @binding(2) var<storage, read> labels: array<u32>;
@group(0) @binding(3) var<storage, read_write> matrix: array<atomic<u32>>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let r = gid.x + gid.y * nwg.x * WG;
  if (r >= params.N) {
    return;
  }
  let classes = params.classes;
  let label = labels[r];
  if (label >= classes) {
    return;
  }
  let base = r * classes;
  var m = logits[base];
  var best = 0u;
  for (var c = 1u; c < classes; c++) {
    let v = logits[base + c];
    if (v > m) {
      m = v;
      best = c;
    }
  }
  atomicAdd(&matrix[label * classes + best], 1u);
}
