// Why: the end-of-epoch evaluation is a job of its own: the whole test set through an evaluation-mode
// plan in the largest batches (≤ 250) that divide it, the loss, the accuracy and the confusion matrix
// summed on the GPU, every image's probabilities kept, and progress reported on the way (a CPU adapter
// takes a minute over 10,000 images).
import type { BoundKernel, Gpu } from '../gpu';
import type { GpuSplit } from '../data/gpu-dataset';
import type { Network } from '../engine/network';
import type { Plan } from '../engine/plan';
import { confusionMatrix } from '../kernels/confusion-matrix';
import { decodeStats, STATS_SLOT_BYTES } from '../kernels/softmax-cross-entropy';
import { classesOf } from '../model';
import { largestDivisorAtMost } from '../util/divisors';

/** Batches between progress reports (each report waits for the GPU). */
const EVAL_REPORT_BATCHES = 8;

export interface EvalResult {
  loss: number;
  accuracy: number;
  count: number;
  /** Row = true class, column = predicted, classes × classes. */
  confusion: Uint32Array;
  /** Softmax output for every test image, in order ([count, classes]). */
  probabilities: Float32Array;
  /** The predicted class of every test image (argmax, ties → lowest class). */
  predictions: Uint8Array;
  ms: number;
}

/** Test images done of total, and the time since the evaluation began. */
export type EvalProgress = (done: number, total: number, elapsedMs: number) => void;

export class TestEvaluator {
  readonly #gpu: Gpu;
  readonly #test: GpuSplit;
  readonly #plan: Plan;
  readonly #order: GPUBuffer;
  readonly #confusion: GPUBuffer;
  readonly #confusionKernel: BoundKernel;
  /** [test count, classes] probabilities, filled batch by batch. */
  readonly #probs: GPUBuffer;

  private constructor(gpu: Gpu, test: GpuSplit, plan: Plan, order: GPUBuffer, confusion: GPUBuffer, confusionKernel: BoundKernel, probs: GPUBuffer) {
    this.#gpu = gpu;
    this.#test = test;
    this.#plan = plan;
    this.#order = order;
    this.#confusion = confusion;
    this.#confusionKernel = confusionKernel;
    this.#probs = probs;
  }

  static async create(gpu: Gpu, network: Network, test: GpuSplit): Promise<TestEvaluator> {
    const order = gpu.upload(Uint32Array.from({ length: test.count }, (_, i) => i), 'test-order');
    const N = largestDivisorAtMost(test.count, 250);
    const plan = await network.plan({ N, train: false, probs: true, input: { kind: 'gather', images: test.images, labels: test.labels, indices: order, imageBytes: test.imageBytes, mean: test.mean, std: test.std } });
    const classes = classesOf(network.spec);
    const confusion = gpu.storage(classes * classes * 4, 'confusion');
    const confusionKernel = await confusionMatrix(gpu, { logits: plan.logits.buffer, labels: plan.labels, matrix: confusion, N, classes });
    const probs = gpu.storage(test.count * classes * 4, 'test-probabilities');
    return new TestEvaluator(gpu, test, plan, order, confusion, confusionKernel, probs);
  }

  /** Loss, accuracy and confusion matrix over the whole test set, on the GPU, in evaluation mode. */
  async evaluate(progress?: EvalProgress): Promise<EvalResult> {
    const t0 = performance.now();
    const gpu = this.#gpu;
    const plan = this.#plan;
    const batches = this.#test.count / plan.N;
    gpu.clear(plan.stats, STATS_SLOT_BYTES);
    gpu.clear(this.#confusion);
    const parts = [...plan.forwardParts(), plan.loss!, this.#confusionKernel];
    const classes = plan.classes;
    const rowBytes = classes * 4;
    for (let b = 0; b < batches; b++) {
      plan.prepareStep(0, b * plan.N, 0, this.#test.imageBytes, true);
      gpu.run(parts, 'evaluate');
      gpu.submit((enc) => enc.copyBufferToBuffer(plan.probs!.buffer, 0, this.#probs, b * plan.N * rowBytes, plan.N * rowBytes), 'keep-probabilities');
      if (progress && (b + 1) % EVAL_REPORT_BATCHES === 0 && b + 1 < batches) {
        await gpu.done();
        progress((b + 1) * plan.N, this.#test.count, performance.now() - t0);
      }
    }
    const [stats] = decodeStats(await gpu.read(plan.stats, 0, STATS_SLOT_BYTES), 1);
    const confusion = await gpu.readU32(this.#confusion, classes * classes);
    const probabilities = await gpu.readF32(this.#probs, this.#test.count * classes);
    return { loss: stats!.lossSum / stats!.rows, accuracy: stats!.correct / stats!.rows, count: stats!.rows, confusion, probabilities, predictions: argmaxRows(probabilities, classes), ms: performance.now() - t0 };
  }

  dispose(): void {
    this.#plan.dispose();
    this.#confusionKernel.dispose();
    for (const b of [this.#order, this.#confusion, this.#probs]) this.#gpu.release(b);
  }
}

/** Index of each row's largest value (ties → the lowest index, as the GPU's accuracy count does). */
function argmaxRows(values: Float32Array, width: number): Uint8Array {
  const out = new Uint8Array(values.length / width);
  for (let r = 0; r < out.length; r++) {
    let best = 0;
    for (let k = 1; k < width; k++) if (values[r * width + k]! > values[r * width + best]!) best = k;
    out[r] = best;
  }
  return out;
}
