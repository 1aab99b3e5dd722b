// Why: the one plain-JSON description of a network and of how to train it. The UI edits it, the
// worker plans GPU work from it, the URL hash carries it. Everything else in model/ derives from it,
// so it stays small, serialisable and free of behaviour beyond "make a layer with sane defaults".

/** The loss (softmax cross-entropy) closes the network over this many class scores unless the spec
 *  says otherwise (`NetworkSpec.classes`: the class count of the dataset it is trained on). */
export const CLASSES = 10;

/** Fused activation a conv2d or dense layer may apply to its own output. */
export type Activation = 'relu' | 'leaky-relu' | 'sigmoid' | 'tanh';
export const ACTIVATIONS: readonly Activation[] = ['relu', 'leaky-relu', 'sigmoid', 'tanh'];
/** Slope for negative inputs when leaky-relu is a fused activation (a leaky-relu layer has its own alpha). */
export const FUSED_LEAKY_RELU_ALPHA = 0.01;

/** C channels, H×W pixels: the shape of one input sample (MNIST: 1×28×28). */
export interface InputSpec {
  C: number;
  H: number;
  W: number;
}

interface LayerBase {
  /** Stable across edits: UI selection, inspection, export all key on it. */
  id: string;
}

/** K filters of F×F (or FH×FW) over all C input channels (or C/groups of them), stride S, zero padding P on every side. */
export interface Conv2dLayer extends LayerBase {
  kind: 'conv2d';
  K: number;
  F: number | [number, number];
  S: number;
  /** A number pads symmetrically; 'same' keeps OH = ceil(H/S) (must be symmetric); 'valid' is P = 0. */
  P: number | 'same' | 'valid';
  /** Spacing between filter taps; the filter then covers (F − 1)·dilation + 1 pixels. */
  dilation: number;
  /** Filters and input channels split into this many groups, each filter seeing only its group's
   *  C/groups channels (absent: 1, every filter sees every channel; = C: depthwise). */
  groups?: number;
  bias: boolean;
  activation?: Activation;
}

interface PoolFields extends LayerBase {
  F: number;
  S: number;
  P: number;
}
export interface MaxPoolLayer extends PoolFields {
  kind: 'max-pool';
}
/** Average pooling; padded cells count as zeros in the mean (PyTorch's count_include_pad = true). */
export interface AvgPoolLayer extends PoolFields {
  kind: 'avg-pool';
}
/** Mean over H×W per channel: C×H×W → a flat vector of C features. */
export interface GlobalAvgPoolLayer extends LayerBase {
  kind: 'global-avg-pool';
}
/** C×H×W → C·H·W features (NCHW order). A no-op on an already flat vector. */
export interface FlattenLayer extends LayerBase {
  kind: 'flatten';
}
export interface ReluLayer extends LayerBase {
  kind: 'relu';
}
export interface SigmoidLayer extends LayerBase {
  kind: 'sigmoid';
}
export interface TanhLayer extends LayerBase {
  kind: 'tanh';
}
export interface LeakyReluLayer extends LayerBase {
  kind: 'leaky-relu';
  alpha: number;
}
/** Per-channel (or per-feature on a flat input) normalisation. PyTorch's momentum convention:
 *  running = (1 − momentum)·running + momentum·batch. */
export interface BatchNormLayer extends LayerBase {
  kind: 'batch-norm';
  momentum: number;
  epsilon: number;
}
/** Inverted dropout: zero with probability `rate` in training, scale the rest by 1/(1 − rate). */
export interface DropoutLayer extends LayerBase {
  kind: 'dropout';
  rate: number;
}
/** Fully connected. On a C×H×W input the flatten is implied (in = C·H·W, NCHW order). */
export interface DenseLayer extends LayerBase {
  kind: 'dense';
  units: number;
  bias: boolean;
  activation?: Activation;
}

export type LayerSpec =
  | Conv2dLayer
  | MaxPoolLayer
  | AvgPoolLayer
  | GlobalAvgPoolLayer
  | FlattenLayer
  | ReluLayer
  | SigmoidLayer
  | TanhLayer
  | LeakyReluLayer
  | BatchNormLayer
  | DropoutLayer
  | DenseLayer;

export type LayerKind = LayerSpec['kind'];

/**
 * A residual block: y = body(x) + shortcut(x), then a ReLU when `relu`. The shortcut is x itself
 * ('identity', when the body keeps the shape) or a 1×1 convolution with stride S ('projection', when
 * it changes channels or size). Blocks nest: a body may hold blocks. Its logic is in residual.ts.
 */
export interface ResidualBlock extends LayerBase {
  kind: 'residual';
  body: LayerItem[];
  shortcut: ResidualShortcut;
  /** The projection's stride (ignored by an identity shortcut). */
  S: number;
  /** Whether the projection has a bias (ignored by an identity shortcut). */
  bias: boolean;
  /** ReLU after the sum (as in ResNet). */
  relu: boolean;
}
export type ResidualShortcut = 'identity' | 'projection';
export const RESIDUAL_SHORTCUTS: readonly ResidualShortcut[] = ['identity', 'projection'];

/** What a network's layer list (or a block's body) holds: a layer, or a residual block. */
export type LayerItem = LayerSpec | ResidualBlock;

