// Long-run hygiene: building, training a few steps and resetting a hundred times, then training three
// whole epochs, leaks no GPU memory, creates no pipeline twice and does not grow the page's heap.
import { describe, expect, it } from 'vitest';
import { newTrainConfig } from '../model';
import { tinyMnistConvNet } from '../testing/tiny-nets';
import { EngineClient } from './engine-client';

const spec = tinyMnistConvNet;

describe('soak', () => {
  it('100 × (build, 2 steps, reset), then 3 epochs on MNIST: GPU memory returns to the same figure, pipelines are reused, the heap stays put', async () => {
    const client = new EngineClient();
    try {
      expect((await client.request({ type: 'init' })).type).toBe('ready');
      const config = newTrainConfig({ batch: 32, epochs: 1, seed: 1 });
      const live: number[] = [];
      const pipelines: number[] = [];
      let lastMemory = 0;
      const off = client.listen((e) => {
        if (e.type === 'progress') lastMemory = e.memory.bytesLive;
      });
      const heapBefore = (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize;
      for (let i = 0; i < 100; i++) {
        const built = await client.request({ type: 'build', spec, config, subset: 2000 });
        live.push(built.memory.bytesLive);
        pipelines.push(built.pipelines);
        await client.request({ type: 'step', count: 2 });
        expect(lastMemory).toBe(built.memory.bytesLive);
        await client.request({ type: 'reset' });
      }
      off();
      const heapAfter = (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize;
      console.log(`soak: GPU bytes live after each build ${live[0]} … ${live[99]} (distinct values: ${new Set(live.slice(1)).size}); pipelines ${pipelines[0]} … ${pipelines[99]}; page heap ${heapBefore} → ${heapAfter}`);
      // The first build also uploads the dataset; from then on every build sees exactly the same figure.
      expect(new Set(live.slice(1)).size).toBe(1);
      expect(new Set(pipelines.slice(1)).size).toBe(1);

      // Then a long run: 3 epochs over all 60,000 training images (with the evaluations at epoch ends).
      const long = await client.request({ type: 'build', spec, config: newTrainConfig({ batch: 100, epochs: 3, seed: 1 }) });
      const during: number[] = [];
      const epochs: number[] = [];
      const finished = new Promise<string>((resolve) => {
        const stop = client.listen((e) => {
          if (e.type === 'progress') during.push(e.memory.bytesLive);
          if (e.type === 'epoch-end') epochs.push(e.testAccuracy);
          if (e.type === 'paused') {
            stop();
            resolve(e.reason);
          }
        });
      });
      const t0 = performance.now();
      await client.request({ type: 'train' });
      expect(await finished).toBe('finished');
      const after = await client.request({ type: 'build', spec, config, subset: 2000 });
      const heapEnd = (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize;
      console.log(
        `soak: 3 epochs in ${((performance.now() - t0) / 1000).toFixed(0)} s, test accuracy ${epochs.map((a) => a.toFixed(4)).join(' / ')}; ` +
          `GPU bytes live during training ${Math.min(...during)} … ${Math.max(...during)} (built: ${long.memory.bytesLive}); ` +
          `rebuilt afterwards: ${after.memory.bytesLive} bytes, ${after.pipelines} pipelines; page heap → ${heapEnd}`,
      );
      expect(epochs).toHaveLength(3);
      // Evaluation plans are made at the first epoch end and kept: memory settles at one figure.
      expect(new Set(during.slice(during.length / 2)).size).toBe(1);
      expect(after.memory.bytesLive).toBe(live[1]);
      expect(after.pipelines).toBe(Math.max(pipelines[1]!, long.pipelines));
      if (heapBefore !== undefined && heapEnd !== undefined) expect(heapEnd - heapBefore).toBeLessThan(32 * 2 ** 20);
    } finally {
      client.terminate();
    }
  }, 1_800_000);
});
