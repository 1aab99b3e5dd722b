// Grouped (depthwise) convolution kernels against the float64 reference on awkward shapes, on both
// profiles (the gradient's batch split differs by profile), and each gradient against central finite
// differences of L = Σ dy·y computed by the forward kernel itself.
import { describe, expect, it } from 'vitest';
import { conv2dGradInputRef, conv2dGradWeightRef, conv2dRef } from '../reference/conv2d';
import { expectClose, sumTolerance } from '../testing/allclose';
import { f32Buffer, PROFILES, runAndRead, testGpu } from '../testing/gpu';
import type { ProfileKind } from '../gpu';
import { Prng } from '../util/prng';
import { convOutSize } from './conv2d-shape';
import { conv2dGrouped, conv2dGroupedGradInput, conv2dGroupedGradWeight, type GroupedShape } from './conv2d-grouped';

const base: GroupedShape = { N: 2, C: 4, H: 7, W: 7, K: 4, FH: 3, FW: 3, S: 1, PH: 1, PW: 1, dilation: 1, groups: 4 };
const cases: (GroupedShape & { label: string })[] = [
  { ...base, label: 'depthwise 3×3, pad 1' },
  { ...base, N: 1, C: 3, H: 9, W: 6, K: 6, groups: 3, label: 'depthwise with multiplier 2 (K = 2C), H ≠ W' },
  { ...base, C: 6, K: 4, groups: 2, S: 2, PH: 0, PW: 1, H: 8, W: 9, label: 'groups 2, K < C, stride 2, PH ≠ PW' },
  { ...base, C: 5, K: 5, groups: 5, FH: 3, FW: 2, dilation: 2, PH: 2, PW: 1, label: 'depthwise 3×2, dilation 2' },
  { ...base, N: 3, C: 8, K: 8, groups: 8, H: 5, W: 5, FH: 5, FW: 5, PH: 2, PW: 2, label: 'depthwise 5×5 on 5×5 (every tap near a border)' },
  { ...base, N: 1, C: 1, K: 3, groups: 1, H: 4, W: 6, PH: 0, PW: 0, label: 'groups 1 (a plain conv, same kernels)' },
  { ...base, N: 5, C: 16, K: 16, groups: 16, H: 14, W: 14, label: 'depthwise 16 channels, batch 5 (several splits)' },
];