export type LayerOf<K extends LayerKind> = Extract<LayerSpec, { kind: K }>;

export const LAYER_KINDS: readonly LayerKind[] = [
  'conv2d',
  'max-pool',
  'avg-pool',
  'global-avg-pool',
  'flatten',
  'relu',
  'sigmoid',
  'tanh',
  'leaky-relu',
  'batch-norm',
  'dropout',
  'dense',
];

export interface NetworkSpec {
  version: 1;
  input: InputSpec;
  layers: LayerItem[];
  /** Class scores the network ends with (the dataset's class count, 2–100); absent means 10, so
   *  links and checkpoints made before user datasets load unchanged. */
  classes?: number;
}

/** The classes a spec's loss is over. */
export function classesOf(spec: Pick<NetworkSpec, 'classes'>): number {
  return spec.classes ?? CLASSES;
}

/** 'own': the user's dataset, built in the page from their images and kept in the browser. */
export type Dataset = 'mnist' | 'fashion-mnist' | 'own';
export const DATASETS: readonly Dataset[] = ['mnist', 'fashion-mnist', 'own'];
export type OptimizerKind = 'sgd' | 'adam' | 'adamw';
export const OPTIMIZER_KINDS: readonly OptimizerKind[] = ['sgd', 'adam', 'adamw'];
export type ScheduleKind = 'constant' | 'step' | 'cosine';
export const SCHEDULE_KINDS: readonly ScheduleKind[] = ['constant', 'step', 'cosine'];

export interface OptimizerConfig {
  kind: OptimizerKind;
  lr: number;
  /** sgd only. */
  momentum?: number;
  /** sgd only; needs momentum > 0. */
  nesterov?: boolean;
  /** adam / adamw. */
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  /** sgd/adam: L2 added to the gradient; adamw: decoupled decay. */
  weightDecay?: number;
}

export interface ScheduleConfig {
  kind: ScheduleKind;
  /** Linear ramp from 0 to lr over this many steps (all kinds). */
  warmupSteps?: number;
  /** step: multiply lr by gamma every stepSize steps. */
  stepSize?: number;
  gamma?: number;
  /** cosine: the floor reached at the last step. */
  minLr?: number;
}

/**
 * How weights start. 'pytorch' (the default): what nn.Conv2d and nn.Linear do, kaiming_uniform(a=√5)
 * weights, i.e. U(±1/√fan_in), and biases U(±1/√fan_in). 'he': He (Kaiming) normal, std √(2/fan_in),
 * zero biases. 'glorot': Glorot (Xavier) uniform, U(±√(6/(fan_in + fan_out))), zero biases.
 * Batch norm always starts at γ = 1, β = 0.
 */
export type InitScheme = 'pytorch' | 'he' | 'glorot';
export const INIT_SCHEMES: readonly InitScheme[] = ['pytorch', 'he', 'glorot'];

export interface TrainConfig {
  dataset: Dataset;
  batch: number;
  epochs: number;
  seed: number;
  /** Absent means 'pytorch'. */
  init?: InitScheme;
  optimizer: OptimizerConfig;
  schedule: ScheduleConfig;
}

/** What the engine uses for an optional optimizer/schedule field that is absent. */
export const OPTIMIZER_DEFAULTS = {
  momentum: 0,
  nesterov: false,
  beta1: 0.9,
  beta2: 0.999,
  epsilon: 1e-8,
  weightDecay: 0,
} as const;
export const SCHEDULE_DEFAULTS = { warmupSteps: 0, stepSize: 1000, gamma: 0.5, minLr: 0 } as const;

export function withOptimizerDefaults(o: OptimizerConfig): Required<OptimizerConfig> {
  return { ...OPTIMIZER_DEFAULTS, ...stripUndefined(o) };
}
export function withScheduleDefaults(s: ScheduleConfig): Required<ScheduleConfig> {
  return { ...SCHEDULE_DEFAULTS, ...stripUndefined(s) };
}

function stripUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** Adam 1e-3 at batch 100: what the reference CNN is measured with (and what PyTorch users expect). */
export const defaultTrainConfig: TrainConfig = {
  dataset: 'mnist',
  batch: 100,
  epochs: 3,
  seed: 1,
  optimizer: { kind: 'adam', lr: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0 },
  schedule: { kind: 'constant', warmupSteps: 0 },
};

/** A fresh deep copy of the default config (safe to mutate). */
export function newTrainConfig(overrides: Partial<TrainConfig> = {}): TrainConfig {
  return structuredClone({ ...defaultTrainConfig, ...overrides });
}

/** The first `${kind}-${n}` not in `taken` (n = 1, 2, …): deterministic ids for the editor. */
export function uniqueLayerId(kind: LayerKind, taken: Iterable<string>): string {
  const used = new Set(taken);
  for (let n = 1; ; n++) {
    const id = `${kind}-${n}`;
    if (!used.has(id)) return id;
  }
}

/** Filter height and width of a conv2d (F may be a single number or [FH, FW]). */
export function kernelHW(F: number | [number, number]): [number, number] {
  return typeof F === 'number' ? [F, F] : [F[0], F[1]];
}
