// Where a training step's time goes: each dispatch of the reference CNN's step (batch 100) timed on its
// own, best of 3. A benchmark, not a test (never asserts timings); runs only with VITE_BENCH=1:
//   VITE_BENCH=1 npx vitest run src/train/step-profile.bench.test.ts   (VITE_BENCH_BATCH=32: another batch)
import { describe, it } from 'vitest';
import { uploadSplit } from '../data/gpu-dataset';
import { loadDataset } from '../data/mnist';
import { Network } from '../engine/network';
import { getPreset, newTrainConfig } from '../model';
import { testGpu } from '../testing/gpu';
import { Trainer } from './trainer';

describe.skipIf(!import.meta.env.VITE_BENCH)('training step profile', () => {
  const batch = Number((import.meta.env as Record<string, string | undefined>).VITE_BENCH_BATCH ?? 100);
  it(`reference CNN, batch ${batch}: ms per dispatch`, async () => {
    const gpu = await testGpu();
    const ds = await loadDataset('mnist', { base: '/' });
    const data = { train: uploadSplit(gpu, ds.train!, 'train'), test: uploadSplit(gpu, ds.test!, 'test') };
    const preset = getPreset('reference-cnn');
    const net = Network.create(gpu, preset.spec, 1);
    const trainer = await Trainer.create(gpu, net, data, newTrainConfig({ ...preset.train, batch }));
    await trainer.run({ maxSteps: 2 });
    const rows: string[] = [];
    let total = 0;
    for (const part of trainer.trainPlan.stepParts()) {
      let best = Infinity;
      for (let r = 0; r < 3; r++) {
        const t0 = performance.now();
        gpu.run([part]);
        await gpu.done();
        best = Math.min(best, performance.now() - t0);
      }
      total += best;
      rows.push(`${('name' in part ? String(part.name) : part.constructor.name).padEnd(28)} ${best.toFixed(1)} ms`);
    }
    console.log(`${rows.join('\n')}\ntotal ${total.toFixed(0)} ms`);
    trainer.dispose();
    net.dispose();
  }, 600_000);
});
