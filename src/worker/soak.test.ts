// Long-run hygiene: building, training a few steps and resetting a hundred times leaks no GPU memory
// and creates no pipeline twice.
import { describe, expect, it } from 'vitest';
import { newTrainConfig } from '../model';
import { tinyMnistConvNet } from '../testing/tiny-nets';
import { EngineClient } from './engine-client';

const spec = tinyMnistConvNet;

describe('soak', () => {
  it('100 × (build, 2 steps, reset): GPU memory returns to the same figure and pipelines are reused', async () => {
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
    } finally {
      client.terminate();
    }
  }, 900_000);
});
