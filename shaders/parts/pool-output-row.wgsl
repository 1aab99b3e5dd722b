let groups = (params.OW + OX - 1u) / OX;
let row = t / groups; // (n·C + c)·OH + oh
if (row >= params.N * params.C * params.OH) {
  return;
}
let ow0 = (t - row * groups) * OX;
let nc = row / params.OH;
let oh = row - nc * params.OH;
