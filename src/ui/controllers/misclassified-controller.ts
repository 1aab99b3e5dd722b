// Why: a click on a confusion-matrix cell shows the test images of that true class the network put in
// that predicted class. The search runs over the predictions the last evaluation sent.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { MisclassifiedImages } from '../components/cp-confusion-matrix';
import type { EngineController } from './engine-controller';
import type { TrainingController } from './training-controller';

export class MisclassifiedController implements ReactiveController {
  selected?: MisclassifiedImages;
  readonly #host: ReactiveControllerHost;
  readonly #engine: EngineController;
  readonly #training: TrainingController;

  constructor(host: ReactiveControllerHost, engine: EngineController, training: TrainingController) {
    this.#host = host;
    this.#engine = engine;
    this.#training = training;
    host.addController(this);
  }

  hostConnected(): void {}

  clear(): void {
    this.selected = undefined;
    this.#host.requestUpdate();
  }

  async pick(actual: number, predicted: number): Promise<void> {
    const ev = this.#training.evaluation;
    if (!ev) return;
    const selected: MisclassifiedImages = { actual, predicted, indices: [], rows: 28, cols: 28 };
    this.selected = selected;
    this.#host.requestUpdate();
    const preds = ev.predictions;
    const dataset = this.#training.builtDataset ?? 'mnist';
    if (!preds) return;
    const all = await this.#engine.testImages(dataset, preds.length);
    if (!all) return;
    const labels = all.labels;
    const indices: number[] = [];
    for (let i = 0; i < preds.length; i++) if (labels[i] === actual && preds[i] === predicted) indices.push(i);
    const channels = all.channels ?? 1;
    const px = channels * all.rows * all.cols;
    const shown = indices.slice(0, 60);
    const images = new Uint8Array(shown.length * px);
    shown.forEach((idx, k) => images.set(all.images.subarray(idx * px, (idx + 1) * px), k * px));
    if (this.selected === selected) this.selected = { ...selected, indices, rows: all.rows, cols: all.cols, channels, images };
    this.#host.requestUpdate();
  }
}
