// Why: the one contract between the page and the engine worker. Commands go in, events come out;
// both are discriminated unions switched exhaustively on each side. Typed arrays are transferred.
import type { ConvplayDocument, NetworkSpec, TrainConfig } from '../model';
import type { BatchNormModes, CellExplanation, CellPosition, GradientReport } from './cell-protocol';

export type * from './cell-protocol';

/** The adapter as the page shows it. */
export interface AdapterReport {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  isSoftware: boolean;
  features: string[];
  limits: Record<string, number>;
}

export type DatasetName = 'mnist' | 'fashion-mnist';
export type Split = 'train' | 'test';

/** An image to look at: one from a dataset, or 28×28 bytes the user drew (0 = background). */
export type ImageSource = { kind: 'dataset'; dataset: DatasetName; split: Split; index: number } | { kind: 'pixels'; pixels: Uint8Array };

export interface MemoryReport {
  bytesLive: number;
  bytesPooled: number;
  peakBytesLive: number;
}

export interface StepPoint {
  step: number;
  loss: number;
  accuracy: number;
}

export interface LayerActivations {
  layerId: string;
  /** Per-image shape: [C, H, W] or [features]. */
  shape: number[];
  data: Float32Array;
}

export type PauseReason = 'user' | 'finished' | 'step' | 'diverged' | 'device-lost';

export type Command =
  | { type: 'init' }
  | { type: 'load-dataset'; dataset: DatasetName }
  | { type: 'get-samples'; dataset: DatasetName; split: Split; start: number; count: number }
  /** Plans the network for the config (weights initialised from config.seed); `subset` limits training images. */
  | { type: 'build'; spec: NetworkSpec; config: TrainConfig; subset?: number }
  | { type: 'train' }
  | { type: 'pause' }
  /** Runs `count` steps (default 1) and pauses. */
  | { type: 'step'; count?: number }
  /** Fresh weights from the seed, step 0, same design. */
  | { type: 'reset' }
  | { type: 'set-config'; config: TrainConfig }
  | { type: 'evaluate' }
  /** Class probabilities and every layer's activations for one image. */
  | { type: 'inspect'; image: ImageSource }
  /** How one cell of a layer's output was computed for one image (window, weights, bias, value). */
  | { type: 'explain-cell'; image: ImageSource; layerId: string; at: CellPosition }
  /** Every layer's output gradient and filter gradients for one image (a batch-1 backward pass). */
  | { type: 'gradients'; image: ImageSource }
  /** A batch-norm cell in training mode (inside a batch) and in evaluation mode, for one image. */
  | { type: 'batch-norm-modes'; image: ImageSource; layerId: string; at: CellPosition }
  /** A conv or dense layer's weights. */
  | { type: 'weights'; layerId: string }
  /** The trained state as a .safetensors file (weights, running stats, optionally optimizer moments). */
  | { type: 'export-checkpoint'; includeOptimizer: boolean }
  /** Replaces the design, weights (and optimizer state when present) with a checkpoint's; a refused
   *  file changes nothing. */
  | { type: 'import-checkpoint'; bytes: Uint8Array }
  /** Class probabilities for every test image, in order (evaluation mode). */
  | { type: 'predict-test-set' }
  /** Test hooks for the reliability tests: destroy the GPU device, or throw an uncaught error. */
  | { type: 'debug'; action: 'lose-device' | 'crash' };

/** A command as sent: every command carries an id that its reply names. */
export type Envelope<C extends Command = Command> = C & { id: number };

export type WorkerEvent =
  | { type: 'ready'; replyTo: number; adapter: AdapterReport }
  | { type: 'gpu-unavailable'; replyTo: number; message: string; help: string }
  | { type: 'dataset-loaded'; replyTo: number; dataset: DatasetName; trainCount: number; testCount: number; classNames: readonly string[] }
  | { type: 'samples'; replyTo: number; dataset: DatasetName; split: Split; start: number; rows: number; cols: number; images: Uint8Array; labels: Uint8Array }
  | { type: 'built'; replyTo: number; params: number; stepsPerEpoch: number; totalSteps: number; memory: MemoryReport; pipelines: number; buildMs: number }
  /** Acknowledges a command that has no data to return (train, pause, set-config, reset). */
  | { type: 'ok'; replyTo: number }
  | { type: 'progress'; step: number; epoch: number; stepInEpoch: number; stepsPerEpoch: number; totalSteps: number; lr: number; points: StepPoint[]; samplesPerSecond: number; msPerStep: number; memory: MemoryReport }
  /** `predictions` (optional): the predicted class of every test image, in test-set order. */
  | { type: 'epoch-end'; epoch: number; step: number; testLoss: number; testAccuracy: number; confusion: Uint32Array; evalMs: number; predictions?: Uint8Array }
  | { type: 'evaluated'; replyTo: number; testLoss: number; testAccuracy: number; confusion: Uint32Array; evalMs: number; predictions?: Uint8Array }
  | { type: 'paused'; reason: PauseReason; step: number; message: string }
  | { type: 'inspected'; replyTo: number; probabilities: Float32Array; input: Float32Array; layers: LayerActivations[] }
  | { type: 'cell-explained'; replyTo: number; cell: CellExplanation }
  | { type: 'gradients'; replyTo: number; report: GradientReport }
  | { type: 'batch-norm-modes'; replyTo: number; modes: BatchNormModes }
  | { type: 'weights'; replyTo: number; layerId: string; shape: number[]; data: Float32Array; bias?: Float32Array }
  | { type: 'checkpoint'; replyTo: number; bytes: Uint8Array; step: number }
  | { type: 'checkpoint-loaded'; replyTo: number; doc: ConvplayDocument; step: number; hasOptimizer: boolean; stepsPerEpoch: number; totalSteps: number }
  | { type: 'test-predictions'; replyTo: number; probabilities: Float32Array; count: number; classes: number; step: number; dataset: DatasetName }
  | { type: 'error'; replyTo?: number; kind: string; message: string }
  | { type: 'device-lost'; reason: string; message: string }
  /** Emitted by the page's EngineClient (not the worker) when the worker died of an uncaught error. */
  | { type: 'worker-crashed'; message: string }
  /** After a lost device: a new one was acquired, the network re-planned and the last good state restored. */
  | { type: 'recovered'; step: number; message: string };

type ReplyMap = {
  init: 'ready' | 'gpu-unavailable';
  'load-dataset': 'dataset-loaded';
  'get-samples': 'samples';
  build: 'built';
  train: 'ok';
  pause: 'ok';
  step: 'ok';
  reset: 'ok';
  'set-config': 'ok';
  evaluate: 'evaluated';
  inspect: 'inspected';
  'explain-cell': 'cell-explained';
  gradients: 'gradients';
  'batch-norm-modes': 'batch-norm-modes';
  weights: 'weights';
  debug: 'ok';
  'export-checkpoint': 'checkpoint';
  'import-checkpoint': 'checkpoint-loaded';
  'predict-test-set': 'test-predictions';
};

export type ReplyTo<C extends Command['type']> = Extract<WorkerEvent, { type: ReplyMap[C] }>;