describe.each(PROFILES)('grouped conv2d kernels vs reference (%s profile)', (profile: ProfileKind) => {
  for (const [i, s] of cases.entries()) {
    const bias = i % 2 === 0;
    const relu = i % 3 === 1;
    it(`${s.label}: forward (bias=${bias}, relu=${relu}), grad-input, grad-weight`, async () => {
      const gpu = await testGpu(profile);
      const r = new Prng(700 + i);
      const { OH, OW } = convOutSize(s);
      const nx = s.N * s.C * s.H * s.W;
      const nw = (s.K * s.C * s.FH * s.FW) / s.groups;
      const ny = s.N * s.K * OH * OW;
      const [x, w, b, dy] = [r.floats(nx), r.floats(nw), r.floats(s.K), r.floats(ny)];
      const [xb, wb, bb, dyb] = [x, w, b, dy].map((d) => f32Buffer(gpu, d));
      const garbage = (n: number) => f32Buffer(gpu, new Float32Array(n).fill(3)); // outputs are overwritten
      const [yb, dxb, dwb, dbb] = [ny, nx, nw, s.K].map(garbage);
      const fan = (s.C / s.groups) * s.FH * s.FW;

      const fwd = await conv2dGrouped(gpu, { ...s, x: xb!, w: wb!, b: bias ? bb : undefined, y: yb!, relu });
      expectClose(await runAndRead(gpu, [fwd], yb!, ny), conv2dRef(x, w, s, bias ? b : undefined, relu), { ...sumTolerance(fan), label: 'y' });
      const gi = await conv2dGroupedGradInput(gpu, { ...s, dy: dyb!, w: wb!, dx: dxb! });
      expectClose(await runAndRead(gpu, [gi], dxb!, nx), conv2dGradInputRef(dy, w, s), { ...sumTolerance((s.K / s.groups) * s.FH * s.FW), label: 'dx' });
      const want = conv2dGradWeightRef(x, dy, s);
      for (const splits of [undefined, 1, s.N]) {
        const gw = await conv2dGroupedGradWeight(gpu, { ...s, x: xb!, dy: dyb!, dw: dwb!, db: dbb, splits });
        const t = sumTolerance(s.N * OH * OW);
        expectClose(await runAndRead(gpu, [gw], dwb!, nw), want.dw, { ...t, label: `dw (splits ${splits ?? 'default'})` });
        expectClose(await gpu.readF32(dbb!, s.K), want.db, { ...t, label: `db (splits ${splits ?? 'default'})` });
        gw.dispose();
      }
      for (const k of [fwd, gi]) k.dispose();
      for (const buf of [xb, wb, bb, dyb, yb, dxb, dwb, dbb]) gpu.release(buf!);
    });
  }

  it('gradients agree with finite differences of the forward kernel (depthwise, stride 2)', async () => {
    const gpu = await testGpu(profile);
    const s: GroupedShape = { ...base, N: 1, C: 3, K: 3, groups: 3, H: 6, W: 5, S: 2 };
    const { OH, OW } = convOutSize(s);
    const r = new Prng(9);
    const nx = s.C * s.H * s.W;
    const nw = s.K * s.FH * s.FW;
    const ny = s.K * OH * OW;
    const [x, w, b, dy] = [r.floats(nx), r.floats(nw), r.floats(s.K), r.floats(ny)];
    const [xb, wb, bb, dyb] = [x, w, b, dy].map((d) => f32Buffer(gpu, d));
    const [yb, dxb, dwb, dbb] = [ny, nx, nw, s.K].map((n) => f32Buffer(gpu, new Float32Array(n)));
    const fwd = await conv2dGrouped(gpu, { ...s, x: xb!, w: wb!, b: bb, y: yb! });
    // L = Σ dy·y, in float64 from the kernel's f32 output; L is linear in each input, so a large step is exact.
    const loss = async () => {
      const y = await runAndRead(gpu, [fwd], yb!, ny);
      return y.reduce((a, v, i) => a + v * dy[i]!, 0);
    };
    const numeric = async (buf: GPUBuffer, values: Float32Array, at: number) => {
      const h = 0.5;
      const probe = Float32Array.from(values);
      probe[at] = values[at]! + h;
      gpu.write(buf, probe);
      const up = await loss();
      probe[at] = values[at]! - h;
      gpu.write(buf, probe);
      const down = await loss();
      gpu.write(buf, values);
      return (up - down) / (2 * h);
    };
    const gi = await conv2dGroupedGradInput(gpu, { ...s, dy: dyb!, w: wb!, dx: dxb! });
    const gw = await conv2dGroupedGradWeight(gpu, { ...s, x: xb!, dy: dyb!, dw: dwb!, db: dbb });
    gpu.run([gi, gw], 'test');
    const [dx, dw, db] = await Promise.all([gpu.readF32(dxb!, nx), gpu.readF32(dwb!, nw), gpu.readF32(dbb!, s.K)]);
    for (const at of [0, 7, nx - 1, 31]) expect(dx[at]).toBeCloseTo(await numeric(xb!, x, at), 3);
    for (const at of [0, 4, nw - 1, 13]) expect(dw[at]).toBeCloseTo(await numeric(wb!, w, at), 3);
    for (const at of [0, 2]) expect(db[at]).toBeCloseTo(await numeric(bb!, b, at), 3);
    for (const k of [fwd, gi, gw]) k.dispose();
    for (const buf of [xb, wb, bb, dyb, yb, dxb, dwb, dbb]) gpu.release(buf!);
  });
});
