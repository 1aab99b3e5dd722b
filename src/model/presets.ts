// Why: a blank canvas teaches little. Each preset is a small, known-good network that shows one idea
// from the lecture (pooling, classic LeNet, stride instead of pooling, 1×1 convolutions, depthwise-
// separable convolutions, batch-norm and dropout, residual blocks, a plain MLP to compare with), ready
// to train on 1×28×28 MNIST.
import { defaultTrainConfig, type LayerItem, type LayerSpec, type NetworkSpec, type TrainConfig } from './spec';

export interface Preset {
  id: string;
  title: string;
  /** One line: what training or inspecting it shows. */
  description: string;
  spec: NetworkSpec;
  train: TrainConfig;
}

const MNIST = { C: 1, H: 28, W: 28 };

function net(layers: LayerItem[]): NetworkSpec {
  return { version: 1, input: { ...MNIST }, layers };
}

function conv(id: string, K: number, F: number, extra: Partial<Omit<Extract<LayerSpec, { kind: 'conv2d' }>, 'id' | 'kind'>> = {}): LayerSpec {
  return { id, kind: 'conv2d', K, F, S: 1, P: 0, dilation: 1, bias: true, ...extra };
}

const bn = (id: string): LayerSpec => ({ id, kind: 'batch-norm', momentum: 0.1, epsilon: 1e-5 });

const sgd = (lr: number): TrainConfig => ({
  ...defaultTrainConfig,
  optimizer: { kind: 'sgd', lr, momentum: 0.9, nesterov: false, weightDecay: 0 },
  schedule: { kind: 'constant', warmupSteps: 0 },
});
const adam = (lr: number, schedule: TrainConfig['schedule'] = { kind: 'constant', warmupSteps: 0 }): TrainConfig => ({
  ...defaultTrainConfig,
  optimizer: { kind: 'adam', lr, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0 },
  schedule,
});

