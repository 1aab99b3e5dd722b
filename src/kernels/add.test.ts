import { describe, it } from 'vitest';
import { expectClose } from '../testing/allclose';
import { f32Buffer, runAndRead, testGpu, zeroBuffer } from '../testing/gpu';
import { Prng } from '../util/prng';
import { add } from './add';

// One fused multiply-add per element (one rounding; alpha = 1 is an exact f32 add then rounding):
// vs the float64 alpha·a + b of the same f32 inputs, within 1 ulp of the result, plus a tiny atol for
// results that cancel to near zero.
const TOL = { atol: 1e-7, rtol: 1.2e-7 };

describe('add kernel vs reference', () => {
  // Sizes: 1, not a multiple of 4, not a multiple of the workgroup, larger than one workgroup.
  for (const n of [1, 3, 1023, 4097]) {
    for (const alpha of [1, -0.5]) {
      it(`c = ${alpha}·a + b, n=${n}`, async () => {
        const gpu = await testGpu();
        const r = new Prng(n * 7 + (alpha > 0 ? 1 : 2));
        const a = r.floats(n, -3, 3);
        const b = r.floats(n, -3, 3);
        const ab = f32Buffer(gpu, a);
        const bb = f32Buffer(gpu, b);
        const cb = zeroBuffer(gpu, n + 4);
        // A sentinel past the end shows the kernel writes n elements and no more.
        gpu.write(cb, new Float32Array([42]), n * 4);
        const k = await add(gpu, alpha === 1 ? { a: ab, b: bb, c: cb, n } : { a: ab, b: bb, c: cb, n, alpha });
        const c = await runAndRead(gpu, [k], cb, n + 1);
        const expected = Array.from({ length: n + 1 }, (_, i) => (i < n ? alpha * a[i]! + b[i]! : 42));
        expectClose(c, expected, { ...TOL, label: `add alpha=${alpha}` });
        k.dispose();
        for (const buf of [ab, bb, cb]) gpu.release(buf);
      });
    }
  }
});
