workgroupBarrier();
for (var kk = 0u; kk < BK; kk++) {
  let s = kk * BN;
  let av = vec4f(As[s + ar], As[s + ar + 1u], As[s + ar + 2u], As[s + ar + 3u]);
  let bv = vec4f(Bs[s + bc], Bs[s + bc + 1u], Bs[s + bc + 2u], Bs[s + bc + 3u]);
  acc0 += av.x * bv;
  acc1 += av.y * bv;
  acc2 += av.z * bv;
  acc3 += av.w * bv;
}
workgroupBarrier();
