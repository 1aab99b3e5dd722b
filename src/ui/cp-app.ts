// Why: the mediator of the page. It owns the engine client and the design (through DesignController:
// the NetworkSpec, the TrainConfig, undo/redo, the URL hash and the autosave); the children get
// properties and send events up, and never talk to the engine or change the design themselves.
import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { ExportError, predictionsToSafetensors, toPyTorch } from '../export';
import { fmt, listPresets, type ConvplayDocument, type Dataset } from '../model';
import { EngineClient } from '../worker/engine-client';
import type { AdapterReport } from '../worker/protocol';
import './components/cp-digit-grid';
import './components/cp-train-controls';
import './components/cp-loss-chart';
import './components/cp-activation-view';
import './components/cp-filter-view';
import './components/cp-draw-pad';
import './components/cp-probabilities';
import './components/cp-confusion-matrix';
import './components/cp-cell-explainer';
import './components/cp-test-browser';
import './components/cp-gradient-view';
import { GradientController } from './controllers/gradient-controller';
import { TestSetController } from './controllers/test-set-controller';
import type { ExplainEvent } from './explain/explain-events';
import { ExplainController, imageOf } from './controllers/explain-controller';
import type { MisclassifiedImages } from './components/cp-confusion-matrix';
import type { ButtonState } from './components/cp-train-controls';
import { bytesLabel } from './components/cp-layer-inspector';
import './components/cp-gpu-unavailable';
import './components/cp-design-toolbar';
import './components/cp-layer-palette';
import './components/cp-network-editor';
import './components/cp-layer-inspector';
import './components/cp-summary-table';
import './components/cp-file-panel';
import type { FileActionState } from './components/cp-file-panel';
import { download, fileStem } from './download';
import type { DigitSamples } from './components/cp-digit-grid';
import type { PresetChoice } from './components/cp-design-toolbar';
import { DesignController } from './controllers/design-controller';
import { InspectController } from './controllers/inspect-controller';
import { TrainingController, type TrainPhase } from './controllers/training-controller';
import type { DesignEvent } from './events';

/** Test hooks, installed on `window.__convplayDebug` only when the page URL has `?debug=1`. */
export interface ConvplayDebug {
  /** Destroys the worker's GPUDevice (as a driver reset would); the worker recovers. */
  loseDevice(): Promise<void>;
  /** Makes the worker throw an uncaught error (it dies; the page restarts it). */
  crashWorker(): Promise<void>;
}

type GpuState = { kind: 'starting' } | { kind: 'ready'; adapter: AdapterReport } | { kind: 'unavailable'; message: string; help: string };

const PRESETS: readonly PresetChoice[] = listPresets().map(({ id, title, description }) => ({ id, title, description }));

