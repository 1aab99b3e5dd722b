// Why: the layer table. One entry per LayerKind, checked by the compiler: a new kind in spec.ts that
// has no definition here, or a definition that lacks a part, is a type error, not a silent gap.
import type { InitScheme, LayerKind, LayerSpec } from '../spec';
import { avgPool } from './avg-pool';
import { batchNorm } from './batch-norm';
import { conv2d } from './conv2d';
import { dense } from './dense';
import { dropout } from './dropout';
import { flatten } from './flatten';
import { globalAvgPool } from './global-avg-pool';
import { leakyRelu } from './leaky-relu';
import { maxPool } from './max-pool';
import { relu } from './relu';
import { sigmoid } from './sigmoid';
import { tanh } from './tanh';
import type { LayerDef, LayerTable, LayerTensor, Shape } from './types';

export const LAYERS: LayerTable = {
  conv2d,
  'max-pool': maxPool,
  'avg-pool': avgPool,
  'global-avg-pool': globalAvgPool,
  flatten,
  relu,
  sigmoid,
  tanh,
  'leaky-relu': leakyRelu,
  'batch-norm': batchNorm,
  dropout,
  dense,
};

/** The definition of a layer's kind, typed for that layer (TypeScript cannot correlate
 *  LAYERS[layer.kind] with layer itself; this is the one place that says they match). */
export function defOf(layer: LayerSpec): LayerDef<LayerKind> {
  return LAYERS[layer.kind] as unknown as LayerDef<LayerKind>;
}

/** A layer's tensors on input `inShape` (initialisation under `scheme`; PyTorch's by default). */
export function layerTensors(layer: LayerSpec, inShape: Shape, scheme: InitScheme = 'pytorch'): LayerTensor[] {
  return defOf(layer).tensors(layer, inShape, scheme);
}

/** Does this kind have a fused activation (and so a bias switch)? */
export function hasActivation(kind: LayerKind): boolean {
  return LAYERS[kind].fields.some((f) => f.type === 'activation');
}

export * from './types';
