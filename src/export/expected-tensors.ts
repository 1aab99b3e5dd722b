// Why: a design determines exactly which tensors a checkpoint holds and their shapes (PyTorch's
// layouts: conv [K, C, FH, FW], dense [out, in], batch-norm [C]). Writing, reading and the generated
// model.py all derive them from this one list, the layer table's tensors (model/layers/), so a file can only load
// into the network it was made for.
import { analyzeNetwork, layerTensors, type NetworkSpec, type TensorRole } from '../model';
import { moduleNames } from './python-names';

export type { ParamRole, StateRole, TensorRole } from '../model';

export interface ExpectedTensor {
  layerId: string;
  role: TensorRole;
  shape: number[];
  /** The PyTorch state-dict key: `<module name>.weight`, `.bias`, `.running_mean`, `.running_var`. */
  key: string;
  /** Updated by the optimizer (has m and v moments). */
  trainable: boolean;
}

/** The key suffix PyTorch uses for each role (batch-norm gamma/beta are its weight/bias). */
export function keySuffix(role: TensorRole): string {
  switch (role) {
    case 'weight':
    case 'gamma':
      return 'weight';
    case 'bias':
    case 'beta':
      return 'bias';
    case 'running-mean':
      return 'running_mean';
    case 'running-var':
      return 'running_var';
    default:
      return role satisfies never;
  }
}

export function isTrainable(role: TensorRole): boolean {
  return role !== 'running-mean' && role !== 'running-var';
}

/** "conv1/weight": how messages and lookups name a tensor on the convplay side. */
export function tensorId(layerId: string, role: TensorRole): string {
  return `${layerId}/${role}`;
}

/** Every tensor the design has, in layer order (weight, bias / gamma, beta, running mean, running var).
 *  Returns the first ShapeError's message instead when the design cannot be built. */
export function expectedTensors(spec: NetworkSpec): ExpectedTensor[] | { error: string } {
  const analysis = analyzeNetwork(spec);
  if (!analysis.ok) return { error: analysis.error?.message ?? 'the design cannot be built' };
  const names = moduleNames(spec).layer;
  const out: ExpectedTensor[] = [];
  // Leaves include each projection shortcut (a 1×1 conv2d named `<block id>.shortcut`).
  analysis.leaves.forEach((layer, i) => {
    const a = analysis.layers[i]!;
    const name = names.get(layer.id)!;
    for (const { role, shape } of layerTensors(layer, a.inShape!)) {
      out.push({ layerId: layer.id, role, shape, key: `${name}.${keySuffix(role)}`, trainable: isTrainable(role) });
    }
  });
  return out;
}
