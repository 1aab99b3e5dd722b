// Why: the contract every engine op fulfils: forward and backward built side by side from the same
// buffers, once, at plan time; replaying them allocates nothing.
import type { Encodable, Gpu } from '../../gpu';
import type { ParamLayout, ParamSlot, ParamStore, StateSlot } from '../param-store';
import type { Tensor } from '../tensor';

export interface OpContext {
  gpu: Gpu;
  /** Batch size of this plan. */
  N: number;
  /** Training (batch statistics, dropout on, backward built) or evaluation. */
  train: boolean;
  store: ParamStore;
  /** The slots this node declared (by role). */
  slots: Partial<Record<'weight' | 'bias' | 'gamma' | 'beta', ParamSlot>>;
  stateSlots: Partial<Record<'running-mean' | 'running-var', StateSlot>>;
}

export interface OpBuffers {
  x: Tensor;
  y: Tensor;
  /** Backward only: the gradient of y (read), of x (written; null when x needs none), and a scratch
   *  tensor as large as y for ops with a fused epilogue. */
  dy?: Tensor;
  dx?: Tensor | null;
  scratch?: Tensor;
  /** A residual sum's second input (the shortcut) and where its gradient goes. */
  x2?: Tensor;
  dx2?: Tensor | null;
}

export interface BuiltOp {
  forward: Encodable[];
  backward: Encodable[];
  /** Called before each replayed step (dropout's mask changes per step). */
  beforeStep?(step: number): void;
  dispose(): void;
}

/** Declares a node's trainable tensors and running statistics in the shared layout. */
export type Declare = (layout: ParamLayout, layerId: string) => { slots: OpContext['slots']; stateSlots: OpContext['stateSlots'] };

export function disposeAll(parts: Encodable[], extra: () => void = () => {}): () => void {
  return () => {
    for (const p of parts) p.dispose();
    extra();
  };
}
