import { describe, expect, it } from 'vitest';
import { maxPoolRef, POOL_CASES } from '../reference/pool';
import { expectClose } from '../testing/allclose';
import { f32Buffer, testGpu } from '../testing/gpu';
import { Prng } from '../util/prng';
import { maxPool, PoolShapeError, type PoolShape } from './max-pool';

// Max pooling selects an input, so y must equal the reference exactly and the argmax must match index
// for index. Outputs are pre-filled with NaN / 0xFFFFFFFF so an element the kernel skips shows up.
async function check(name: string, s: PoolShape, x: Float32Array): Promise<void> {
  const gpu = await testGpu();
  const m = s.N * s.C * s.OH * s.OW;
  const xb = f32Buffer(gpu, x);
  const yb = f32Buffer(gpu, new Float32Array(m).fill(NaN));
  const ab = gpu.upload(new Uint32Array(m).fill(0xffffffff), 'argmax');
  const k = await maxPool(gpu, { ...s, x: xb, y: yb, argmax: ab });
  gpu.run([k], 'test');
  const y = await gpu.readF32(yb, m);
  const argmax = await gpu.readU32(ab, m);
  const ref = maxPoolRef(x, s);
  expectClose(y, ref.y, { atol: 0, rtol: 0, label: `${name} y` });
  let firstBad = -1;
  for (let i = 0; i < m && firstBad < 0; i++) if (argmax[i] !== ref.argmax[i]) firstBad = i;
  expect(firstBad, `${name} argmax[${firstBad}] = ${argmax[firstBad]}, expected ${ref.argmax[firstBad]}`).toBe(-1);
  k.dispose();
  for (const b of [xb, yb, ab]) gpu.release(b);
}

describe('max-pool kernel vs reference', () => {
  for (const [name, s] of POOL_CASES) {
    it(name, async () => {
      const r = new Prng(s.N * 1000 + s.C * 100 + s.H * 10 + s.FH + s.S);
      await check(name, s, r.floats(s.N * s.C * s.H * s.W, -2, 2));
    });
  }

  it('ties keep the first maximum in row-major window order (values in {0, 1, 2})', async () => {
    for (const [name, s] of POOL_CASES.slice(0, 6)) {
      const r = new Prng(s.H * 31 + s.W);
      const x = Float32Array.from({ length: s.N * s.C * s.H * s.W }, () => r.int(0, 2));
      await check(`ties ${name}`, s, x);
    }
  });

  it('padding never wins, even over all-negative inputs', async () => {
    const s = POOL_CASES.find(([n]) => n.includes('F3 S1 P1'))![1];
    const r = new Prng(5);
    await check('negative', s, r.floats(s.N * s.C * s.H * s.W, -3, -1));
  });

  it('refuses shapes whose windows leave the padded input or lie in the padding', async () => {
    const gpu = await testGpu();
    const b = gpu.storage(4096, 'unused');
    const base = { N: 1, C: 1, H: 7, W: 7, FH: 2, FW: 2, S: 2, P: 0, OH: 3, OW: 3 };
    await expect(maxPool(gpu, { ...base, OH: 4, x: b, y: b, argmax: b })).rejects.toThrow(PoolShapeError);
    await expect(maxPool(gpu, { ...base, P: 2, OH: 4, OW: 4, x: b, y: b, argmax: b })).rejects.toThrow(/padding/);
    gpu.release(b);
  });
});
