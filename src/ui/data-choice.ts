// Why: which data the design trains on ties the page's parts together: a new or deleted user dataset,
// a dataset picked in the training settings or a preset loaded must fit the design to the data's shape
// and classes (one undoable step), reload the pictures and forget what belonged to the old data. The
// page (cp-app) only routes the builder's events here; this is the one place that knows the order.
import { html } from 'lit';
import { BUILTIN_DATASETS, dataMismatch, fitSpecToData, type ConvplayDocument, type DatasetDescriptor, type TrainConfig } from '../model';
import type { DatasetController } from './controllers/dataset-controller';
import { datasetFor } from './controllers/design-store';
import type { DesignController } from './controllers/design-controller';
import type { EngineController } from './controllers/engine-controller';
import type { LookInside } from './controllers/look-inside';
import type { MisclassifiedController } from './controllers/misclassified-controller';
import type { TrainingController } from './controllers/training-controller';
import type { DatasetEvent } from './dataset-events';

export interface DataChoiceHost {
  readonly design: DesignController;
  readonly training: TrainingController;
  readonly engine: EngineController;
  readonly lookInside: LookInside;
  readonly misclassified: MisclassifiedController;
  readonly userData: DatasetController;
  announce(message: string): void;
  requestUpdate(): void;
}

export class DataChoice {
  readonly #host: DataChoiceHost;

  constructor(host: DataChoiceHost) {
    this.#host = host;
  }

  /** The user's dataset is known, or was just built or deleted: readiness, the design and the pictures follow. */
  ownChanged(d: DatasetDescriptor | null, replaced: boolean): void {
    const h = this.#host;
    const store = h.design.store;
    store.ownData = d;
    if (replaced) {
      h.training.dataReplaced('own');
      h.lookInside.testSet.forget('own');
      h.misclassified.clear();
      if (d) this.#use(d);
      else if (store.train.dataset === 'own') this.#use(BUILTIN_DATASETS.mnist);
    } else if (d && store.train.dataset === 'own') void h.engine.loadSamples('own');
    h.requestUpdate();
  }

  /** A preset keeps the dataset in use (its input and output fitted to it). */
  readonly adaptPreset = (doc: ConvplayDocument): ConvplayDocument => {
    const store = this.#host.design.store;
    const current = store.train.dataset;
    const d = datasetFor(current, store.ownData);
    if (!d || current === 'mnist') return doc;
    return { spec: fitSpecToData(doc.spec, d), train: { ...doc.train, dataset: current } };
  };

  /** New training settings; another dataset fits the design to its shape and classes when they differ. */
  setTrain(train: TrainConfig, key?: string): void {
    const store = this.#host.design.store;
    const d = key === 'dataset' ? datasetFor(train.dataset, store.ownData) : undefined;
    if (d && dataMismatch(store.spec, d)) this.#use(d);
    else store.setTrain(train, key);
  }

  /** The dataset builder panel with its events routed. */
  builder() {
    const h = this.#host;
    const d = h.userData;
    return html`<cp-dataset-builder .descriptor=${d.descriptor} .options=${d.options} .progress=${d.progress} .skipped=${d.skipped}
      .storage=${d.storage} .preview=${d.preview} busy=${d.busy} error=${d.error} done=${d.done} ?inUse=${h.design.store.train.dataset === 'own'}
      .drawingCounts=${d.drawingCounts} @cp-dataset-drawing=${(e: DatasetEvent<'cp-dataset-drawing'>) => d.addDrawing(e.detail.className, e.detail.pixels)}
      @cp-dataset-files=${(e: DatasetEvent<'cp-dataset-files'>) => void d.importFiles(e.detail.files)}
      @cp-dataset-option=${(e: DatasetEvent<'cp-dataset-option'>) => d.setOptions(e.detail.patch)}
      @cp-dataset-action=${this.#onAction}></cp-dataset-builder>`;
  }

  readonly #onAction = (e: DatasetEvent<'cp-dataset-action'>) => {
    const d = this.#host.userData;
    switch (e.detail.action) {
      case 'cancel':
        return d.cancel();
      case 'export':
        return void d.exportZip();
      case 'delete':
        return void d.remove();
      case 'use':
        if (d.descriptor) this.#use(d.descriptor);
        return;
      case 'build-drawings':
        return void d.buildFromDrawings();
      case 'clear-drawings':
        return d.clearDrawings();
      default:
        return e.detail.action satisfies never;
    }
  };

  /** Trains on `d` from now on, the design fitted to it (one undoable step). */
  #use(d: DatasetDescriptor): void {
    const h = this.#host;
    h.design.store.useDataset(d, (spec) => fitSpecToData(spec, d));
    void h.engine.loadSamples(d.id, true);
    h.announce(`Training on ${d.name}: the design now takes ${d.input.C}×${d.input.H}×${d.input.W} and ends in ${d.classNames.length} class scores`);
  }
}
