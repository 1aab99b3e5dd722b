// Why: one optimizer dispatch over the flat parameter buffer per step. Its uniforms (learning rate,
// Adam's bias corrections at step t, the step's stats slot) are set before each step — in a step table's
// slot when the trainer records several steps per submit — so hyperparameters can change between steps
// without rebuilding anything. Given the loss stats ring, it skips any step whose loss was not finite.
import type { BoundKernel, Gpu } from '../gpu';
import { adam, adamParams } from '../kernels/adam';
import { sgd, sgdParams } from '../kernels/sgd';
import { withOptimizerDefaults, type OptimizerConfig } from '../model';
import type { ParamStore } from './param-store';

export class Optimizer {
  #kernel: BoundKernel;
  #config: Required<OptimizerConfig>;
  #n: number;

  private constructor(kernel: BoundKernel, config: Required<OptimizerConfig>, n: number) {
    this.#kernel = kernel;
    this.#config = config;
    this.#n = n;
  }

  /** `guard`: the loss stats ring; a step whose stats slot counts a non-finite loss leaves every
   *  parameter and moment as it was (see prepareStep's statsSlot). */
  static async create(gpu: Gpu, store: ParamStore, config: OptimizerConfig, guard?: GPUBuffer): Promise<Optimizer> {
    const c = withOptimizerDefaults(config);
    const n = store.layout.total;
    const buffers = { params: store.flat(store.params), grads: store.flat(store.grads), guard };
    let kernel: BoundKernel;
    switch (c.kind) {
      case 'sgd':
        kernel = await sgd(gpu, { ...buffers, velocity: store.flat(store.m), n, lr: c.lr, momentum: c.momentum, nesterov: c.nesterov, weightDecay: c.weightDecay });
        break;
      case 'adam':
      case 'adamw':
        kernel = await adam(gpu, { ...buffers, m: store.flat(store.m), v: store.flat(store.v), n, lr: c.lr, beta1: c.beta1, beta2: c.beta2, epsilon: c.epsilon, weightDecay: c.weightDecay, decoupled: c.kind === 'adamw', step: 1 });
        break;
      default:
        throw new Error(`unknown optimizer ${(c.kind satisfies never) as string}`);
    }
    return new Optimizer(kernel, c, n);
  }

  get config(): Required<OptimizerConfig> {
    return this.#config;
  }

  /** Sets the uniforms for step t (≥ 1) at learning rate lr; `statsSlot`: the stats slot of that step's loss. */
  prepareStep(t: number, lr: number, statsSlot = 0): void {
    const c = { ...this.#config, lr };
    switch (c.kind) {
      case 'sgd':
        this.#kernel.setParams(sgdParams(this.#n, c, statsSlot));
        break;
      case 'adam':
      case 'adamw':
        this.#kernel.setParams(adamParams(this.#n, { ...c, decoupled: c.kind === 'adamw' }, t, statsSlot));
        break;
      default:
        throw new Error(`unknown optimizer ${(c.kind satisfies never) as string}`);
    }
  }

  /** Whether a new config can reuse this pipeline (same kind and momentum on/off); else rebuild. */
  accepts(config: OptimizerConfig): boolean {
    const c = withOptimizerDefaults(config);
    return c.kind === this.#config.kind && (c.kind !== 'sgd' || ((c.momentum !== 0) === (this.#config.momentum !== 0) && c.nesterov === this.#config.nesterov));
  }

  update(config: OptimizerConfig): void {
    this.#config = withOptimizerDefaults(config);
  }

  get kernel(): BoundKernel {
    return this.#kernel;
  }

  dispose(): void {
    this.#kernel.dispose();
  }
}
