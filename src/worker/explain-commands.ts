// Why: the inspection commands (activations, one cell's arithmetic, gradients, batch-norm modes,
// filters) read the built network for one image; they share the image handling and the inspection
// plan, and nothing of the training loop, so they live apart from the session that owns the run.
import type { Network } from '../engine/network';
import type { Plan } from '../engine/plan';
import type { Gpu } from '../gpu';
import { forwardOrder, type DatasetDescriptor, type NetworkSpec, type TrainConfig } from '../model';
import type { DatasetCache, LoadedDataset } from './dataset-cache';
import { explainCell } from './inspect-cell';
import { layerGradients } from './inspect-gradients';
import { batchNormModes } from './inspect-batch-norm';
import { drawnToData, normalisePixels } from './dataset-input';
import type { BatchNormModes, CellExplanation, CellPosition, DatasetName, GradientReport, ImageSource, LayerActivations } from './protocol';

/** Images in the training-mode batch of the batch-norm comparison. */
const BN_BATCH = 16;

/** What the inspection commands read of a built network. */
export interface Inspectable {
  spec: NetworkSpec;
  config: TrainConfig;
  network: Network;
  inspectPlan: Plan;
  /** The data it was built for: input shape and per-channel normalisation. */
  descriptor: DatasetDescriptor;
  /** Batch 1, training mode, unfused: the gradient view's backward pass (planned when first asked). */
  gradientPlan?: Promise<Plan>;
  /** A training-mode batch of BN_BATCH for the batch-norm train/eval comparison (planned when first asked). */
  batchNormPlan?: Promise<Plan>;
}

export class ExplainCommands {
  readonly #gpu: () => Gpu;
  readonly #built: () => Inspectable;
  readonly #datasets: DatasetCache;

  /** `gpu` and `built` are read at each call: a device-loss recovery or a rebuild replaces them. */
  constructor(gpu: () => Gpu, built: () => Inspectable, datasets: DatasetCache) {
    this.#gpu = gpu;
    this.#built = built;
    this.#datasets = datasets;
  }

