// Why: the convplay row of `npm run bench`. It drives the same worker and protocol the app uses
// (EngineClient), so the number is what a user gets: build the reference network, warm up, then time a
// `step {count}` command from send to its `paused` event (the trainer awaits the GPU and reads the
// stats back before it pauses, so the clock stops only after the GPU work has finished).
import { getPreset, newTrainConfig, type TrainConfig } from '../model';
import type { MemoryReport, WorkerEvent } from '../worker/protocol';
import { EngineClient } from '../worker/engine-client';
import { profileLayers } from './layer-profile';
import type { TrainingOptions, TrainingResult } from './types';

type Log = (line: string) => void;

/** Resolves with the next event that `match` accepts (rejects on an engine error or device loss). */
function nextEvent<T extends WorkerEvent>(client: EngineClient, match: (e: WorkerEvent) => e is T): Promise<T> {
  return new Promise((resolve, reject) => {
    const off = client.listen((e) => {
      if (match(e)) {
        off();
        resolve(e);
      } else if ((e.type === 'error' && e.replyTo === undefined) || e.type === 'device-lost') {
        off();
        reject(new Error(`${e.type}: ${e.message}`));
      }
    });
  });
}

const isPaused = (e: WorkerEvent): e is Extract<WorkerEvent, { type: 'paused' }> => e.type === 'paused';
const isEpochEnd = (e: WorkerEvent): e is Extract<WorkerEvent, { type: 'epoch-end' }> => e.type === 'epoch-end';

export async function benchConvplay(o: TrainingOptions, log: Log): Promise<TrainingResult> {
  const result = await benchWorker(o, log);
  const repeats = o.layerRepeats ?? 5;
  if (repeats <= 0) return result;
  // Per-layer GPU time, after the worker (and its device) is gone.
  const layerTimes = await profileLayers(o.batch, repeats);
  const total = layerTimes.layers.reduce((t, l) => t + l.forwardMs + l.backwardMs, 0);
  log(`convplay GPU ms per step by layer (${layerTimes.method}, ${layerTimes.profile} profile): ${layerTimes.layers.map((l) => `${l.layerId} ${(l.forwardMs + l.backwardMs).toFixed(1)}`).join(', ')}; total ${total.toFixed(1)}`);
  return { ...result, layerTimes };
}

async function benchWorker(o: TrainingOptions, log: Log): Promise<TrainingResult> {
  const t0 = performance.now();
  const client = new EngineClient();
  const notes: string[] = [];
  let memory: MemoryReport | undefined;
  const losses: number[] = [];
  client.listen((e) => {
    if (e.type === 'progress') {
      memory = e.memory;
      for (const p of e.points) losses.push(p.loss);
    }
  });
  try {
    const init = await client.request({ type: 'init' });
    if (init.type !== 'ready') throw new Error(`WebGPU unavailable: ${init.message}`);
    const adapter = { ...init.adapter, limits: undefined, features: undefined };
    log(`convplay adapter: ${init.adapter.vendor} ${init.adapter.architecture} ${init.adapter.description}`);
    const preset = getPreset('reference-cnn');
    const config: TrainConfig = newTrainConfig({ ...preset.train, batch: o.batch, epochs: 1 });
    const built = await client.request({ type: 'build', spec: preset.spec, config, ...(o.subset && { subset: o.subset }) });
    if (o.subset) notes.push(`development run: trained on the first ${o.subset} images only`);
    log(`convplay built: ${built.params} params, ${built.pipelines} pipelines, ${built.buildMs.toFixed(0)} ms`);
    let steps = o.steps;
    if (o.warmupSteps + steps > built.stepsPerEpoch) {
      steps = built.stepsPerEpoch - o.warmupSteps;
      notes.push(`timed steps cut to ${steps} to stay inside one epoch (no evaluation in the window)`);
    }
    const setupMs = performance.now() - t0;

    const runSteps = async (count: number): Promise<number> => {
      const paused = nextEvent(client, isPaused);
      const s = performance.now();
      await client.request({ type: 'step', count });
      const p = await paused;
      if (p.reason !== 'step') throw new Error(`training paused (${p.reason}): ${p.message}`);
      return performance.now() - s;
    };

    const warmupMs = o.warmupSteps > 0 ? await runSteps(o.warmupSteps) : 0;
    const firstLoss = losses[0] ?? NaN;
    const timedMs = await runSteps(steps);
    const lastLoss = losses.at(-1) ?? NaN;
    if (!Number.isFinite(lastLoss)) throw new Error(`loss is not finite after the timed steps (${lastLoss})`);
    log(`convplay batch ${o.batch}: ${steps} steps in ${timedMs.toFixed(0)} ms → ${(timedMs / steps).toFixed(1)} ms/step, loss ${firstLoss.toFixed(3)} → ${lastLoss.toFixed(3)}`);

    const evalMs: number[] = [];
    let testAccuracy: number | undefined;
    for (let i = 0; i < (o.evalRepeats ?? 2); i++) {
      const r = await client.request({ type: 'evaluate' });
      evalMs.push(r.evalMs);
      testAccuracy = r.testAccuracy;
    }
    if (evalMs.length) log(`convplay evaluate (10,000 test images): ${evalMs.map((m) => m.toFixed(0)).join(', ')} ms`);

    let fullEpoch: TrainingResult['fullEpoch'];
    if (o.fullEpoch) {
      // A fresh run from step 0 (same plan, fresh weights), trained through one real epoch of 60,000
      // images; the epoch ends with the trainer's own test-set evaluation.
      await client.request({ type: 'reset' });
      const epochEnd = nextEvent(client, isEpochEnd);
      const finished = nextEvent(client, isPaused);
      const s = performance.now();
      await client.request({ type: 'train' });
      const e = await epochEnd;
      const totalMs = performance.now() - s;
      const p = await finished;
      if (p.reason !== 'finished') throw new Error(`full epoch stopped (${p.reason}): ${p.message}`);
      const trainMs = totalMs - e.evalMs;
      fullEpoch = {
        images: built.stepsPerEpoch * o.batch,
        steps: built.stepsPerEpoch,
        trainMs,
        totalMs,
        evalMs: e.evalMs,
        testAccuracy: e.testAccuracy,
        samplesPerSecond: (built.stepsPerEpoch * o.batch * 1000) / trainMs,
      };
      log(`convplay full epoch: ${built.stepsPerEpoch} steps of ${o.batch}, ${(trainMs / 1000).toFixed(1)} s training + ${e.evalMs.toFixed(0)} ms evaluation, test accuracy ${e.testAccuracy.toFixed(4)}`);
    }

    return {
      peer: 'convplay',
      label: 'convplay (WGSL, worker)',
      batch: o.batch,
      warmupSteps: o.warmupSteps,
      steps,
      timedMs,
      msPerStep: timedMs / steps,
      samplesPerSecond: (steps * o.batch * 1000) / timedMs,
      warmupMs,
      setupMs,
      firstLoss,
      lastLoss,
      adapter,
      versions: {},
      notes,
      ...(memory && { memory: { peakBytesLive: memory.peakBytesLive, bytesLive: memory.bytesLive, bytesPooled: memory.bytesPooled } }),
      evalMs,
      ...(testAccuracy !== undefined && { testAccuracy }),
      ...(fullEpoch && { fullEpoch }),
    };
  } finally {
    client.terminate();
  }
}
