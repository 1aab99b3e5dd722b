// Why: the shapes of what the benchmark pages hand back to the Node scripts (tools/bench-*.mjs), which
// print them and write bench-results/*.json. Plain JSON only.

export type PeerId = 'convplay' | 'tfjs-webgpu' | 'tfjs-wasm' | 'tfjs-webgl' | 'tfjs-cpu';
export const PEER_IDS: readonly PeerId[] = ['convplay', 'tfjs-webgpu', 'tfjs-wasm', 'tfjs-webgl', 'tfjs-cpu'];

export interface TrainingOptions {
  peer: PeerId;
  batch: number;
  warmupSteps: number;
  steps: number;
  /** convplay only: also train one whole epoch of 60,000 images and time it. */
  fullEpoch?: boolean;
  /** convplay only, development: train on the first `subset` images (the "epoch" is then that long). */
  subset?: number;
  /** convplay only: time the test-set evaluation this many times. */
  evalRepeats?: number;
  /** convplay only: runs of each layer's dispatches timed for the per-layer GPU times (0: none; default 5). */
  layerRepeats?: number;
}

/** GPU ms per training step of each layer's forward and backward dispatches (engine/layer-times.ts). */
export interface LayerTimes {
  method: 'timestamps' | 'submit';
  profile: 'software' | 'hardware';
  repeats: number;
  layers: { layerId: string; forwardMs: number; backwardMs: number }[];
}

export interface TrainingResult {
  peer: PeerId;
  label: string;
  batch: number;
  warmupSteps: number;
  steps: number;
  /** Wall time of the timed steps, from the first submit to the GPU having finished the last. */
  timedMs: number;
  msPerStep: number;
  samplesPerSecond: number;
  /** Wall time of the warm-up steps (TF.js webgpu compiles its shaders here). */
  warmupMs: number;
  /** Setup before the warm-up: backend init, data load and upload, model build (pipelines). */
  setupMs: number;
  /** Loss of the first warm-up step and of the last timed step (sanity: finite, and falling). */
  firstLoss: number;
  lastLoss: number;
  adapter?: Record<string, unknown>;
  versions: Record<string, string>;
  notes: string[];
  /** convplay: from the buffer pool's accounting (progress.memory). */
  memory?: { peakBytesLive: number; bytesLive: number; bytesPooled: number };
  /** convplay: test-set evaluation (10,000 images), ms per run. */
  evalMs?: number[];
  testAccuracy?: number;
  /** convplay --full-epoch: one real epoch of 60,000 images (training only, and with its evaluation). */
  fullEpoch?: { images: number; steps: number; trainMs: number; totalMs: number; evalMs: number; testAccuracy: number; samplesPerSecond: number };
  /** convplay: per-layer GPU time of one training step. */
  layerTimes?: LayerTimes;
  /** TF.js: tf.memory() after the run. */
  tfMemory?: { numBytes: number; numTensors: number; numBytesInGPU?: number };
}

export interface KernelRow {
  op: string;
  shape: string;
  flops: number;
  ours_ms: number | null;
  tfjs_ms: number | null;
  ours_gflops: number | null;
  tfjs_gflops: number | null;
  /** tfjs_ms / ours_ms: how many times faster ours is (> 1 = ours faster). */
  ratio: number | null;
  /** max |ours − tfjs| / max |tfjs| on the same inputs: both compute the same thing. */
  agreement: number | null;
  ours_error?: string;
  tfjs_error?: string;
  ours_samples_ms?: number[];
  tfjs_samples_ms?: number[];
  /** Convolution rows: our 1024³ matmul timed in the same rounds (its samples alternate with the row's),
   *  and ours_gflops as a fraction of its rate: the "% of our matmul" target, free of the machine's drift. */
  matmul_same_moment_gflops?: number;
  of_matmul?: number;
  /** Convolution rows: the median over rounds of ours ÷ the matmul's rate in the same round. */
  of_matmul_round_median?: number;
}

export interface KernelsResult {
  rows: KernelRow[];
  adapter: Record<string, unknown>;
  tfjsAdapter?: Record<string, unknown>;
  versions: Record<string, string>;
  notes: string[];
}

declare global {
  interface Window {
    benchTraining?: (o: TrainingOptions) => Promise<TrainingResult>;
    benchKernels?: (o: { only?: string[]; repeats?: number; minSampleMs?: number }) => Promise<KernelsResult>;
    benchLog?: string[];
  }
}
