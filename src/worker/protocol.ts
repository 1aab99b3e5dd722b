// Why: the one contract between the page and the engine worker. Commands go in, events come out;
// both are discriminated unions switched exhaustively on each side. Typed arrays are transferred.
import type { ConvplayDocument, Dataset, DatasetDescriptor, NetworkSpec, TrainConfig } from '../model';
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

export type DatasetName = Dataset;

/** How the builder turns the user's images into a dataset. */
export interface ImportOptions {
  /** Square side the images are resized to (28, 32 or 48). */
  size: number;
  /** 1: grey, 3: colour. */
  channels: 1 | 3;
  /** Share of each class kept for testing (0.2: 80/20). */
  testFraction: number;
  seed: number;
  /** The dataset's name (default: the dropped folder's or archive's). */
  name?: string;
}
/** One dropped file: its path ("root/class/image.png") and contents. */
export interface ImportFile {
  path: string;
  file: Blob;
}
export interface SkippedFile {
  path: string;
  reason: string;
}
export interface ImportProgress {
  stage: 'reading' | 'decoding' | 'storing';
  done: number;
  total: number;
}
/** The dataset's own bytes and, when the browser says, its storage use and quota. */
export interface StorageReport {
  bytes: number;
  usage?: number;
  quota?: number;
}
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

/** Where a build is: the dataset going onto the GPU, the passes being planned (pipelines compiled), the start state kept. */
export type BuildStage = 'data' | 'planning' | 'finishing';

export type PauseReason = 'user' | 'finished' | 'step' | 'diverged' | 'device-lost';

/** With a 'diverged' pause: where it broke, where training went back to, and the stretch thrown away. */
export interface RollbackReport {
  /** The step that broke. */
  brokeAt: number;
  restoredStep: number;
  /** The restored state's training loss, when known. */
  restoredLoss?: number;
  /** A learning rate to resume with (a tenth of the current one, at most the last healthy one). */
  suggestedLr: number;
  /** The losses of the diverging stretch's last readback (the chart marks them, never plots them). */
  points: StepPoint[];
}

export type Command =
  | { type: 'init' }
  | { type: 'load-dataset'; dataset: DatasetName }
  | { type: 'get-samples'; dataset: DatasetName; split: Split; start: number; count: number }
  /** The test images labelled `actual` that `predictions` (the last evaluation's, one class per test
   *  image) put in `predicted`: every index, and the first `limit` images. */
  | { type: 'find-misclassified'; dataset: DatasetName; predictions: Uint8Array; actual: number; predicted: number; limit: number }
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
  /** The trained state as a .safetensors file (weights, running stats, optionally optimizer moments).
   *  `healthy`: the newest state the divergence guard judged healthy instead of the live one (the
   *  page's recovery copy, which must never hold a state from a diverging stretch). */
  | { type: 'export-checkpoint'; includeOptimizer: boolean; healthy?: boolean }
  /** Replaces the design, weights (and optimizer state when present) with a checkpoint's; a refused
   *  file changes nothing. */
  | { type: 'import-checkpoint'; bytes: Uint8Array; subset?: number }
  /** Class probabilities for every test image, in order (evaluation mode). */
  | { type: 'predict-test-set' }
  /** Builds the user's dataset from dropped files (class folders, or a .zip of them), stores it and
   *  makes it the 'own' dataset; a refused or cancelled import leaves the previous one as it was. */
  | { type: 'import-dataset'; files: ImportFile[]; options: ImportOptions }
  | { type: 'cancel-import' }
  /** The stored user dataset's descriptor (null when there is none). */
  | { type: 'own-dataset' }
  | { type: 'delete-dataset' }
  /** The user dataset as a .zip of class folders of PNG files. */
  | { type: 'export-dataset' }
  /** GPU ms per training step of each layer (measured between two groups when training runs). */
  | { type: 'layer-times' }
  /** Test hooks for the reliability tests: destroy the GPU device, or throw an uncaught error. */
  | { type: 'debug'; action: 'lose-device' | 'crash' };

/** A command as sent: every command carries an id that its reply names. */
export type Envelope<C extends Command = Command> = C & { id: number };

