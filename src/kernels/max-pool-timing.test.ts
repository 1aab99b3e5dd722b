// TEMPORARY timing probe (not to be committed).
import { it } from 'vitest';
import { testGpu } from '../testing/gpu';
import { Prng } from '../util/prng';
import { maxPoolSpec, pick, rowGrid, type PoolShape } from './max-pool';
import { maxPoolGradSpec } from './max-pool-grad';
import type { Encodable, Gpu } from '../gpu';

async function time(gpu: Gpu, k: Encodable, reps = 8): Promise<number> {
  for (let i = 0; i < 2; i++) { gpu.run([k]); await gpu.done(); }
  const ts: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    gpu.run([k]);
    await gpu.done();
    ts.push(performance.now() - t0);
  }
  ts.sort((a, b) => a - b);
  return ts[Math.floor(ts.length / 2)]!;
}

const variants = JSON.parse(import.meta.env.VITE_POOL_VARIANTS ?? '[[64,4],[64,7],[64,2],[128,4],[32,4]]') as [number, number][];

it('timing', async () => {
  const gpu = await testGpu();
  const shapes: PoolShape[] = [
    { N: 100, C: 32, H: 28, W: 28, FH: 2, FW: 2, S: 2, P: 0, OH: 14, OW: 14 },
    { N: 100, C: 64, H: 14, W: 14, FH: 2, FW: 2, S: 2, P: 0, OH: 7, OW: 7 },
  ];
  const lines: string[] = [];
  for (const s of shapes) {
    const n = s.N * s.C * s.H * s.W, m = s.N * s.C * s.OH * s.OW;
    const r = new Prng(1);
    const x = gpu.upload(r.floats(n), 'x');
    const y = gpu.storage(m * 4, 'y'); const am = gpu.storage(m * 4, 'am');
    const dy = gpu.upload(r.floats(m), 'dy'); const dx = gpu.storage(n * 4, 'dx');
    for (const [WG, T] of variants) {
      const pf = await gpu.prepare(maxPoolSpec, { WG, OX: T });
      const kf = gpu.bind(pf, pick(s), [x, y, am], rowGrid(s.N * s.C * s.OH, s.OW, T, WG));
      const pb = await gpu.prepare(maxPoolGradSpec, { WG, IX: T });
      const kb = gpu.bind(pb, pick(s), [dy, am, dx], rowGrid(s.N * s.C * s.H, s.W, T, WG));
      const tf = await time(gpu, kf);
      const tb = await time(gpu, kb);
      lines.push(`[${s.N},${s.C},${s.H},${s.W}] WG=${WG} T=${T}: fwd ${tf.toFixed(2)} ms, bwd ${tb.toFixed(2)} ms`);
      kf.dispose(); kb.dispose();
    }
  }
  console.log(lines.join('\n'));
});
