// Why: train.py must start from the weights convplay would start from. The engine draws every
// trainable tensor from one seeded generator (mulberry32) in declaration order — per layer, weight
// then bias (batch-norm: gamma then beta) — as model/init.ts's weightInit says for the design's
// scheme (PyTorch's default U(±1/√fan_in), He-normal or Glorot-uniform), gammas 1 and betas 0.
// This is that rule as data, keyed like the state dict, so the generated script can replay the same
// draws in Python; train-script.test.ts pins it.
import { analyzeNetwork, layerTensors, type InitScheme, type LayerSpec, type NetworkSpec, type ParamInit } from '../model';
import { keySuffix } from './expected-tensors';
import { moduleNames } from './python-names';

export type InitRule = ParamInit & { key: string };

/** The initialisation of every trainable tensor, in the order the engine draws them. */
export function initialisation(spec: NetworkSpec, scheme: InitScheme = 'pytorch'): InitRule[] {
  const analysis = analyzeNetwork(spec);
  if (!analysis.ok) throw new Error(analysis.error?.message ?? 'the design cannot be built');
  const names = moduleNames(spec).layer;
  const out: InitRule[] = [];
  analysis.leaves.forEach((layer: LayerSpec, i) => {
    const name = names.get(layer.id)!;
    const inShape = analysis.layers[i]!.inShape!;
    for (const t of layerTensors(layer, inShape, scheme)) {
      if (t.trainable) out.push({ key: `${name}.${keySuffix(t.role)}`, ...t.init });
    }
  });
  return out;
}