export type WorkerEvent =
  | { type: 'ready'; replyTo: number; adapter: AdapterReport }
  | { type: 'gpu-unavailable'; replyTo: number; message: string; help: string }
  | { type: 'dataset-loaded'; replyTo: number; dataset: DatasetName; trainCount: number; testCount: number; classNames: readonly string[]; descriptor: DatasetDescriptor }
  | { type: 'import-progress'; progress: ImportProgress }
  | { type: 'dataset-imported'; replyTo: number; descriptor: DatasetDescriptor; skipped: SkippedFile[]; storage: StorageReport }
  | { type: 'own-dataset'; replyTo: number; descriptor: DatasetDescriptor | null; storage: StorageReport }
  | { type: 'dataset-export'; replyTo: number; bytes: Uint8Array; name: string }
  | { type: 'misclassified'; replyTo: number; indices: number[]; images: Uint8Array; rows: number; cols: number; channels: number }
  | { type: 'samples'; replyTo: number; dataset: DatasetName; split: Split; start: number; rows: number; cols: number; channels: number; images: Uint8Array; labels: Uint8Array; classNames: readonly string[] }
  /** While a build runs: its stage, pipelines compiled so far of `total` (the distinct pipelines the build
   *  needs that were not compiled before it; absent when they could not be counted, then `compiled` counts
   *  every new one), the last one's kernel, time since it began. */
  | { type: 'build-progress'; stage: BuildStage; compiled: number; total?: number; kernel: string; elapsedMs: number }
  /** While the test set is evaluated (epoch ends): images done of total. */
  | { type: 'eval-progress'; done: number; total: number; elapsedMs: number }
  /** While a dataset's files arrive: bytes so far of total (0 when the server does not say). */
  | { type: 'data-progress'; dataset: DatasetName; loaded: number; total: number }
  | { type: 'built'; replyTo: number; params: number; stepsPerEpoch: number; totalSteps: number; memory: MemoryReport; pipelines: number; buildMs: number }
  /** Acknowledges a command that has no data to return (train, pause, set-config, reset). */
  | { type: 'ok'; replyTo: number }
  | { type: 'progress'; step: number; epoch: number; stepInEpoch: number; stepsPerEpoch: number; totalSteps: number; lr: number; points: StepPoint[]; samplesPerSecond: number; msPerStep: number; memory: MemoryReport }
  /** `predictions` (optional): the predicted class of every test image, in test-set order. */
  | { type: 'epoch-end'; epoch: number; step: number; testLoss: number; testAccuracy: number; confusion: Uint32Array; evalMs: number; predictions?: Uint8Array }
  | { type: 'evaluated'; replyTo: number; testLoss: number; testAccuracy: number; confusion: Uint32Array; evalMs: number; predictions?: Uint8Array }
  /** `step`: where training now stands (after a divergence, the restored step). */
  | { type: 'paused'; reason: PauseReason; step: number; message: string; rollback?: RollbackReport }
  /** Reply to set-config: the learning rate the next step will use (schedules included). */
  | { type: 'config-set'; replyTo: number; lr: number }
  | { type: 'inspected'; replyTo: number; probabilities: Float32Array; input: Float32Array; layers: LayerActivations[] }
  | { type: 'cell-explained'; replyTo: number; cell: CellExplanation }
  | { type: 'gradients'; replyTo: number; report: GradientReport }
  | { type: 'batch-norm-modes'; replyTo: number; modes: BatchNormModes }
  | { type: 'weights'; replyTo: number; layerId: string; shape: number[]; data: Float32Array; bias?: Float32Array }
  | { type: 'checkpoint'; replyTo: number; bytes: Uint8Array; step: number }
  /** `subset`: the training images the loaded run uses (null: the whole training split). */
  | { type: 'checkpoint-loaded'; replyTo: number; doc: ConvplayDocument; step: number; hasOptimizer: boolean; stepsPerEpoch: number; totalSteps: number; subset: number | null }
  | { type: 'test-predictions'; replyTo: number; probabilities: Float32Array; count: number; classes: number; step: number; dataset: DatasetName }
  /** `method`: 'timestamps' (GPU timestamp queries) or 'submit' (each layer's dispatches timed alone,
   *  submit to completion, where the device has no timestamp queries); rows 'gather' and 'loss' too. */
  | { type: 'layer-times'; replyTo: number; method: 'timestamps' | 'submit'; layers: LayerGpuTime[] }
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
  'find-misclassified': 'misclassified';
  build: 'built';
  train: 'ok';
  pause: 'ok';
  step: 'ok';
  reset: 'ok';
  'set-config': 'config-set';
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
  'import-dataset': 'dataset-imported';
  'cancel-import': 'ok';
  'own-dataset': 'own-dataset';
  'delete-dataset': 'ok';
  'export-dataset': 'dataset-export';
  'layer-times': 'layer-times';
};

/** One layer's GPU time per training step (ms): its forward dispatches and its backward ones. */
export interface LayerGpuTime {
  layerId: string;
  forwardMs: number;
  backwardMs: number;
}

export type ReplyTo<C extends Command['type']> = Extract<WorkerEvent, { type: ReplyMap[C] }>;
