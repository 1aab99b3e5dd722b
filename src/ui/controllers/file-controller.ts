// Why: the page's files, apart from its layout: save the weights, export model.py and the test-set
// predictions, load a checkpoint (picked or dropped anywhere on the page), restore the weights kept in
// memory after a crash. It says what it is doing (busy), how it went (done / error) and why an action
// is off (blocked); <cp-app> renders that in <cp-file-panel>.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { ExportError, fromSafetensors, ownDatasetFiles, predictionsToSafetensors, pytorchReadme, toOnnx, toPyTorch, toTrainScript, zip, normText, type ExportData, type ZipEntry } from '../../export';
import { fmt, type ConvplayDocument } from '../../model';
import type { FileActionState } from '../components/cp-file-panel';
import { bytesLabel } from '../components/cp-layer-inspector';
import { download, fileStem } from '../download';
import type { DesignEvent } from '../events';
import type { DesignController } from './design-controller';
import { datasetFor } from './design-store';
import type { EngineController } from './engine-controller';
import type { InspectController } from './inspect-controller';
import type { TrainingController } from './training-controller';

/** What the file actions need from the page. */
export interface FileHost extends ReactiveControllerHost {
  readonly design: DesignController;
  readonly training: TrainingController;
  readonly inspect: InspectController;
  readonly engine: EngineController;
  /** A checkpoint replaced the design and weights: say so, forget what belonged to the old ones. */
  loaded(step: number): void;
}

export class FileController implements ReactiveController {
  /** The user's dataset's normalisation and class names for the exports (built-ins: MNIST's, as before). */
  #data(doc: ConvplayDocument): { data?: ExportData } {
    if (doc.train.dataset !== 'own') return {};
    const d = datasetFor('own', this.#host.design.store.ownData);
    return d ? { data: { mean: d.mean, std: d.std, classNames: d.classNames } } : {};
  }