@customElement('cp-app')
export class CpApp extends LitElement {
  static override styles = css`
    :host {
      --cp-accent: #3b5bdb;
      --cp-border: #e3e5ea;
      --cp-muted: #5c6270;
      --cp-error: #c92a2a;
      display: block; font: 15px/1.5 var(--cp-font, system-ui, sans-serif); color: var(--cp-text, #1b1b1f);
      max-width: 1400px; margin: 0 auto; padding: 16px;
    }
    header { display: flex; align-items: baseline; gap: 16px; flex-wrap: wrap; margin-bottom: 12px; }
    h1 { margin: 0; font-size: 1.5rem; }
    h2 { font-size: 1.1rem; margin: 0 0 8px; }
    .adapter { color: var(--cp-muted, #555); font-size: 0.9rem; }
    .error { color: #b00020; }
    .notice {
      display: flex; gap: 12px; align-items: center; justify-content: space-between; margin: 0 0 12px;
      border: 1px solid #e0b000; background: #fff8e0; border-radius: 8px; padding: 8px 12px; font-size: 0.9rem;
    }
    .notice.bad { border-color: #f0a0a0; background: #fff5f5; }
    .notice .actions { display: flex; gap: 8px; flex-shrink: 0; }
    .notice button { font: inherit; font-size: 0.85rem; border: 1px solid #d0b060; background: #fff; border-radius: 6px; padding: 2px 10px; cursor: pointer; }
    .designer {
      display: grid; gap: 12px; align-items: start;
      grid-template-columns: minmax(170px, 210px) minmax(0, 1fr) minmax(260px, 340px);
      grid-template-areas: 'toolbar toolbar toolbar' 'palette network inspector' 'summary summary summary';
    }
    cp-design-toolbar { grid-area: toolbar; }
    cp-layer-palette { grid-area: palette; }
    cp-network-editor { grid-area: network; }
    cp-layer-inspector { grid-area: inspector; position: sticky; top: 8px; }
    cp-summary-table { grid-area: summary; }
    .training { display: grid; gap: 12px; margin-top: 16px; grid-template-columns: minmax(300px, 420px) minmax(0, 1fr); align-items: start; }
    .training > h2, .inside > h2 { grid-column: 1 / -1; font-size: 1.2rem; margin: 8px 0 0; }
    .status {
      grid-column: 1 / -1; display: flex; flex-wrap: wrap; gap: 6px 18px; font-size: 0.85rem; color: var(--cp-muted, #5c6270);
      border: 1px solid var(--cp-border, #e3e5ea); border-radius: 10px; padding: 6px 12px; background: #fafbfc; font-variant-numeric: tabular-nums;
    }
    .status b { color: var(--cp-text, #1b1b1f); font-weight: 600; }
    .progress { flex-basis: 100%; height: 4px; border-radius: 2px; background: #e9ecef; overflow: hidden; }
    .progress span { display: block; height: 100%; background: var(--cp-accent, #3b5bdb); transition: width 0.3s; }
    .inside { display: grid; gap: 12px; margin-top: 16px; grid-template-columns: minmax(280px, 360px) minmax(0, 1fr); align-items: start; }
    .inside .left { display: grid; gap: 12px; grid-template-columns: minmax(0, 1fr); }
    .inside .right { display: grid; gap: 12px; min-width: 0; }
    .card { background: var(--cp-surface, #fff); border: 1px solid var(--cp-border, #e3e5ea); border-radius: 12px; padding: 12px 14px; box-shadow: 0 1px 2px rgb(16 24 40 / 0.06); }
    .card h3 { font-size: 0.95rem; margin: 0 0 8px; }
    .pad { display: flex; gap: 12px; flex-wrap: wrap; align-items: flex-start; }
    .pad cp-probabilities { flex: 1; min-width: 150px; }
    .source { font-size: 0.8rem; color: var(--cp-muted, #5c6270); margin: 0 0 6px; }
    cp-file-panel { grid-column: 1 / -1; }
    .drop {
      position: fixed; inset: 0; z-index: 10; display: flex; align-items: center; justify-content: center; pointer-events: none;
      background: rgb(59 91 219 / 0.12); border: 3px dashed var(--cp-accent, #3b5bdb); font-size: 1.3rem; font-weight: 600; color: #243b80;
    }
    .drop span { background: #fff; padding: 16px 24px; border-radius: 12px; box-shadow: 0 4px 16px rgb(16 24 40 / 0.15); }
    .sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
    @media (max-width: 1000px) {
      .training, .inside { grid-template-columns: minmax(0, 1fr); }
      .designer {
        grid-template-columns: minmax(160px, 200px) minmax(0, 1fr);
        grid-template-areas: 'toolbar toolbar' 'palette network' 'inspector inspector' 'summary summary';
      }
      cp-layer-inspector { position: static; }
    }
    @media (max-width: 640px) {
      :host { padding: 10px; }
      .designer { grid-template-columns: minmax(0, 1fr); grid-template-areas: 'toolbar' 'palette' 'network' 'inspector' 'summary'; }
    }
  `;

