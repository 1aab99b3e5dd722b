let groups = (params.W + IX - 1u) / IX;
let row = t / groups; // (n·C + c)·H + ih
if (row >= params.N * params.C * params.H) {
  return;
}
let iw0 = (t - row * groups) * IX;
let nc = row / params.H;
let ih = row - nc * params.H;
let S = params.S;

// Output rows whose windows hold row ih: oh = qy − j for j ≥ 0 while ry + j·S < FH and oh ≥ 0.
let qy = (ih + params.P) / S;
let ry = ih + params.P - qy * S;
// Skip the output rows past the end (oh ≥ OH).
var jy0 = 0u;
if (qy >= params.OH) {
  jy0 = qy - params.OH + 1u;
}
let outPlane = nc * params.OH * params.OW;

// Along the row: iw + P = qx·S + rx, carried.
var qx = (iw0 + params.P) / S;
var rx = iw0 + params.P - qx * S;
let iwEnd = min(iw0 + IX, params.W);
var i = row * params.W + iw0;
