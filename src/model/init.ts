// Why: how a network's weights start is one rule, read by the engine (which draws them) and by the
// exporters (train.py replays the same draws; model.py writes the matching nn.init calls).
import type { InitScheme } from './spec';

export type ParamInit =
  | { kind: 'he-normal'; fanIn: number }
  | { kind: 'glorot-uniform'; fanIn: number; fanOut: number }
  /** U(±1/√fan_in): PyTorch's default for conv and linear weights (kaiming_uniform, a = √5) and biases. */
  | { kind: 'fan-in-uniform'; fanIn: number }
  | { kind: 'const'; value: number };

/** A conv or dense layer's weight and bias initialisation under a scheme (fan_out = K·FH·FW or units). */
export function weightInit(scheme: InitScheme, fanIn: number, fanOut: number): { weight: ParamInit; bias: ParamInit } {
  switch (scheme) {
    case 'pytorch':
      return { weight: { kind: 'fan-in-uniform', fanIn }, bias: { kind: 'fan-in-uniform', fanIn } };
    case 'he':
      return { weight: { kind: 'he-normal', fanIn }, bias: { kind: 'const', value: 0 } };
    case 'glorot':
      return { weight: { kind: 'glorot-uniform', fanIn, fanOut }, bias: { kind: 'const', value: 0 } };
    default:
      throw new Error(`unknown initialisation ${scheme satisfies never}`);
  }
}
