// Why: a user's network on the GPU: its shape analysis (from model/, the same numbers the UI shows),
// its parameters in one flat store, and plans built from it for training, evaluation and inspection.
import type { Gpu } from '../gpu';
import { analyzeNetwork, classesOf, layerTensors, type InitScheme, type NetworkAnalysis, type NetworkSpec } from '../model';
import { buildNodes, PlanError, type Node } from './nodes';
import type { OpContext } from './ops/op';
import { ParamLayout, ParamStore, type ParamSlot } from './param-store';
import { Plan, type PlanInput } from './plan';

type Declared = { slots: OpContext['slots']; stateSlots: OpContext['stateSlots'] };
const NONE: Declared = { slots: {}, stateSlots: {} };

export class Network {
  readonly spec: NetworkSpec;
  readonly analysis: NetworkAnalysis;
  readonly store: ParamStore;
  #declared: Map<string, Declared>;
  #gpu: Gpu;

  private constructor(gpu: Gpu, spec: NetworkSpec, analysis: NetworkAnalysis, store: ParamStore, declared: Map<string, Declared>) {
    this.#gpu = gpu;
    this.spec = spec;
    this.analysis = analysis;
    this.store = store;
    this.#declared = declared;
  }

  /** Checks the spec, lays out and allocates its parameters, and initialises them from `seed` with
   *  `init` (PyTorch's defaults unless told otherwise). */
  static create(gpu: Gpu, spec: NetworkSpec, seed: number, init: InitScheme = 'pytorch'): Network {
    const analysis = analyzeNetwork(spec);
    if (!analysis.ok) {
      const e = analysis.error;
      throw new PlanError(e ? `${e.layerId || 'network'}: ${e.reason}` : 'the network does not fit');
    }
    const layout = new ParamLayout();
    const declared = new Map<string, Declared>();
    // Every layer's tensors as the layer table declares them, in forward order (the order the weights
    // are drawn; a block's projection shortcut after its body).
    analysis.leaves.forEach((layer, i) => {
      const d: Declared = { slots: {}, stateSlots: {} };
      for (const t of layerTensors(layer, analysis.layers[i]!.inShape!, init)) {
        if (t.trainable) d.slots[t.role] = layout.param(layer.id, t.role, t.shape, t.init);
        else d.stateSlots[t.role] = layout.state(layer.id, t.role, t.shape.reduce((a, b) => a * b, 1), t.initial);
      }
      declared.set(layer.id, d);
    });
    if (layout.trainableCount !== analysis.totals.params) {
      throw new PlanError(`internal: the engine lays out ${layout.trainableCount} parameters, the model counts ${analysis.totals.params}`);
    }
    const store = new ParamStore(gpu, layout);
    store.initialise(seed);
    return new Network(gpu, spec, analysis, store, declared);
  }

  nodes(fuse: boolean): Node[] {
    return buildNodes(this.spec, this.analysis, { fuse });
  }

  /** Builds a plan for batch size N; training plans fuse conv/dense + ReLU. */
  plan(o: { N: number; train: boolean; input: PlanInput; statsSlots?: number; seed?: number; fuse?: boolean; probs?: boolean }): Promise<Plan> {
    const nodes = this.nodes(o.fuse ?? true);
    const { C, H, W } = this.spec.input;
    return Plan.build(this.#gpu, nodes, this.store, {
      N: o.N,
      train: o.train,
      input: o.input,
      inputShape: [C, H, W],
      classes: classesOf(this.spec),
      statsSlots: o.statsSlots ?? 1,
      seed: o.seed ?? 0,
      probs: o.probs,
      declared: nodes.map((n) => this.#declared.get(n.layerId) ?? NONE),
    });
  }

  /** A layer's trainable tensors (for the filter view and export). */
  slotsOf(layerId: string): ParamSlot[] {
    return this.store.layout.slots.filter((s) => s.layerId === layerId);
  }

  dispose(): void {
    this.store.dispose();
  }
}
