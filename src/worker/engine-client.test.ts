// The engine worker end to end, through the same client the page uses: training steps, a lost GPU
// device recovered with the weights intact, a crashed worker restarted, checkpoints that round-trip and
// a bad file refused without losing anything.
import { afterEach, describe, expect, it } from 'vitest';
import { getPreset, newTrainConfig } from '../model';
import { EngineClient } from './engine-client';
import type { WorkerEvent } from './protocol';

const preset = getPreset('mlp');
const config = newTrainConfig({ batch: 50, epochs: 1, seed: 7 });
const image = { kind: 'dataset', dataset: 'mnist', split: 'test', index: 0 } as const;

let client: EngineClient | undefined;
afterEach(() => client?.terminate());

function next(c: EngineClient, type: WorkerEvent['type']): Promise<WorkerEvent> {
  return new Promise((resolve) => {
    const off = c.listen((e) => {
      if (e.type === type) {
        off();
        resolve(e);
      }
    });
  });
}

async function started(): Promise<EngineClient> {
  const c = new EngineClient();
  const init = await c.request({ type: 'init' });
  expect(init.type).toBe('ready');
  await c.request({ type: 'build', spec: preset.spec, config, subset: 1000 });
  return c;
}

describe('engine worker', () => {
  it('trains steps and reports progress with the loss', async () => {
    client = await started();
    const progress = next(client, 'progress');
    await client.request({ type: 'step', count: 3 });
    const p = (await progress) as Extract<WorkerEvent, { type: 'progress' }>;
    expect(p.points.length).toBeGreaterThan(0);
    expect(p.points.every((s) => Number.isFinite(s.loss))).toBe(true);
    expect(p.memory.bytesLive).toBeGreaterThan(0);
  });

  it('survives a lost GPU device: re-plans, restores the last good weights, and trains on', async () => {
    client = await started();
    await client.request({ type: 'step', count: 2 });
    await client.request({ type: 'pause' });
    const before = await client.request({ type: 'weights', layerId: 'fc1' });
    const lost = next(client, 'device-lost');
    const recovered = next(client, 'recovered');
    await client.request({ type: 'debug', action: 'lose-device' });
    await lost;
    const r = (await recovered) as Extract<WorkerEvent, { type: 'recovered' }>;
    expect(r.step).toBe(2);
    const after = await client.request({ type: 'weights', layerId: 'fc1' });
    expect(after.data).toEqual(before.data);
    await client.request({ type: 'step', count: 1 });
    const moved = await client.request({ type: 'weights', layerId: 'fc1' });
    expect(moved.data).not.toEqual(before.data);
  });

  it('a crashed worker is reported and a restarted one works', async () => {
    client = await started();
    const crashed = next(client, 'worker-crashed');
    await client.request({ type: 'debug', action: 'crash' });
    expect(((await crashed) as { message: string }).message).toMatch(/simulated worker crash/);
    client.restart();
    expect((await client.request({ type: 'init' })).type).toBe('ready');
  });

  it('a checkpoint round-trips to identical predictions; a corrupted one is refused and loses nothing', async () => {
    client = await started();
    await client.request({ type: 'step', count: 3 });
    const saved = await client.request({ type: 'export-checkpoint', includeOptimizer: true });
    const a = await client.request({ type: 'inspect', image });
    // A different seed: different weights, different predictions.
    await client.request({ type: 'build', spec: preset.spec, config: { ...config, seed: 99 }, subset: 1000 });
    const b = await client.request({ type: 'inspect', image });
    expect(b.probabilities).not.toEqual(a.probabilities);
    const loaded = await client.request({ type: 'import-checkpoint', bytes: saved.bytes.slice() });
    expect(loaded.step).toBe(3);
    expect(loaded.hasOptimizer).toBe(true);
    const c = await client.request({ type: 'inspect', image });
    expect(c.probabilities).toEqual(a.probabilities);

    const corrupt = saved.bytes.slice(0, saved.bytes.length - 100);
    await expect(client.request({ type: 'import-checkpoint', bytes: corrupt })).rejects.toThrowError(/./);
    const d = await client.request({ type: 'inspect', image });
    expect(d.probabilities).toEqual(a.probabilities);
  });

  it('predicts the whole test set in order', async () => {
    client = await started();
    const p = await client.request({ type: 'predict-test-set' });
    expect(p.count).toBe(10000);
    expect(p.probabilities.length).toBe(100000);
    const row = p.probabilities.subarray(0, 10);
    expect(row.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 5);
    const single = await client.request({ type: 'inspect', image });
    for (let k = 0; k < 10; k++) expect(row[k]).toBeCloseTo(single.probabilities[k]!, 5);
  });
});
