// Why: train.py must start from the weights convplay would start from. The engine draws every
// trainable tensor from one seeded generator (mulberry32) in declaration order — per layer, weight
// then bias (batch-norm: gamma then beta) — as model/init.ts's weightInit says for the design's
// scheme (PyTorch's default U(±1/√fan_in), He-normal or Glorot-uniform), gammas 1 and betas 0.
// This is that rule as data, keyed like the state dict, so the generated script can replay the same
// draws in Python; train-script.test.ts pins it.
import { analyzeNetwork, kernelHW, weightInit, type InitScheme, type LayerSpec, type NetworkSpec, type ParamInit } from '../model';
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
    const push = (fanIn: number, fanOut: number, bias: boolean) => {
      const init = weightInit(scheme, fanIn, fanOut);
      out.push({ key: `${name}.weight`, ...init.weight });
      if (bias) out.push({ key: `${name}.bias`, ...init.bias });
    };
    switch (layer.kind) {
      case 'conv2d': {
        const [FH, FW] = kernelHW(layer.F);
        push(inShape[0]! * FH * FW, layer.K * FH * FW, layer.bias);
        return;
      }
      case 'dense': {
        push(inShape.reduce((a, b) => a * b, 1), layer.units, layer.bias);
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
