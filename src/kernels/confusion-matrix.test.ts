import { describe, expect, it } from 'vitest';
import { argmaxRef } from '../reference/softmax-cross-entropy';
import { f32Buffer, testGpu, zeroBuffer } from '../testing/gpu';
import { Prng } from '../util/prng';
import { confusionMatrix } from './confusion-matrix';

function confusionRef(logits: ArrayLike<number>, labels: ArrayLike<number>, N: number, classes: number, into: Uint32Array = new Uint32Array(classes * classes)): Uint32Array {
  for (let r = 0; r < N; r++) {
    const label = labels[r]!;
    if (label < classes) into[label * classes + argmaxRef(logits, r * classes, classes)]!++;
  }
  return into;
}

describe('confusion-matrix kernel vs reference (exact counts)', () => {
  // N: 1, below a workgroup, above one, large enough that many rows collide on each cell.
  for (const [N, classes] of [[1, 10], [3, 3], [257, 10], [5000, 10], [100, 2]] as const) {
    it(`N=${N} classes=${classes}, accumulated over two dispatches`, async () => {
      const gpu = await testGpu();
      const r = new Prng(N + classes);
      // Coarse logits (integers in [0, 3]) make ties common, testing the lowest-index rule.
      const x1 = Float32Array.from({ length: N * classes }, () => r.int(0, 3));
      const x2 = r.floats(N * classes, -2, 2);
      const y = Uint32Array.from({ length: N }, () => r.int(0, classes - 1));
      const logits = f32Buffer(gpu, x1);
      const labels = gpu.upload(y, 'labels');
      const matrix = zeroBuffer(gpu, classes * classes);
      const k = await confusionMatrix(gpu, { logits, labels, matrix, N, classes });
      gpu.run([k]);
      const once = confusionRef(x1, y, N, classes);
      expect(Array.from(await gpu.readU32(matrix, classes * classes))).toEqual(Array.from(once));
      gpu.write(logits, x2);
      gpu.run([k]);
      const twice = confusionRef(x2, y, N, classes, once);
      const got = await gpu.readU32(matrix, classes * classes);
      expect(Array.from(got)).toEqual(Array.from(twice));
      expect(got.reduce((s, v) => s + v, 0)).toBe(2 * N);
      k.dispose();
      for (const b of [logits, labels, matrix]) gpu.release(b);
    });
  }

  it('skips rows whose label is out of range; a NaN never replaces the running max', async () => {
    const gpu = await testGpu();
    const x = Float32Array.from([1, NaN, 0.5, 2, 2, 2, 0, NaN, 5]);
    const y = Uint32Array.from([0, 3, 1]);
    const logits = f32Buffer(gpu, x);
    const labels = gpu.upload(y, 'labels');
    const matrix = zeroBuffer(gpu, 9);
    const k = await confusionMatrix(gpu, { logits, labels, matrix, N: 3, classes: 3 });
    gpu.run([k]);
    // Row 0: label 0, predicted 0; row 1: label 3 skipped; row 2: label 1, predicted 2.
    const want = [1, 0, 0, 0, 0, 1, 0, 0, 0];
    expect(Array.from(confusionRef(x, y, 3, 3))).toEqual(want);
    expect(Array.from(await gpu.readU32(matrix, 9))).toEqual(want);
    k.dispose();
    for (const b of [logits, labels, matrix]) gpu.release(b);
  });
});