  @state() private gpu: GpuState = { kind: 'starting' };
  @state() private samples?: DigitSamples;
  @state() private dataError?: string;
  @state() private announcement = '';
  @state() private datasets: Partial<Record<Dataset, boolean>> = { mnist: true };
  @state() private misclassified?: MisclassifiedImages;
  @state() private includeOptimizer = true;
  @state() private fileBusy = '';
  @state() private fileError = '';
  @state() private fileDone = '';
  @state() private dropping = false;
  /** The worker crashed and was restarted: why, and whether the restart is done. */
  @state() private crash?: { message: string; restarted: boolean };
  #dragDepth = 0;
  /** Whether model.py can be written for a document (computed once per document). */
  #pytorchFor?: { doc: ConvplayDocument; why: string };
  readonly design = new DesignController(this);
  readonly training = new TrainingController(this, () => this.#runLabel());
  readonly inspect = new InspectController(this, () =>
    this.training.builtSpec && this.training.builtDataset ? { spec: this.training.builtSpec, dataset: this.training.builtDataset } : undefined,
  );
  readonly explain = new ExplainController(this, () => {
    const dataset = this.training.builtSpec ? this.training.builtDataset : undefined;
    return dataset && imageOf(this.inspect.source, dataset);
  });
  readonly gradients = new GradientController(this, () => {
    const dataset = this.training.builtSpec ? this.training.builtDataset : undefined;
    return dataset && imageOf(this.inspect.source, dataset);
  });
  readonly testSet = new TestSetController(this, () => this.training.builtDataset);
  #client?: EngineClient;
  #samplesDataset: Dataset = 'mnist';
  #testImages?: Promise<{ rows: number; cols: number; images: Uint8Array }>;
  #lastPhase: TrainPhase = 'idle';

  /** True when the design can be trained: it fits, takes 1×28×28, and the training settings are valid. */
  get designValid(): boolean {
    return this.design.store.designValid;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('keydown', this.#keydown);
    window.addEventListener('dragenter', this.#dragEnter);
    window.addEventListener('dragover', this.#dragOver);
    window.addEventListener('dragleave', this.#dragLeave);
    window.addEventListener('drop', this.#drop);
    const client = new EngineClient();
    this.#client = client;
    this.training.attach(client);
    this.inspect.attach(client);
    this.explain.attach(client);
    this.testSet.attach(client);
    this.gradients.attach(client);
    client.listen((e) => {
      if (e.type === 'worker-crashed') void this.#restartWorker(client, e.message);
    });
    if (new URLSearchParams(window.location.search).get('debug') === '1') {
      const hooks: ConvplayDebug = {
        loseDevice: async () => void (await client.request({ type: 'debug', action: 'lose-device' })),
        crashWorker: async () => void (await client.request({ type: 'debug', action: 'crash' })),
      };
      window.__convplayDebug = hooks;
    }
    void this.#start(client);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('keydown', this.#keydown);
    window.removeEventListener('dragenter', this.#dragEnter);
    window.removeEventListener('dragover', this.#dragOver);
    window.removeEventListener('dragleave', this.#dragLeave);
    window.removeEventListener('drop', this.#drop);
    this.#client?.terminate();
    this.inspect.live(false);
  }

  protected override updated(_changed: PropertyValues<this>): void {
    const phase = this.training.phase;
    this.inspect.live(phase === 'running');
    // A run stopped (pause, step, finished, diverged): show the network as it is now.
    if (phase !== this.#lastPhase && (this.#lastPhase === 'running' || this.#lastPhase === 'stepping') && phase !== 'building') void this.inspect.refresh();
    this.#lastPhase = phase;
  }

  async #start(client: EngineClient): Promise<void> {
    const init = await client.request({ type: 'init' });
    this.gpu = init.type === 'ready' ? { kind: 'ready', adapter: init.adapter } : { kind: 'unavailable', message: init.message, help: init.help };
    try {
      const loaded = await client.request({ type: 'load-dataset', dataset: 'mnist' });
      const s = await client.request({ type: 'get-samples', dataset: 'mnist', split: 'test', start: 0, count: 16 });
      this.samples = { rows: s.rows, cols: s.cols, images: s.images, labels: s.labels, classNames: loaded.classNames };
    } catch (e) {
      this.dataError = e instanceof Error ? e.message : String(e);
    }
    // Fashion-MNIST is optional: offer it only when its files load.
    try {
      await client.request({ type: 'load-dataset', dataset: 'fashion-mnist' });
      this.datasets = { ...this.datasets, 'fashion-mnist': true };
    } catch {
      this.datasets = { ...this.datasets, 'fashion-mnist': false };
    }
  }

  /** The picker shows test images of the dataset being trained on. */
  async #loadSamples(dataset: Dataset): Promise<void> {
    const client = this.#client;
    if (!client || dataset === this.#samplesDataset) return;
    this.#samplesDataset = dataset;
    this.#testImages = undefined;
    try {
      const loaded = await client.request({ type: 'load-dataset', dataset });
      const s = await client.request({ type: 'get-samples', dataset, split: 'test', start: 0, count: 16 });
      this.samples = { rows: s.rows, cols: s.cols, images: s.images, labels: s.labels, classNames: loaded.classNames };
    } catch (e) {
      this.dataError = e instanceof Error ? e.message : String(e);
    }
  }

  /** The worker died: bring up a fresh one, init it, keep the design; the kept weights can be restored. */
  async #restartWorker(client: EngineClient, message: string): Promise<void> {
    this.crash = { message, restarted: false };
    this.inspect.live(false);
    client.restart();
    this.training.workerRestarted();
    this.inspect.clear();
    this.#samplesDataset = 'mnist';
    this.#testImages = undefined;
    this.gpu = { kind: 'starting' };
    await this.#start(client);
    if (this.crash?.message === message) this.crash = { message, restarted: true };
  }

  #designName(): string {
    return fileStem(this.design.presetId || 'convplay-network');
  }

  #fileBlocked(): FileActionState {
    const t = this.training;
    const noGpu = this.gpu.kind === 'ready' ? '' : this.gpu.kind === 'starting' ? 'waiting for the GPU to start.' : 'WebGPU is unavailable in this browser.';
    const notBuilt = t.built ? '' : 'no network is built yet (press Train or Step first).';
    const running = t.active ? 'wait for training to pause.' : '';
    const doc = this.design.doc;
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
      predictions: noGpu || notBuilt || running,
    };
  }

  #fileStart(what: string): void {
    this.fileBusy = what;
    this.fileError = '';
    this.fileDone = '';
  }

  #fileFail(e: unknown): void {
    this.fileError = e instanceof Error ? e.message : String(e);
  }

  #onFileOption = (e: DesignEvent<'cp-file-option'>) => {
    this.includeOptimizer = e.detail.includeOptimizer;
  };

  #onFileAction = async (e: DesignEvent<'cp-file-action'>) => {
    if (this.fileBusy) return;
    switch (e.detail.action) {
      case 'save':
        return this.#saveWeights();
      case 'export-pytorch':
        return this.#exportPyTorch();
      case 'export-predictions':
        return this.#exportPredictions();
      default:
        return e.detail.action satisfies never;
    }
  };

  async #saveWeights(): Promise<void> {
    this.#fileStart('Saving the weights…');
    try {
      const k = await this.training.exportCheckpoint(this.includeOptimizer);
      const name = `${this.#designName()}.safetensors`;
      download(k.bytes, name);
      this.fileDone = `Saved ${name} (step ${fmt(k.step)}, ${bytesLabel(k.bytes.length)}${this.includeOptimizer ? ', with optimizer state' : ''}).`;
    } catch (err) {
      this.#fileFail(err);
    } finally {
      this.fileBusy = '';
    }
  }

  async #exportPyTorch(): Promise<void> {
    this.#fileStart('Writing model.py…');
    const stem = this.#designName();
    const weightsFile = `${stem}.safetensors`;
    try {
      const py = toPyTorch(this.design.doc, { weightsFile, source: `convplay (${window.location.origin}${window.location.pathname})` });
      download(py, 'model.py', 'text/x-python');
      const t = this.training;
      if (t.built && !t.needsBuild(this.design.doc)) {
        const k = await t.exportCheckpoint(false);
        download(k.bytes, weightsFile);
        this.fileDone = `Downloaded model.py and ${weightsFile} (weights at step ${fmt(k.step)}): python model.py loads them.`;
      } else {
        this.fileDone = t.built
          ? 'Downloaded model.py. The design changed since the network was built, so its weights are not included (Train, then export again).'
          : 'Downloaded model.py (untrained: PyTorch initialises the weights; train here and export again to include them).';
      }
    } catch (err) {
      this.#fileFail(err instanceof ExportError ? new Error(`Export PyTorch: ${err.message}`) : err);
    } finally {
      this.fileBusy = '';
    }
  }

