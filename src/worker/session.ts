// Why: the worker's state: the device, the datasets on the GPU, the planned network and its trainer.
// Each command of the protocol is one method here; the training loop runs between commands and yields
// to them at every step, so pause, inspect and set-config are answered while training runs.
import { uploadSplit, releaseSplit, type GpuSplit } from '../data/gpu-dataset';
import { loadDataset, type Dataset } from '../data/mnist';
import { Network } from '../engine/network';
import type { Plan } from '../engine/plan';
import type { Gpu } from '../gpu';
import { MNIST_MEAN, MNIST_STD } from '../kernels/batch-gather';
import type { NetworkSpec, TrainConfig } from '../model';
import { Trainer, type EvalResult } from '../train/trainer';
import type { DatasetName, ImageSource, LayerActivations, MemoryReport, PauseReason, WorkerEvent } from './protocol';

type Post = (event: WorkerEvent, transfer?: Transferable[]) => void;

interface Built {
  spec: NetworkSpec;
  config: TrainConfig;
  subset?: number;
  network: Network;
  trainer: Trainer;
  inspectPlan: Plan;
  data: { train: GpuSplit; test: GpuSplit };
}

export class Session {
  #gpu: Gpu;
  #post: Post;
  #baseUrl: string;
  #datasets = new Map<DatasetName, Promise<Dataset>>();
  #resident = new Map<DatasetName, { train: GpuSplit; test: GpuSplit }>();
  #built?: Built;
  #running = false;
  #stopRequested = false;
  #loop?: Promise<void>;

  constructor(gpu: Gpu, post: Post, baseUrl: string) {
    this.#gpu = gpu;
    this.#post = post;
    this.#baseUrl = baseUrl;
  }

