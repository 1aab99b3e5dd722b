// Why: train.py must start from the weights convplay would start from. The engine draws every
// trainable tensor from one seeded generator (mulberry32) in declaration order — per layer, weight
// then bias (batch-norm: gamma then beta) — He-normal when a ReLU-like activation follows, else
// Glorot-uniform, biases and betas 0, gammas 1. This is that rule as data, keyed like the state dict,
// so the generated script can replay the same draws in Python. engine/nodes.ts (heInit) and
// engine/ops/{conv2d,dense,batch-norm}.ts (declare*) hold the same rule; initialisation.test.ts pins it.
import { analyzeNetwork, kernelHW, type LayerSpec, type NetworkSpec } from '../model';
import { moduleNames } from './python-names';

export type InitRule = { key: string; kind: 'he-normal'; fanIn: number } | { key: string; kind: 'glorot-uniform'; fanIn: number; fanOut: number } | { key: string; kind: 'const'; value: number };

const reluLike = (k: string | undefined) => k === 'relu' || k === 'leaky-relu';

/** The initialisation of every trainable tensor, in the order the engine draws them. */
export function initialisation(spec: NetworkSpec): InitRule[] {
  const analysis = analyzeNetwork(spec);
  if (!analysis.ok) throw new Error(analysis.error?.message ?? 'the design cannot be built');
  const names = moduleNames(spec).layer;
  const out: InitRule[] = [];
  spec.layers.forEach((layer: LayerSpec, i) => {
    const name = names.get(layer.id)!;
    const inShape = analysis.layers[i]!.inShape!;
    const next = spec.layers[i + 1];
    const he = (act: string | undefined) => reluLike(act) || (act === undefined && reluLike(next?.kind));
    const weight = (fanIn: number, fanOut: number, act: string | undefined): InitRule =>
      he(act) ? { key: `${name}.weight`, kind: 'he-normal', fanIn } : { key: `${name}.weight`, kind: 'glorot-uniform', fanIn, fanOut };
    switch (layer.kind) {
      case 'conv2d': {
        const [FH, FW] = kernelHW(layer.F);
        out.push(weight(inShape[0]! * FH * FW, layer.K * FH * FW, layer.activation));
        if (layer.bias) out.push({ key: `${name}.bias`, kind: 'const', value: 0 });
        return;
      }
      case 'dense': {
        out.push(weight(inShape.reduce((a, b) => a * b, 1), layer.units, layer.activation));
        if (layer.bias) out.push({ key: `${name}.bias`, kind: 'const', value: 0 });
        return;
      }
      case 'batch-norm':
        out.push({ key: `${name}.weight`, kind: 'const', value: 1 }, { key: `${name}.bias`, kind: 'const', value: 0 });
        return;
      case 'max-pool':
      case 'avg-pool':
      case 'global-avg-pool':
      case 'flatten':
      case 'relu':
      case 'sigmoid':
      case 'tanh':
      case 'leaky-relu':
      case 'dropout':
        return;
      default:
        return layer satisfies never;
    }
  });
  return out;
}
