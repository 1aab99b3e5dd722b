// TEMPORARY timing probe (not to be committed).
import { it } from 'vitest';
import { testGpu } from '../testing/gpu';
import { activation } from './activation';
it('relu timing', async () => {
  const gpu = await testGpu();
  for (const n of [2508800, 627200]) {
    const x = gpu.storage(n * 4, 'x'); const y = gpu.storage(n * 4, 'y');
    const k = await activation(gpu, { kind: 'relu', n, x, y });
    for (let i = 0; i < 2; i++) { gpu.run([k]); await gpu.done(); }
    const ts: number[] = [];
    for (let i = 0; i < 8; i++) { const t0 = performance.now(); gpu.run([k]); await gpu.done(); ts.push(performance.now() - t0); }
    ts.sort((a, b) => a - b);
    console.log(`relu n=${n}: ${ts[4]!.toFixed(2)} ms (min ${ts[0]!.toFixed(2)})`);
  }
});