  #dataset(name: DatasetName): Promise<LoadedDataset> {
    return this.#datasets.get(name);
  }

  async #pixels(image: ImageSource): Promise<Uint8Array> {
    switch (image.kind) {
      case 'pixels':
        return drawnToData(image.pixels, this.#built().descriptor.input);
      case 'dataset': {
        const split = await this.#datasets.split(image.dataset, image.split);
        if (!(image.index >= 0 && image.index < split.count)) throw new RangeError(`image ${image.index} is not in the ${image.split} set (0–${split.count - 1})`);
        const px = (split.channels ?? 1) * split.rows * split.cols;
        return split.images.subarray(image.index * px, (image.index + 1) * px);
      }
      default:
        throw new Error(`unknown image source ${(image satisfies never as { kind: string }).kind}`);
    }
  }

  /** The network's input for an image (normalised as in training, per channel). */
  async #inputFor(image: ImageSource): Promise<Float32Array> {
    const b = this.#built();
    const plan = b.inspectPlan;
    const pixels = await this.#pixels(image);
    if (pixels.length !== plan.input.size) throw new RangeError(`the image has ${pixels.length} pixels, the network's input takes ${plan.input.size}`);
    return normalisePixels(pixels, b.descriptor.mean, b.descriptor.std);
  }

  /** Runs one input forward through the inspection plan (N = 1, evaluation mode, unfused); synchronous,
   *  so reads queued right after it see this pass and no training step in between. */
  #runInspect(input: Float32Array): void {
    const plan = this.#built().inspectPlan;
    this.#gpu().write(plan.input.buffer, input);
    this.#gpu().run([...plan.forwardParts(), plan.loss!], 'inspect');
  }

  /** Probabilities and every layer's output for one image, in evaluation mode. */
  async inspect(image: ImageSource): Promise<{ probabilities: Float32Array; input: Float32Array; layers: LayerActivations[] }> {
    const b = this.#built();
    const plan = b.inspectPlan;
    const input = await this.#inputFor(image);
    this.#runInspect(input);
    const gpu = this.#gpu();
    const probabilities = await gpu.readF32(plan.probs!.buffer, plan.probs!.size);
    const layers: LayerActivations[] = [];
    for (const layer of forwardOrder(b.spec.layers)) {
      const t = plan.outputs.get(layer.id);
      if (!t) continue;
      layers.push({ layerId: layer.id, shape: [...t.shape.slice(1)], data: await gpu.readF32(t.buffer, t.size) });
    }
    return { probabilities, input, layers };
  }

  /** How one cell of a layer was computed for one image (evaluation mode), read from the engine. */
  async explainCell(image: ImageSource, layerId: string, at: CellPosition): Promise<CellExplanation> {
    const b = this.#built();
    const label = await this.#label(image);
    this.#runInspect(await this.#inputFor(image));
    // No await between the forward pass and explainCell's reads: they are queued right behind it.
    return explainCell(this.#gpu(), b.network, b.inspectPlan, layerId, at, label);
  }

  /** Every layer's output gradient and filter gradients for one image (against its label, or the
   *  predicted class for a drawing). */
  async gradients(image: ImageSource): Promise<GradientReport> {
    const b = this.#built();
    b.gradientPlan ??= b.network.plan({ N: 1, train: true, input: { kind: 'direct' }, fuse: false });
    const plan = await b.gradientPlan;
    const input = await this.#inputFor(image);
    let target = await this.#label(image);
    const isLabel = target !== undefined;
    if (target === undefined) {
      this.#runInspect(input);
      const p = await this.#gpu().readF32(b.inspectPlan.probs!.buffer, b.inspectPlan.probs!.size);
      target = p.indexOf(Math.max(...p));
    }
    if (this.#built() !== b) throw new Error('the network was rebuilt meanwhile');
    return layerGradients(this.#gpu(), b.network, plan, input, target, isLabel);
  }

  /** A batch-norm cell in both modes: training mode in a batch of the image and the test images after
   *  it (a drawing: the first test images), evaluation mode alone. */
  async batchNormModes(image: ImageSource, layerId: string, at: CellPosition): Promise<BatchNormModes> {
    const b = this.#built();
    b.batchNormPlan ??= b.network.plan({ N: BN_BATCH, train: true, input: { kind: 'direct' }, fuse: false, probs: true });
    const plan = await b.batchNormPlan;
    const first = await this.#inputFor(image);
    const size = first.length;
    const inputs = new Float32Array(BN_BATCH * size);
    inputs.set(first);
    const start = image.kind === 'dataset' ? image.index + 1 : 0;
    const d = await this.#dataset(b.config.dataset);
    for (let k = 1; k < BN_BATCH; k++) {
      const index = (start + k - 1) % d.test.count;
      inputs.set(await this.#inputFor({ kind: 'dataset', dataset: b.config.dataset, split: 'test', index }), k * size);
    }
    if (this.#built() !== b) throw new Error('the network was rebuilt meanwhile');
    return batchNormModes(this.#gpu(), b.network, plan, b.inspectPlan, inputs, layerId, at);
  }

  async #label(image: ImageSource): Promise<number | undefined> {
    if (image.kind !== 'dataset') return undefined;
    const d = await this.#dataset(image.dataset);
    return (image.split === 'train' ? d.train : d.test).labels[image.index];
  }

  /** One layer's weights (and bias) as stored. */
  async weights(layerId: string): Promise<{ shape: number[]; data: Float32Array; bias?: Float32Array }> {
    const b = this.#built();
    const slots = b.network.slotsOf(layerId);
    const w = slots.find((s) => s.role === 'weight');
    if (!w) throw new Error(`layer ${layerId} has no weights`);
    const bias = slots.find((s) => s.role === 'bias');
    return { shape: w.shape, data: await b.network.store.read(w), ...(bias && { bias: await b.network.store.read(bias) }) };
  }
}
