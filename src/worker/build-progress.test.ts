// Building says "pipelines compiled N of TOTAL" (issue 20): through the real worker, the total each
// build announces before compiling equals the pipelines it then compiles: all of them on a fresh
// device, only the new ones when an earlier build compiled some, none when it built the same before.
import { describe, expect, it } from 'vitest';
import { newLayer, newTrainConfig, type NetworkSpec } from '../model';
import type { WorkerEvent } from './protocol';
import { tinyMnistConvNet } from '../testing/tiny-nets';
import { EngineClient } from './engine-client';

type BuildProgress = Extract<WorkerEvent, { type: 'build-progress' }>;

/** The tiny net with a hidden dense layer: it shares the conv and pool pipelines, and adds its own. */
const wider: NetworkSpec = { ...tinyMnistConvNet, layers: [...tinyMnistConvNet.layers.slice(0, 2), { ...newLayer('dense', 'fc0'), units: 32, activation: 'relu' }, ...tinyMnistConvNet.layers.slice(2)] };

describe('build progress', () => {
  it('announces before compiling exactly how many pipelines the build compiles, and counts up to it', async () => {
    const client = new EngineClient();
    try {
      expect((await client.request({ type: 'init' })).type).toBe('ready');
      let events: BuildProgress[] = [];
      const off = client.listen((e) => {
        if (e.type === 'build-progress') events.push(e);
      });
      const config = newTrainConfig({ batch: 32, epochs: 1, seed: 1 });
      let pipelines = 0;
      const totals: number[] = [];
      for (const spec of [tinyMnistConvNet, wider, tinyMnistConvNet]) {
        events = [];
        const built = await client.request({ type: 'build', spec, config, subset: 1000 });
        const compiled = built.pipelines - pipelines;
        pipelines = built.pipelines;
        // The first report (the data) comes before the count; every report after it carries the total.
        expect(events[0]).toMatchObject({ stage: 'data', compiled: 0 });
        expect(events[0]!.total).toBeUndefined();
        const counted = events.slice(1);
        expect(counted.length).toBeGreaterThan(0);
        const total = counted[0]!.total!;
        expect(counted.every((e) => e.total === total)).toBe(true);
        expect(total).toBe(compiled);
        // Compiled counts up one pipeline at a time, naming its kernel, and ends at the total.
        expect(counted.map((e) => e.compiled)).toEqual([...counted.map((e) => e.compiled)].sort((a, b) => a - b));
        expect(counted.at(-1)).toMatchObject({ stage: 'finishing', compiled: total });
        expect(counted.filter((e) => e.kernel !== '')).toHaveLength(total);
        totals.push(total);
      }
      off();
      console.log(`build progress: pipelines to compile ${totals.join(', ')}`);
      expect(totals[0]).toBeGreaterThan(0);
      expect(totals[1]).toBeGreaterThan(0);
      expect(totals[2]).toBe(0);
    } finally {
      client.terminate();
    }
  }, 600_000);
});