  async #exportPredictions(): Promise<void> {
    this.#fileStart('Predicting the 10,000 test images…');
    try {
      const r = await this.training.predictTestSet();
      const bytes = predictionsToSafetensors({ probabilities: r.probabilities, count: r.count, dataset: r.dataset, split: 'test', step: r.step });
      download(bytes, 'predictions.safetensors');
      this.fileDone = `Downloaded predictions.safetensors (${fmt(r.count)} test images, step ${fmt(r.step)}). Compare with PyTorch: python3 tools/check-pytorch-export.py --model model.py --weights ${this.#designName()}.safetensors --predictions predictions.safetensors`;
    } catch (err) {
      this.#fileFail(err);
    } finally {
      this.fileBusy = '';
    }
  }

  #onFileLoad = (e: DesignEvent<'cp-file-load'>) => void this.#loadFile(e.detail.file);

  async #loadFile(file: File): Promise<void> {
    if (this.fileBusy) return;
    if (!/\.safetensors$/i.test(file.name)) {
      this.fileError = `cannot load ${file.name}: convplay loads .safetensors checkpoints (saved with Save weights).`;
      this.fileDone = '';
      return;
    }
    this.#fileStart(`Loading ${file.name}…`);
    try {
      const bytes = new Uint8Array(await file.arrayBuffer());
      const step = await this.#importCheckpoint(bytes);
      this.fileDone = `Loaded ${file.name}: the network, its training settings and its weights at step ${fmt(step)}. Train continues from there (Undo brings the previous design back).`;
    } catch (err) {
      this.#fileFail(err);
    } finally {
      this.fileBusy = '';
    }
  }

  /** Loads checkpoint bytes into the worker and puts their design in the store (undoably). */
  async #importCheckpoint(bytes: Uint8Array): Promise<number> {
    const r = await this.training.importCheckpoint(bytes);
    if (JSON.stringify(r.doc) !== JSON.stringify(this.design.doc)) this.design.store.load(r.doc);
    this.misclassified = undefined;
    void this.#loadSamples(r.doc.train.dataset);
    await this.inspect.refresh();
    this.#announce(`Loaded weights at step ${r.step}`);
    return r.step;
  }

  /** Loads the checkpoint kept in memory (after a worker crash). */
  async #restoreKept(): Promise<void> {
    const kept = this.training.kept;
    if (!kept || this.fileBusy) return;
    this.#fileStart(`Restoring the weights from step ${kept.step}…`);
    try {
      const step = await this.#importCheckpoint(kept.bytes);
      this.crash = undefined;
      this.fileDone = `Restored the weights kept at step ${fmt(step)}. Press Train to continue.`;
    } catch (err) {
      this.#fileFail(err);
    } finally {
      this.fileBusy = '';
    }
  }

  #isFileDrag(e: DragEvent): boolean {
    return !!e.dataTransfer && [...e.dataTransfer.types].includes('Files');
  }

  readonly #dragEnter = (e: DragEvent) => {
    if (!this.#isFileDrag(e)) return;
    e.preventDefault();
    this.#dragDepth++;
    this.dropping = true;
  };

  readonly #dragOver = (e: DragEvent) => {
    if (!this.#isFileDrag(e)) return;
    e.preventDefault();
    e.dataTransfer!.dropEffect = 'copy';
    this.dropping = true;
  };

  readonly #dragLeave = (e: DragEvent) => {
    if (!this.#isFileDrag(e)) return;
    this.#dragDepth = Math.max(0, this.#dragDepth - 1);
    if (this.#dragDepth === 0) this.dropping = false;
  };

  readonly #drop = (e: DragEvent) => {
    if (!this.#isFileDrag(e)) return;
    e.preventDefault();
    this.#dragDepth = 0;
    this.dropping = false;
    const file = e.dataTransfer?.files[0];
    if (file) void this.#loadFile(file);
  };

  #notices() {
    const crash = this.crash;
    const rec = this.training.recovery;
    const kept = this.training.kept;
    return html`${crash
      ? html`<div class="notice bad" role="alert" aria-label="Engine crashed">
          <span>${crash.message}. ${crash.restarted
            ? html`A fresh engine was started; your design is kept.${kept ? ` The weights kept in memory at step ${fmt(kept.step)} can be restored.` : ' No weights were kept (none had been saved yet): press Train to start again.'}`
            : 'Restarting the engine…'}</span>
          <span class="actions">
            ${kept ? html`<button ?disabled=${!crash.restarted || !!this.fileBusy || this.gpu.kind !== 'ready'} @click=${() => void this.#restoreKept()}>Restore last saved weights</button>` : nothing}
            <button @click=${() => (this.crash = undefined)}>Dismiss</button>
          </span>
        </div>`
      : nothing}
    ${rec
      ? html`<div class="notice" role="alert" aria-label="GPU device lost">
          <span>The GPU device was lost${rec.reason ? ` (${rec.reason})` : ''}; the engine recovered at step ${fmt(rec.step)}: ${rec.message} Press Train to continue.</span>
          <button @click=${() => this.#dismissRecovery()}>Dismiss</button>
        </div>`
      : nothing}`;
  }

  #dismissRecovery() {
    this.training.recovery = undefined;
    this.requestUpdate();
  }

  #runLabel(): string {
    const t = this.design.doc.train;
    const name = this.design.presetId || 'custom network';
    return `${name}, ${t.optimizer.kind} lr ${t.optimizer.lr}, batch ${t.batch}${this.training.subset ? `, ${fmt(this.training.subset)} images` : ''}`;
  }

  readonly #keydown = (e: KeyboardEvent) => {
    if (!(e.ctrlKey || e.metaKey) || e.altKey) return;
    const key = e.key.toLowerCase();
    if (key === 'z' && !e.shiftKey) {
      e.preventDefault();
      this.#undo();
    } else if ((key === 'z' && e.shiftKey) || key === 'y') {
      e.preventDefault();
      this.#redo();
    }
  };

  #undo() {
    if (this.design.store.undo()) this.#announce('Undone');
  }

  #redo() {
    if (this.design.store.redo()) this.#announce('Redone');
  }

  #announce(message: string) {
    // A changed text is what a live region reads; repeat messages get a zero-width space.
    this.announcement = this.announcement === message ? `${message}\u200b` : message;
  }

  #adapterText(): string {
    switch (this.gpu.kind) {
      case 'starting':
        return 'Starting the GPU…';
      case 'ready': {
        const a = this.gpu.adapter;
        const name = [a.vendor, a.architecture].filter(Boolean).join(' · ') || a.description || 'unknown adapter';
        return `GPU: ${name}${a.isSoftware ? ' (software)' : ''}`;
      }
      case 'unavailable':
        return 'GPU: unavailable';
      default:
        return this.gpu satisfies never;
    }
  }

  #onAdd = (e: DesignEvent<'cp-layer-add'>) => {
    const id = this.design.store.addLayer(e.detail.kind, e.detail.index);
    const at = this.design.store.spec.layers.findIndex((l) => l.id === id);
    this.#announce(`Added ${id} at position ${at + 1} of ${this.design.store.spec.layers.length}`);
  };
  #onMove = (e: DesignEvent<'cp-layer-move'>) => void this.design.store.moveLayer(e.detail.id, e.detail.to);
  #onRemove = (e: DesignEvent<'cp-layer-remove'>) => void this.design.store.removeLayer(e.detail.id);
  #onChange = (e: DesignEvent<'cp-layer-change'>) => void this.design.store.updateLayer(e.detail.id, e.detail.patch, e.detail.field);
  #onSelect = (e: DesignEvent<'cp-layer-select'>) => this.design.store.select(e.detail.id);
  #onInput = (e: DesignEvent<'cp-input-change'>) => this.design.store.setInput(e.detail.field, e.detail.value);
  #onPreset = (e: DesignEvent<'cp-preset'>) => {
    if (this.design.store.loadPreset(e.detail.id)) this.#announce(`Loaded preset ${e.detail.id}`);
  };
  #onClear = () => {
    this.design.store.clear();
    this.#announce('Network emptied');
  };
  #onAnnounce = (e: DesignEvent<'cp-announce'>) => this.#announce(e.detail.message);

  #onTrainConfig = (e: DesignEvent<'cp-train-config'>) => {
    this.design.store.setTrain(e.detail.train, e.detail.key);
    this.training.configChanged(this.design.doc);
  };
  #onSubset = (e: DesignEvent<'cp-train-subset'>) => {
    this.training.subset = e.detail.subset;
    this.requestUpdate();
  };
  #onAction = async (e: DesignEvent<'cp-train-action'>) => {
    const doc = this.design.doc;
    const t = this.training;
    switch (e.detail.action) {
      case 'train':
        if (!this.#canTrain()) return;
        void this.#loadSamples(doc.train.dataset);
        await t.train(doc);
        this.#announce('Training');
        void this.inspect.refresh();
        return;
      case 'pause':
        await t.pause();
        this.#announce(`Paused at step ${t.status?.step ?? 0}`);
        return;
      case 'step':
        if (!this.#canTrain()) return;
        void this.#loadSamples(doc.train.dataset);
        await t.step(doc);
        void this.inspect.refresh();
        return;
      case 'reset':
        await t.reset(doc);
        this.misclassified = undefined;
        this.#announce('Reset: step 0, fresh weights');
        void this.inspect.refresh();
        return;
      default:
        return e.detail.action satisfies never;
    }
  };
  #onPick = (e: DesignEvent<'cp-inspect-pick'>) => this.inspect.setSource({ kind: 'test', index: e.detail.index });
  #onDraw = (e: DesignEvent<'cp-inspect-draw'>) => {
    const px = e.detail.pixels;
    if (px) this.inspect.setSource({ kind: 'drawn', pixels: px });
    else this.inspect.setSource({ kind: 'test', index: this.#pickedIndex() });
  };
  #onCellPick = async (e: ExplainEvent<'cp-cell-pick'>) => {
    const fromMaps = e.composedPath().some((n) => n instanceof HTMLElement && n.localName === 'cp-activation-view');
    this.explain.pick(e.detail.layerId, e.detail.at);
    if (!fromMaps) return;
    // Picked on a map: the panel takes the keyboard, so the arrow keys move the cell at once.
    await this.updateComplete;
    const panel = this.renderRoot.querySelector('cp-cell-explainer');
    await panel?.updateComplete;
    panel?.focusPanel();
    panel?.scrollIntoView({ block: 'nearest' });
  };
  #onTestImage = async (e: ExplainEvent<'cp-test-image'>) => {
    this.inspect.setSource({ kind: 'test', index: e.detail.index });
    // From the confusion matrix's list: bring the look-inside panels (and the browser) into view.
    if (!e.composedPath().some((n) => n instanceof HTMLElement && n.localName === 'cp-confusion-matrix')) return;
    await this.updateComplete;
    this.renderRoot.querySelector('cp-test-browser')?.scrollIntoView({ block: 'center' });
  };
  #pickedIndex(): number {
    return this.inspect.source.kind === 'test' ? this.inspect.source.index : 0;
  }
  #onConfusionPick = async (e: DesignEvent<'cp-confusion-pick'>) => {
    const { actual, predicted } = e.detail;
    const ev = this.training.evaluation;
    const client = this.#client;
    if (!ev || !client) return;
    const selected: MisclassifiedImages = { actual, predicted, indices: [], rows: 28, cols: 28 };
    this.misclassified = selected;
    const preds = ev.predictions;
    const dataset = this.training.builtDataset ?? 'mnist';
    if (!preds) return;
    // The labels and pixels of the whole test set are fetched once (7.8 MB) and kept.
    this.#testImages ??= client.request({ type: 'get-samples', dataset, split: 'test', start: 0, count: preds.length }).then((r) => ({ rows: r.rows, cols: r.cols, images: r.images, labels: r.labels }));
    const all = (await this.#testImages) as { rows: number; cols: number; images: Uint8Array; labels?: Uint8Array };
    const labels = all.labels!;
    const indices: number[] = [];
    for (let i = 0; i < preds.length; i++) if (labels[i] === actual && preds[i] === predicted) indices.push(i);
    const px = all.rows * all.cols;
    const shown = indices.slice(0, 60);
    const images = new Uint8Array(shown.length * px);
    shown.forEach((idx, k) => images.set(all.images.subarray(idx * px, (idx + 1) * px), k * px));
    if (this.misclassified === selected) this.misclassified = { ...selected, indices, rows: all.rows, cols: all.cols, images };
  };

  #canTrain(): boolean {
    return this.gpu.kind === 'ready' && this.design.store.readiness.ok;
  }

  #blockedReason(): string {
    const r = this.design.store.readiness;
    if (!r.ok) return r.reason;
    if (this.gpu.kind === 'starting') return 'waiting for the GPU to start.';
    if (this.gpu.kind === 'unavailable') return 'WebGPU is unavailable in this browser (see the message above).';
    return '';
  }

  #buttons(): ButtonState {
    const t = this.training;
    const can = this.#canTrain();
    return { train: can && !t.active, pause: t.phase === 'running', step: can && !t.active, reset: t.built && t.phase !== 'building' };
  }

  #hint(): string {
    const t = this.training;
    const doc = this.design.doc;
    const data = doc.train.dataset === 'mnist' ? 'MNIST' : 'Fashion-MNIST';
    switch (t.phase) {
      case 'building':
        return 'Building the network on the GPU…';
      case 'running':
        return 'Training… change the learning rate or the schedule at any time; the chart marks the change.';
      case 'stepping':
        return 'One step…';
      case 'finished':
        return `${t.message} Raise Epochs and press Train to go on, or Reset to start again.`;
      case 'idle':
      case 'paused':
      case 'diverged':
      case 'error':
        if (t.built && t.needsBuild(doc)) return 'The design (or batch size, dataset, seed, training images) changed: Train starts a new run; this one stays on the chart.';
        if (t.phase === 'paused') return `${t.message} Train resumes.`;
        return t.built ? `Ready: Train runs on ${data}.` : `The design fits: ready to train on ${data}.`;
      default:
        return t.phase satisfies never;
    }
  }

  #statusLine() {
    const t = this.training;
    const st = t.status;
    const adapter = this.gpu.kind === 'ready' ? this.#adapterText().replace(/^GPU: /, '') : this.#adapterText();
    const phaseText: Record<TrainPhase, string> = { idle: t.built ? 'ready' : 'not built yet', building: 'building', running: 'training', stepping: 'stepping', paused: 'paused', finished: 'finished', diverged: 'diverged', error: 'stopped by an error' };
    const left = st && st.msPerStep > 0 && st.totalSteps > st.step ? ((st.totalSteps - st.step) * st.msPerStep) / 1000 : null;
    const pct = st && st.totalSteps > 0 ? Math.min(100, (st.step / st.totalSteps) * 100) : 0;
    const epochs = st && st.stepsPerEpoch > 0 ? Math.round(st.totalSteps / st.stepsPerEpoch) : this.design.doc.train.epochs;
    return html`<div class="status" role="status" aria-label="Training status" aria-live="off">
      <span>State: <b>${phaseText[t.phase]}</b></span>
      <span>GPU: <b>${adapter}</b></span>
      ${st
        ? html`<span>Step <b>${fmt(st.step)}</b> of ${fmt(st.totalSteps)}</span>
            <span>Epoch <b>${Math.min(epochs, st.epoch + 1)}</b> of ${epochs} (${fmt(st.stepInEpoch)}/${fmt(st.stepsPerEpoch)} steps)</span>
            <span><b>${fmt(Math.round(st.samplesPerSecond))}</b> samples/s</span>
            <span><b>${st.msPerStep.toFixed(1)}</b> ms/step</span>
            <span>Time left: <b>${left === null ? '—' : formatSeconds(left)}</b></span>
            <span>lr <b>${st.lr.toPrecision(3)}</b></span>
            ${st.memory ? html`<span>GPU memory in use: <b>${bytesLabel(st.memory.bytesLive)}</b></span>` : nothing}
            ${st.params !== undefined ? html`<span>${fmt(st.params)} parameters</span>` : nothing}
            <div class="progress" aria-hidden="true"><span style=${`width:${pct.toFixed(1)}%`}></span></div>`
        : html`<span>Press Train to build the network on the GPU.</span>`}
    </div>`;
  }

  override render() {
    const store = this.design.store;
    const analysis = store.analysis;
    const selected = store.selectedLayer;
    const selectedAnalysis = selected ? analysis.layers.find((l) => l.id === selected.id) : undefined;
    return html`
      <header>
        <h1>convplay</h1>
        <span class="adapter" aria-label="GPU adapter" role="status">${this.#adapterText()}</span>
      </header>
      ${this.gpu.kind === 'unavailable' ? html`<cp-gpu-unavailable .message=${this.gpu.message} .help=${this.gpu.help}></cp-gpu-unavailable>` : ''}
      ${this.design.notice
        ? html`<div class="notice" role="alert" aria-label="Link problem"><span>${this.design.notice}</span>
            <button @click=${() => this.design.dismissNotice()}>Dismiss</button></div>`
        : ''}
      ${this.#notices()}
      ${this.dropping ? html`<div class="drop" role="status" aria-label="Drop a file"><span>Drop a .safetensors file to load its network and weights</span></div>` : nothing}
      <div class="sr-only" aria-live="polite">${this.announcement}</div>
      <main class="designer"
        @cp-layer-add=${this.#onAdd} @cp-layer-move=${this.#onMove} @cp-layer-remove=${this.#onRemove}
        @cp-layer-change=${this.#onChange} @cp-layer-select=${this.#onSelect} @cp-input-change=${this.#onInput}
        @cp-preset=${this.#onPreset} @cp-clear=${this.#onClear} @cp-undo=${() => this.#undo()} @cp-redo=${() => this.#redo()}
        @cp-announce=${this.#onAnnounce}>
        <cp-design-toolbar .presets=${PRESETS} .presetId=${this.design.presetId} ?canUndo=${store.canUndo} ?canRedo=${store.canRedo}></cp-design-toolbar>
        <cp-layer-palette></cp-layer-palette>
        <cp-network-editor .spec=${store.spec} .analysis=${analysis} .selectedId=${store.selectedId}></cp-network-editor>
        <cp-layer-inspector .layer=${selected} .analysis=${selectedAnalysis}></cp-layer-inspector>
        <cp-summary-table .spec=${store.spec} .analysis=${analysis} .selectedId=${store.selectedId}></cp-summary-table>
      </main>
      <section class="training" aria-label="Training"
        @cp-train-config=${this.#onTrainConfig} @cp-train-subset=${this.#onSubset} @cp-train-action=${this.#onAction}>
        <h2>Train</h2>
        <cp-train-controls .config=${store.train} .buttons=${this.#buttons()} blocked=${this.#blockedReason()} hint=${this.#hint()}
          .subset=${this.training.subset} .datasets=${this.datasets}
          diverged=${this.training.phase === 'diverged' ? this.training.message : ''}
          problem=${this.training.phase === 'error' ? this.training.message : ''}></cp-train-controls>
        <cp-loss-chart .run=${this.training.run} .archive=${this.training.archive} .revision=${this.training.revision}></cp-loss-chart>
        ${this.#statusLine()}
        <cp-file-panel .blocked=${this.#fileBlocked()} ?includeOptimizer=${this.includeOptimizer} busy=${this.fileBusy}
          error=${this.fileError} done=${this.fileDone} .keptStep=${this.training.kept?.step ?? null}
          @cp-file-action=${this.#onFileAction} @cp-file-load=${this.#onFileLoad} @cp-file-option=${this.#onFileOption}></cp-file-panel>
      </section>
      ${this.#inside()}
    `;
  }

  #inside() {
    const ins = this.inspect;
    const ev = this.training.evaluation;
    const classNames = this.samples?.classNames ?? ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
    const kinds = new Map((this.training.builtSpec?.layers ?? []).map((l) => [l.id, l.kind]));
    const src = ins.source;
    return html`<section class="inside" aria-label="Look inside"
        @cp-inspect-pick=${this.#onPick} @cp-inspect-draw=${this.#onDraw} @cp-confusion-pick=${this.#onConfusionPick}
        @cp-cell-pick=${this.#onCellPick} @cp-cell-close=${() => this.explain.close()} @cp-test-image=${this.#onTestImage}>
      <h2>Look inside</h2>
      <div class="left">
        <div class="card">
          <h3>Test images</h3>
          ${this.dataError
            ? html`<p class="error" role="alert">${this.dataError}</p>`
            : this.samples
              ? html`<cp-digit-grid .samples=${this.samples} selectable .selectedIndex=${src.kind === 'test' ? src.index : -1}></cp-digit-grid>`
              : html`<p>Loading MNIST…</p>`}
        </div>
        <div class="card">
          <h3>Draw a digit</h3>
          <p class="source">${src.kind === 'drawn' ? 'Looking at your drawing.' : `Looking at test image ${src.index + 1}. Draw to look at your own digit.`}</p>
          <div class="pad">
            <cp-draw-pad></cp-draw-pad>
            <cp-probabilities .probabilities=${ins.probabilities} .classNames=${classNames}></cp-probabilities>
          </div>
        </div>
        ${this.training.builtDataset
          ? html`<div class="card"><cp-test-browser .testSet=${this.testSet.set} .predictions=${ev?.predictions} .classNames=${classNames}
              .index=${src.kind === 'test' ? src.index : -1} error=${this.testSet.error}></cp-test-browser></div>`
          : nothing}
        <cp-confusion-matrix .confusion=${ev?.confusion} .classNames=${classNames} .selected=${this.misclassified}
          ?canShowImages=${!!ev?.predictions} epochLabel=${ev?.epoch != null ? `after epoch ${ev.epoch + 1}, test accuracy ${(ev.accuracy * 100).toFixed(1)}%` : ''}></cp-confusion-matrix>
      </div>
      <div class="right">
        <cp-cell-explainer .target=${this.explain.target} .cell=${this.explain.cell} error=${this.explain.error} .kinds=${kinds} .classNames=${classNames}
          .modes=${this.explain.modes} modesError=${this.explain.modesError} @cp-bn-compare=${() => void this.explain.compareModes()}></cp-cell-explainer>
        <cp-activation-view .layers=${ins.layers} .kinds=${kinds} .picked=${this.explain.target}></cp-activation-view>
        <cp-filter-view .weights=${ins.weights}></cp-filter-view>
        <cp-gradient-view ?open=${this.gradients.open} .report=${this.gradients.report} error=${this.gradients.error} .classNames=${classNames}
          @cp-gradients-toggle=${(e: CustomEvent<{ open: boolean }>) => this.gradients.toggle(e.detail.open)}></cp-gradient-view>
      </div>
    </section>`;
  }
}

/** "1 min 05 s" for a time left. */
function formatSeconds(s: number): string {
  if (s < 60) return `${Math.ceil(s)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(Math.round(s % 60)).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

declare global {
  interface HTMLElementTagNameMap {
    'cp-app': CpApp;
  }
  interface Window {
    /** Test hooks (only with ?debug=1); see ConvplayDebug. */
    __convplayDebug?: ConvplayDebug;
  }
}
