// Why: a click on a confusion-matrix cell shows the test images of that true class the network put in
// that predicted class. The worker searches the test set with the predictions the last evaluation sent.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { MisclassifiedImages } from '../components/cp-confusion-matrix';
import type { EngineController } from './engine-controller';
import type { TrainingController } from './training-controller';

/** Images shown for one cell (the count says how many there are in all). */
const SHOWN = 60;

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
    const found = await this.#engine.findMisclassified(dataset, preds, actual, predicted, SHOWN);
    if (!found) return;
    if (this.selected === selected) this.selected = { ...selected, indices: found.indices, rows: found.rows, cols: found.cols, channels: found.channels, images: found.images };
    this.#host.requestUpdate();
  }
}