  /** The predictions file's normalisation note, following the dataset trained on. */
  #normalisation(): string | undefined {
    const d = this.#data(this.#host.design.doc).data;
    return d && `(x/255 - ${normText(d.mean, 0)})/${normText(d.std, 1)}`;
  }

  includeOptimizer = true;
  busy = '';
  error = '';
  done = '';
  /** A file is dragged over the page. */
  dropping = false;
  #dragDepth = 0;
  /** Whether model.py can be written for a document (computed once per document). */
  #pytorchFor?: { doc: ConvplayDocument; why: string };
  readonly #host: FileHost;

  constructor(host: FileHost) {
    this.#host = host;
    host.addController(this);
  }

  hostConnected(): void {
    window.addEventListener('dragenter', this.#dragEnter);
    window.addEventListener('dragover', this.#dragOver);
    window.addEventListener('dragleave', this.#dragLeave);
    window.addEventListener('drop', this.#drop);
  }

  hostDisconnected(): void {
    window.removeEventListener('dragenter', this.#dragEnter);
    window.removeEventListener('dragover', this.#dragOver);
    window.removeEventListener('dragleave', this.#dragLeave);
    window.removeEventListener('drop', this.#drop);
  }

  #designName(): string {
    return fileStem(this.#host.design.presetId || 'convplay-network');
  }

  blocked(): FileActionState {
    const t = this.#host.training;
    const gpu = this.#host.engine.gpu;
    const noGpu = gpu.kind === 'ready' ? '' : gpu.kind === 'starting' ? 'waiting for the GPU to start.' : 'WebGPU is unavailable in this browser.';
    const notBuilt = t.built ? '' : 'no network is built yet (press Train or Step first).';
    const running = t.active ? 'wait for training to pause.' : '';
    const doc = this.#host.design.doc;
    if (this.#pytorchFor?.doc !== doc) {
      let why = '';
      try {
        toPyTorch(doc);
      } catch (e) {
        why = `the design does not fit (${(e instanceof Error ? e.message : String(e)).replace(/^spec: /, '')}).`;
      }
      this.#pytorchFor = { doc, why };
    }
    const pytorch = this.#pytorchFor.why;
    return {
      save: noGpu || notBuilt,
      load: noGpu || (t.phase === 'building' ? 'wait for the network to be built.' : ''),
      pytorch,
      onnx: noGpu || notBuilt || (t.needsBuild(doc) ? 'the design changed since the network was built (Train, then export).' : ''),
      predictions: noGpu || notBuilt || running,
    };
  }

  #fileStart(what: string): void {
    this.busy = what;
    this.error = '';
    this.done = '';
    this.#host.requestUpdate();
  }

  #fileFail(e: unknown): void {
    this.error = e instanceof Error ? e.message : String(e);
  }

  #finish(): void {
    this.busy = '';
    this.#host.requestUpdate();
  }

  readonly onOption = (e: DesignEvent<'cp-file-option'>) => {
    this.includeOptimizer = e.detail.includeOptimizer;
    this.#host.requestUpdate();
  };

  readonly onAction = async (e: DesignEvent<'cp-file-action'>) => {
    if (this.busy) return;
    switch (e.detail.action) {
      case 'save':
        return this.#saveWeights();
      case 'export-pytorch':
        return this.#exportPyTorch();
      case 'export-onnx':
        return this.#exportOnnx();
      case 'export-predictions':
        return this.#exportPredictions();
      default:
        return e.detail.action satisfies never;
    }
  };

  async #saveWeights(): Promise<void> {
    this.#fileStart('Saving the weights…');
    try {
      const k = await this.#host.training.exportCheckpoint(this.includeOptimizer);
      const name = `${this.#designName()}.safetensors`;
      download(k.bytes, name);
      this.done = `Saved ${name} (step ${fmt(k.step)}, ${bytesLabel(k.bytes.length)}${this.includeOptimizer ? ', with optimizer state' : ''}).`;
    } catch (err) {
      this.#fileFail(err);
    } finally {
      this.#finish();
    }
  }

  async #exportPyTorch(): Promise<void> {
    this.#fileStart('Writing model.py and train.py…');
    const stem = this.#designName();
    const weightsFile = `${stem}.safetensors`;
    const zipName = `${stem}-pytorch.zip`;
    try {
      const doc = this.#host.design.doc;
      const files: ZipEntry[] = [
        { name: 'model.py', data: toPyTorch(doc, { weightsFile, source: `convplay (${window.location.origin}${window.location.pathname})`, ...this.#data(doc) }) },
        { name: 'train.py', data: toTrainScript(doc, { weightsFile, classNames: this.#data(doc).data?.classNames }) },
      ];
      const own = doc.train.dataset === 'own' ? await this.#ownSplits() : undefined;
      if (own) files.push(...ownDatasetFiles(own.train, own.test, own.classNames));
      const t = this.#host.training;
      const trained = t.built && !t.needsBuild(doc) ? await t.exportCheckpoint(false) : undefined;
      if (trained) files.push({ name: weightsFile, data: trained.bytes });
      files.push({ name: 'README.md', data: pytorchReadme(doc, { ...(trained && { weights: weightsFile }), ...(own && { own: { classNames: own.classNames, train: own.train.count, test: own.test.count, channels: own.train.channels } }) }) });
      download(zip(files), zipName, 'application/zip');
      if (trained) {
        this.done = `Downloaded ${zipName}: model.py, train.py, README.md and ${weightsFile} (weights at step ${fmt(trained.step)}). python train.py trains it further; torchrun --nproc_per_node=N train.py on N GPUs.`;
      } else {
        this.done = t.built
          ? `Downloaded ${zipName} (model.py, train.py, README.md). The design changed since the network was built, so its weights are not included (Train, then export again).`
          : `Downloaded ${zipName} (model.py, train.py, README.md; untrained: train.py starts from the weights convplay would start from).`;
      }
      if (own) this.done += ` Your dataset is in it too (data/own: ${fmt(own.train.count)} training and ${fmt(own.test.count)} test images as IDX files), so train.py needs no download.`;
    } catch (err) {
      this.#fileFail(err instanceof ExportError ? new Error(`Export PyTorch: ${err.message}`) : err);
    } finally {
      this.#finish();
    }
  }

  /** Both splits of the user's dataset as the worker holds them (the exact split the app trains on). */
  async #ownSplits() {
    const client = this.#host.engine.client;
    const d = this.#data(this.#host.design.doc).data;
    const own = this.#host.design.store.ownData;
    if (!client || !d || !own) throw new Error('Export PyTorch: your dataset is not loaded yet; import it (Data) and export again.');
    const get = async (split: 'train' | 'test', count: number) => {
      const s = await client.request({ type: 'get-samples', dataset: 'own', split, start: 0, count });
      return { count: s.labels.length, channels: s.channels, rows: s.rows, cols: s.cols, images: s.images, labels: s.labels };
    };
    return { train: await get('train', own.trainCount), test: await get('test', own.testCount), classNames: d.classNames };
  }

  async #exportOnnx(): Promise<void> {
    this.#fileStart('Writing the ONNX model…');
    try {
      const k = await this.#host.training.exportCheckpoint(false);
      const ckpt = fromSafetensors(k.bytes);
      const name = `${this.#designName()}.onnx`;
      download(toOnnx(ckpt.doc, ckpt.tensors, { source: `convplay (${window.location.origin}${window.location.pathname})`, ...this.#data(ckpt.doc) }), name);
      this.done = `Downloaded ${name} (ONNX opset 13, weights at step ${fmt(k.step)}): input "input" [N, ${ckpt.doc.spec.input.C}, ${ckpt.doc.spec.input.H}, ${ckpt.doc.spec.input.W}] normalised as in training, outputs "logits" and "probabilities".`;
    } catch (err) {
      this.#fileFail(err instanceof ExportError ? new Error(`Export ONNX: ${err.message}`) : err);
    } finally {
      this.#finish();
    }
  }

  async #exportPredictions(): Promise<void> {
    this.#fileStart('Predicting the 10,000 test images…');
    try {
      const r = await this.#host.training.predictTestSet();
      const bytes = predictionsToSafetensors({ probabilities: r.probabilities, count: r.count, classes: r.classes, dataset: r.dataset, split: 'test', step: r.step }, this.#normalisation());
      download(bytes, 'predictions.safetensors');
      this.done = `Downloaded predictions.safetensors (${fmt(r.count)} test images, step ${fmt(r.step)}). Compare with PyTorch: python3 tools/check-pytorch-export.py --model model.py --weights ${this.#designName()}.safetensors --predictions predictions.safetensors`;
    } catch (err) {
      this.#fileFail(err);
    } finally {
      this.#finish();
    }
  }

  readonly onLoad = (e: DesignEvent<'cp-file-load'>) => void this.#loadFile(e.detail.file);

  async #loadFile(file: File): Promise<void> {
    if (this.busy) return;
    if (!/\.safetensors$/i.test(file.name)) {
      this.error = `cannot load ${file.name}: convplay loads .safetensors checkpoints (saved with Save weights).`;
      this.done = '';
      this.#host.requestUpdate();
      return;
    }
    this.#fileStart(`Loading ${file.name}…`);
    try {
      const bytes = new Uint8Array(await file.arrayBuffer());
      const step = await this.#importCheckpoint(bytes);
      this.done = `Loaded ${file.name}: the network, its training settings and its weights at step ${fmt(step)}. Train continues from there (Undo brings the previous design back).`;
    } catch (err) {
      this.#fileFail(err);
    } finally {
      this.#finish();
    }
  }

  /** Loads checkpoint bytes into the worker and puts their design in the store (undoably). */
  async #importCheckpoint(bytes: Uint8Array): Promise<number> {
    const h = this.#host;
    const r = await h.training.importCheckpoint(bytes);
    if (JSON.stringify(r.doc) !== JSON.stringify(h.design.doc)) h.design.store.load(r.doc);
    void h.engine.loadSamples(r.doc.train.dataset);
    await h.inspect.refresh();
    h.loaded(r.step);
    return r.step;
  }

  /** Loads the checkpoint kept in memory (after a worker crash). */
  async restoreKept(): Promise<void> {
    const kept = this.#host.training.kept;
    if (!kept || this.busy) return;
    this.#fileStart(`Restoring the weights from step ${kept.step}…`);
    try {
      const step = await this.#importCheckpoint(kept.bytes);
      this.#host.engine.crash = undefined;
      this.done = `Restored the weights kept at step ${fmt(step)}. Press Train to continue.`;
    } catch (err) {
      this.#fileFail(err);
    } finally {
      this.#finish();
    }
  }

  #isFileDrag(e: DragEvent): boolean {
    return !!e.dataTransfer && [...e.dataTransfer.types].includes('Files');
  }

  #setDropping(on: boolean): void {
    if (this.dropping === on) return;
    this.dropping = on;
    this.#host.requestUpdate();
  }

  readonly #dragEnter = (e: DragEvent) => {
    if (!this.#isFileDrag(e)) return;
    e.preventDefault();
    this.#dragDepth++;
    this.#setDropping(true);
  };

  readonly #dragOver = (e: DragEvent) => {
    if (!this.#isFileDrag(e)) return;
    e.preventDefault();
    e.dataTransfer!.dropEffect = 'copy';
    this.#setDropping(true);
  };

  readonly #dragLeave = (e: DragEvent) => {
    if (!this.#isFileDrag(e)) return;
    this.#dragDepth = Math.max(0, this.#dragDepth - 1);
    if (this.#dragDepth === 0) this.#setDropping(false);
  };

  readonly #drop = (e: DragEvent) => {
    if (!this.#isFileDrag(e)) return;
    e.preventDefault();
    this.#dragDepth = 0;
    this.#setDropping(false);
    const file = e.dataTransfer?.files[0];
    if (file) void this.#loadFile(file);
  };
}