  dataset(name: DatasetName): Promise<Dataset> {
    let d = this.#datasets.get(name);
    if (!d) {
      d = loadDataset(name, { base: this.#baseUrl }) as Promise<Dataset>;
      d.catch(() => this.#datasets.delete(name));
      this.#datasets.set(name, d);
    }
    return d;
  }

  async #residentData(name: DatasetName): Promise<{ train: GpuSplit; test: GpuSplit }> {
    let r = this.#resident.get(name);
    if (!r) {
      const d = await this.dataset(name);
      r = { train: uploadSplit(this.#gpu, d.train, `${name}:train`), test: uploadSplit(this.#gpu, d.test, `${name}:test`) };
      this.#resident.set(name, r);
    }
    return r;
  }

  memory(): MemoryReport {
    const s = this.#gpu.pool.stats;
    return { bytesLive: s.bytesLive, bytesPooled: s.bytesPooled, peakBytesLive: s.peakBytesLive };
  }

  get isRunning(): boolean {
    return this.#running;
  }

  /** Plans the network for the config; replaces (and frees) any earlier one. */
  async build(spec: NetworkSpec, config: TrainConfig, subset?: number): Promise<{ params: number; stepsPerEpoch: number; totalSteps: number }> {
    await this.pause();
    const data = await this.#residentData(config.dataset);
    this.#disposeBuilt();
    const network = Network.create(this.#gpu, spec, config.seed);
    try {
      const trainer = await Trainer.create(this.#gpu, network, data, config, this.#hooks(), subset);
      const inspectPlan = await network.plan({ N: 1, train: false, input: { kind: 'direct' }, fuse: false, probs: true });
      this.#built = { spec, config, subset, network, trainer, inspectPlan, data };
      return { params: network.analysis.totals.params, stepsPerEpoch: trainer.stepsPerEpoch, totalSteps: trainer.totalSteps };
    } catch (e) {
      network.dispose();
      throw e;
    }
  }

  #hooks() {
    return {
      progress: (p: import('../train/trainer').Progress) =>
        this.#post({ type: 'progress', step: p.step, epoch: p.epoch, stepInEpoch: p.stepInEpoch, stepsPerEpoch: p.stepsPerEpoch, totalSteps: p.totalSteps, lr: p.lr, points: p.steps, samplesPerSecond: p.samplesPerSecond, msPerStep: p.msPerStep, memory: this.memory() }),
      epochEnd: (epoch: number, r: EvalResult) => this.#post({ type: 'epoch-end', epoch, step: this.#built?.trainer.step ?? 0, testLoss: r.loss, testAccuracy: r.accuracy, confusion: r.confusion, evalMs: r.ms }),
    };
  }

  #need(): Built {
    if (!this.#built) throw new Error('no network is built yet: send "build" first');
    return this.#built;
  }

  /** Starts training in the background (returns at once); events report progress and the pause. */
  train(maxSteps?: number, reason: PauseReason = 'user'): void {
    const b = this.#need();
    if (this.#running) return;
    this.#running = true;
    this.#stopRequested = false;
    this.#loop = (async () => {
      try {
        const stop = await b.trainer.run({ shouldStop: () => this.#stopRequested, maxSteps });
        const step = b.trainer.step;
        switch (stop.kind) {
          case 'diverged':
            this.#post({ type: 'paused', reason: 'diverged', step: stop.step, message: stop.message });
            break;
          case 'finished':
            this.#post({ type: 'paused', reason: 'finished', step, message: `Finished ${b.trainer.config.epochs} epoch(s).` });
            break;
          case 'step-limit':
            this.#post({ type: 'paused', reason, step, message: `Paused after step ${step}.` });
            break;
          case 'stopped':
            this.#post({ type: 'paused', reason: 'user', step, message: `Paused at step ${step}.` });
            break;
          default:
            throw new Error(`unknown stop ${(stop satisfies never as { kind: string }).kind}`);
        }
      } catch (e) {
        this.#post({ type: 'error', kind: e instanceof Error ? e.name : 'Error', message: `Training stopped: ${e instanceof Error ? e.message : String(e)}` });
      } finally {
        this.#running = false;
      }
    })();
  }

  /** Asks the loop to stop after the current step and waits for it. */
  async pause(): Promise<void> {
    this.#stopRequested = true;
    await this.#loop;
  }

  async step(count = 1): Promise<void> {
    await this.pause();
    this.train(count, 'step');
    await this.#loop;
  }

  async reset(): Promise<void> {
    const b = this.#need();
    await this.pause();
    await this.build(b.spec, b.config, b.subset);
  }

  async setConfig(config: TrainConfig): Promise<void> {
    const b = this.#need();
    if (config.batch !== b.config.batch || config.dataset !== b.config.dataset || config.seed !== b.config.seed) {
      // These change the plan or the run's identity: rebuild (a fresh run) when paused.
      if (this.#running) throw new Error('batch size, dataset and seed can only change while paused (they start a new run)');
      await this.build(b.spec, config, b.subset);
      return;
    }
    await b.trainer.setConfig(config);
    b.config = config;
  }

  async evaluate(): Promise<EvalResult> {
    return this.#need().trainer.evaluate();
  }

  async #pixels(image: ImageSource): Promise<Uint8Array> {
    switch (image.kind) {
      case 'pixels':
        return image.pixels;
      case 'dataset': {
        const d = await this.dataset(image.dataset);
        const split = image.split === 'train' ? d.train : d.test;
        if (!(image.index >= 0 && image.index < split.count)) throw new RangeError(`image ${image.index} is not in the ${image.split} set (0–${split.count - 1})`);
        const px = split.rows * split.cols;
        return split.images.subarray(image.index * px, (image.index + 1) * px);
      }
      default:
        throw new Error(`unknown image source ${(image satisfies never as { kind: string }).kind}`);
    }
  }

  /** Probabilities and every layer's output for one image, in evaluation mode. */
  async inspect(image: ImageSource): Promise<{ probabilities: Float32Array; input: Float32Array; layers: LayerActivations[] }> {
    const b = this.#need();
    const plan = b.inspectPlan;
    const pixels = await this.#pixels(image);
    if (pixels.length !== plan.input.size) throw new RangeError(`the image has ${pixels.length} pixels, the network's input takes ${plan.input.size}`);
    const input = Float32Array.from(pixels, (p) => (p / 255 - MNIST_MEAN) / MNIST_STD);
    this.#gpu.write(plan.input.buffer, input);
    this.#gpu.run([...plan.forwardParts(), plan.loss!], 'inspect');
    const probabilities = await this.#gpu.readF32(plan.probs!.buffer, plan.probs!.size);
    const layers: LayerActivations[] = [];
    for (const layer of b.spec.layers) {
      const t = plan.outputs.get(layer.id);
      if (!t) continue;
      layers.push({ layerId: layer.id, shape: [...t.shape.slice(1)], data: await this.#gpu.readF32(t.buffer, t.size) });
    }
    return { probabilities, input, layers };
  }

  async weights(layerId: string): Promise<{ shape: number[]; data: Float32Array; bias?: Float32Array }> {
    const b = this.#need();
    const slots = b.network.slotsOf(layerId);
    const w = slots.find((s) => s.role === 'weight');
    if (!w) throw new Error(`layer ${layerId} has no weights`);
    const bias = slots.find((s) => s.role === 'bias');
    return { shape: w.shape, data: await b.network.store.read(w), ...(bias && { bias: await b.network.store.read(bias) }) };
  }

  #disposeBuilt(): void {
    if (!this.#built) return;
    this.#built.trainer.dispose();
    this.#built.inspectPlan.dispose();
    this.#built.network.dispose();
    this.#built = undefined;
    this.#gpu.pool.trim();
  }

  dispose(): void {
    this.#disposeBuilt();
    for (const r of this.#resident.values()) {
      releaseSplit(this.#gpu, r.train);
      releaseSplit(this.#gpu, r.test);
    }
    this.#resident.clear();
  }
}