const PRESET_LIST: Preset[] = [
  {
    id: 'reference-cnn',
    title: 'Reference CNN',
    description: 'Two 3×3 conv + ReLU + 2×2 max-pool stages, then dense 10: 50,186 parameters, about 99% on MNIST.',
    spec: net([
      conv('conv1', 32, 3, { P: 1 }),
      { id: 'relu1', kind: 'relu' },
      { id: 'pool1', kind: 'max-pool', F: 2, S: 2, P: 0 },
      conv('conv2', 64, 3, { P: 1 }),
      { id: 'relu2', kind: 'relu' },
      { id: 'pool2', kind: 'max-pool', F: 2, S: 2, P: 0 },
      { id: 'fc', kind: 'dense', units: 10, bias: true },
    ]),
    train: adam(1e-3),
  },
  {
    id: 'lenet-5',
    title: 'LeNet-5',
    description: "LeCun's 1998 classic: 5×5 convs, average pooling, tanh, and three dense layers holding most of the weights.",
    spec: net([
      conv('c1', 6, 5, { P: 2, activation: 'tanh' }),
      { id: 's2', kind: 'avg-pool', F: 2, S: 2, P: 0 },
      conv('c3', 16, 5, { activation: 'tanh' }),
      { id: 's4', kind: 'avg-pool', F: 2, S: 2, P: 0 },
      { id: 'f5', kind: 'dense', units: 120, bias: true, activation: 'tanh' },
      { id: 'f6', kind: 'dense', units: 84, bias: true, activation: 'tanh' },
      { id: 'output', kind: 'dense', units: 10, bias: true },
    ]),
    train: sgd(0.05),
  },
  {
    id: 'all-conv',
    title: 'All-convolutional',
    description: 'Stride-2 convolutions downsample instead of pooling, and a 1×1 conv + global average pool replaces the dense layer.',
    spec: net([
      conv('conv1', 32, 3, { P: 1, activation: 'relu' }),
      // A 3×3 filter at stride 2 doesn't fit 28 exactly ((28 − 3 + 2·1)/2 + 1 = 14.5); 4×4 with P = 1 does.
      conv('down1', 32, 4, { S: 2, P: 1, activation: 'relu' }),
      conv('conv2', 64, 3, { P: 1, activation: 'relu' }),
      conv('down2', 64, 4, { S: 2, P: 1, activation: 'relu' }),
      conv('classes', 10, 1),
      { id: 'gap', kind: 'global-avg-pool' },
    ]),
    train: adam(1e-3),
  },
  {
    id: 'one-by-one',
    title: '1×1 convolution',
    description: 'A 1×1 conv mixes channels at each pixel: it squeezes 32 channels to 8 for just 8·(1·1·32 + 1) = 264 parameters.',
    spec: net([
      conv('conv1', 32, 3, { P: 1, activation: 'relu' }),
      { id: 'pool1', kind: 'max-pool', F: 2, S: 2, P: 0 },
      conv('squeeze', 8, 1, { activation: 'relu' }),
      conv('conv2', 16, 3, { P: 1, activation: 'relu' }),
      { id: 'pool2', kind: 'max-pool', F: 2, S: 2, P: 0 },
      { id: 'fc', kind: 'dense', units: 10, bias: true },
    ]),
    train: sgd(0.01),
  },
  {
    id: 'depthwise-separable',
    title: 'Depthwise-separable',
    description:
      "MobileNet's block: a 3×3 depthwise conv (one filter per channel) then a 1×1 pointwise conv: 2,432 parameters where a plain 3×3 conv from 32 to 64 channels has 18,496.",
    spec: net([
      conv('conv1', 32, 3, { P: 1, activation: 'relu' }),
      { id: 'pool1', kind: 'max-pool', F: 2, S: 2, P: 0 },
      conv('depthwise', 32, 3, { P: 1, groups: 32, activation: 'relu' }),
      conv('pointwise', 64, 1, { activation: 'relu' }),
      { id: 'pool2', kind: 'max-pool', F: 2, S: 2, P: 0 },
      { id: 'fc', kind: 'dense', units: 10, bias: true },
    ]),
    train: adam(1e-3),
  },
  {
    id: 'bn-dropout',
    title: 'Batch-norm and dropout',
    description: 'Batch-norm after each conv (so the conv needs no bias) and dropout before the classifier: trains fast and overfits less.',
    spec: net([
      conv('conv1', 32, 3, { P: 1, bias: false }),
      bn('bn1'),
      { id: 'relu1', kind: 'relu' },
      { id: 'pool1', kind: 'max-pool', F: 2, S: 2, P: 0 },
      conv('conv2', 64, 3, { P: 1, bias: false }),
      bn('bn2'),
      { id: 'relu2', kind: 'relu' },
      { id: 'pool2', kind: 'max-pool', F: 2, S: 2, P: 0 },
      { id: 'drop1', kind: 'dropout', rate: 0.25 },
      { id: 'fc1', kind: 'dense', units: 128, bias: true, activation: 'relu' },
      { id: 'drop2', kind: 'dropout', rate: 0.5 },
      { id: 'fc2', kind: 'dense', units: 10, bias: true },
    ]),
    train: adam(1e-3, { kind: 'cosine', warmupSteps: 100, minLr: 0 }),
  },
  {
    id: 'small-resnet',
    title: 'Small ResNet',
    description: 'Residual blocks add their input back to their output: conv → batch-norm → ReLU as in ResNet, an identity shortcut, then a 1×1 projection with stride 2 where the body halves the map and quadruples the channels; global average pooling before the classifier.',
    spec: net([
      conv('stem', 16, 3, { P: 1, bias: false }),
      bn('stem-bn'),
      { id: 'stem-relu', kind: 'relu' },
      { id: 'stem-pool', kind: 'max-pool', F: 2, S: 2, P: 0 },
      {
        id: 'res1', kind: 'residual', shortcut: 'identity', S: 1, bias: false, relu: true,
        body: [conv('res1-a', 16, 3, { P: 1, bias: false }), bn('res1-a-bn'), { id: 'res1-a-relu', kind: 'relu' }, conv('res1-b', 16, 3, { P: 1, bias: false }), bn('res1-b-bn')],
      },
      {
        id: 'res2', kind: 'residual', shortcut: 'projection', S: 2, bias: true, relu: true,
        body: [conv('res2-a', 64, 4, { S: 2, P: 1, bias: false }), bn('res2-a-bn'), { id: 'res2-a-relu', kind: 'relu' }, conv('res2-b', 64, 3, { P: 1, bias: false }), bn('res2-b-bn')],
      },
      { id: 'gap', kind: 'global-avg-pool' },
      { id: 'fc', kind: 'dense', units: 10, bias: true },
    ]),
    // Batch-norm, the stem's pooling and the schedule are what reach 99% in 3 epochs (docs/PERFORMANCE.md).
    train: adam(3e-3, { kind: 'cosine', warmupSteps: 0, minLr: 0 }),
  },
  {
    id: 'mlp',
    title: 'Plain MLP',
    description: 'No convolutions at all: flatten the 28×28 image and use dense layers; twice the parameters of the reference CNN, less accuracy.',
    spec: net([
      { id: 'flatten', kind: 'flatten' },
      { id: 'fc1', kind: 'dense', units: 128, bias: true, activation: 'relu' },
      { id: 'fc2', kind: 'dense', units: 10, bias: true },
    ]),
    train: sgd(0.05),
  },
];

export const PRESET_IDS = ['reference-cnn', 'lenet-5', 'all-conv', 'one-by-one', 'depthwise-separable', 'bn-dropout', 'small-resnet', 'mlp'] as const;
export type PresetId = (typeof PRESET_IDS)[number];

/** All presets, in menu order. Returned objects are fresh copies: safe to edit. */
export function listPresets(): Preset[] {
  return structuredClone(PRESET_LIST);
}

/** A fresh copy of one preset. */
export function getPreset(id: PresetId): Preset {
  const p = PRESET_LIST.find((x) => x.id === id);
  if (!p) throw new Error(`unknown preset ${id}`);
  return structuredClone(p);
}

/** The network a new session starts with. */
export const DEFAULT_PRESET_ID: PresetId = 'reference-cnn';
