// Why: the TF.js rows of `npm run bench`: the reference network written with tfjs-core ops the way
// tfjs-layers runs it (fused conv + bias + ReLU, max-pool, fused dense, softmax cross-entropy, Adam 1e-3),
// NHWC, on real MNIST batches assembled on the CPU each step (as tf.data would). The clock stops after
// a data() readback of the last timed step's loss, so all queued GPU work has finished.
import * as tf from '@tensorflow/tfjs-core';
import { loadDataset } from '../data/mnist';
import { Prng } from '../util/prng';
import { checkWasmPatchAgainstCpu, patchWasmConv2dBackpropFilter, useTfBackend, type TfBackendName } from './tfjs-setup';
import type { PeerId, TrainingOptions, TrainingResult } from './types';

type Log = (line: string) => void;

const LABELS: Record<string, string> = {
  'tfjs-webgpu': 'TF.js webgpu',
  'tfjs-wasm': 'TF.js wasm (SIMD, patched Conv2DBackpropFilter)',
  'tfjs-webgl': 'TF.js webgl',
  'tfjs-cpu': 'TF.js cpu',
};

function glorot(prng: Prng, shape: number[], fanIn: number, fanOut: number): tf.Variable {
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.variable(tf.tensor(prng.floats(n, -limit, limit), shape));
}

export async function benchTfjs(o: TrainingOptions, log: Log): Promise<TrainingResult> {
  const t0 = performance.now();
  const backend = o.peer.replace('tfjs-', '') as TfBackendName;
  const notes: string[] = [];
  // Patch before the backend starts, so the kernel is there whenever the wasm backend exists.
  if (backend === 'wasm') patchWasmConv2dBackpropFilter();
  const info = await useTfBackend(backend);
  notes.push(...info.notes);
  if (backend === 'wasm') {
    const check = await checkWasmPatchAgainstCpu();
    notes.push(check);
    log(check);
  }
  log(`${o.peer}: backend ${tf.getBackend()} ready`);

  const data = await loadDataset('mnist', { splits: ['train'] });
  const train = data.train!;
  const px = train.rows * train.cols;
  const B = o.batch;
  const order = new Prng(1).shuffle(Uint32Array.from({ length: train.count }, (_, i) => i));
  const stepsPerEpoch = Math.floor(train.count / B);
  const xs = new Float32Array(B * px);
  const ys = new Int32Array(B);
  function batch(step: number): { x: tf.Tensor4D; y: tf.Tensor2D } {
    const base = (step % stepsPerEpoch) * B;
    for (let i = 0; i < B; i++) {
      const idx = order[base + i]!;
      const img = train.images.subarray(idx * px, (idx + 1) * px);
      for (let j = 0; j < px; j++) xs[i * px + j] = img[j]! / 255;
      ys[i] = train.labels[idx]!;
    }
    return tf.tidy(() => ({ x: tf.tensor4d(xs, [B, train.rows, train.cols, 1]), y: tf.cast(tf.oneHot(tf.tensor1d(ys, 'int32'), 10), 'float32') as tf.Tensor2D }));
  }

  const prng = new Prng(1);
  const w1 = glorot(prng, [3, 3, 1, 32], 9, 9 * 32);
  const b1 = tf.variable(tf.zeros([32]));
  const w2 = glorot(prng, [3, 3, 32, 64], 9 * 32, 9 * 64);
  const b2 = tf.variable(tf.zeros([64]));
  const w3 = glorot(prng, [7 * 7 * 64, 10], 3136, 10);
  const b3 = tf.variable(tf.zeros([10]));
  const vars = [w1, b1, w2, b2, w3, b3];
  const optimizer = tf.train.adam(1e-3);

  const lossOf = (x: tf.Tensor4D, y: tf.Tensor2D) => () => {
    const h1 = tf.maxPool(tf.fused.conv2d({ x, filter: w1 as tf.Tensor4D, strides: 1, pad: 'same', bias: b1, activation: 'relu' }), 2, 2, 'valid');
    const h2 = tf.maxPool(tf.fused.conv2d({ x: h1, filter: w2 as tf.Tensor4D, strides: 1, pad: 'same', bias: b2, activation: 'relu' }), 2, 2, 'valid');
    const logits = tf.fused.matMul({ a: tf.reshape(h2, [B, 7 * 7 * 64]), b: w3 as tf.Tensor2D, bias: b3 });
    return tf.losses.softmaxCrossEntropy(y, logits) as tf.Scalar;
  };

  const step = (i: number): tf.Scalar => {
    const { x, y } = batch(i);
    const loss = optimizer.minimize(lossOf(x, y), true, vars) as tf.Scalar;
    tf.dispose([x, y]);
    return loss;
  };
  const setupMs = performance.now() - t0;

  // Warm-up: each step read back, so compilation (webgpu, webgl) is done before the clock starts.
  let firstLoss = NaN;
  const w0 = performance.now();
  for (let i = 0; i < o.warmupSteps; i++) {
    const loss = step(i);
    const v = (await loss.data())[0]!;
    if (i === 0) firstLoss = v;
    loss.dispose();
    log(`${o.peer} warm-up step ${i + 1}/${o.warmupSteps}: ${(performance.now() - w0).toFixed(0)} ms so far, loss ${v.toFixed(3)}`);
  }
  const warmupMs = performance.now() - w0;

  const losses: tf.Scalar[] = [];
  const s = performance.now();
  for (let i = 0; i < o.steps; i++) losses.push(step(o.warmupSteps + i));
  await losses.at(-1)!.data();
  const timedMs = performance.now() - s;
  const values = await Promise.all(losses.map(async (l) => (await l.data())[0]!));
  tf.dispose(losses);
  const lastLoss = values.at(-1)!;
  if (!values.every(Number.isFinite)) throw new Error(`${o.peer}: non-finite loss during the timed steps (${values.join(', ')})`);
  log(`${o.peer} batch ${B}: ${o.steps} steps in ${timedMs.toFixed(0)} ms → ${(timedMs / o.steps).toFixed(1)} ms/step, loss ${firstLoss.toFixed(3)} → ${lastLoss.toFixed(3)}`);
  const mem = tf.memory() as tf.MemoryInfo & { numBytesInGPU?: number };
  tf.dispose(vars);
  optimizer.dispose();

  notes.push('model in tfjs-core ops: tf.fused.conv2d (bias + ReLU fused), tf.maxPool, tf.fused.matMul, tf.losses.softmaxCrossEntropy, tf.train.adam(1e-3); NHWC; batches assembled on the CPU each step (inside the timed window)');
  return {
    peer: o.peer as PeerId,
    label: LABELS[o.peer] ?? o.peer,
    batch: B,
    warmupSteps: o.warmupSteps,
    steps: o.steps,
    timedMs,
    msPerStep: timedMs / o.steps,
    samplesPerSecond: (o.steps * B * 1000) / timedMs,
    warmupMs,
    setupMs,
    firstLoss,
    lastLoss,
    ...(info.adapter && { adapter: info.adapter }),
    versions: info.versions,
    notes,
    tfMemory: { numBytes: mem.numBytes, numTensors: mem.numTensors, ...(mem.numBytesInGPU !== undefined && { numBytesInGPU: mem.numBytesInGPU }) },
  };
}
