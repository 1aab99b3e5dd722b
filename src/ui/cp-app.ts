// Why: the mediator of the page: it renders the sections and routes their events; the jobs live in
// controllers/ (design, engine lifecycle, training, look inside, files), the words about its state in
// status-text.ts, its styles in styles/app-styles.ts. Children get properties and send events up.
import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { BUILTIN_DATASETS, classesOf, fmt, isBlock, listPresets } from '../model';
import './components/all';
import type { PresetChoice } from './components/cp-design-toolbar';
import { DatasetController } from './controllers/dataset-controller';
import { datasetFor } from './controllers/design-store';
import { DesignController } from './controllers/design-controller';
import { EngineController } from './controllers/engine-controller';
import { FileController } from './controllers/file-controller';
import { InspectController } from './controllers/inspect-controller';
import { InvalidEntries } from './controllers/invalid-entries';
import { LookInside } from './controllers/look-inside';
import { MisclassifiedController } from './controllers/misclassified-controller';
import { TrainingController, type TrainPhase } from './controllers/training-controller';
import { UndoKeys } from './controllers/undo-keys';
import type { DesignEvent } from './events';
import type { ExplainEvent } from './explain/explain-events';
import { DataChoice } from './data-choice';
import { DesignEdits } from './design-edits';
import { notices } from './notices';
import { adapterText, blockedReason, buttons, canTrain, dataLoadText, hint, statusLine } from './status-text';
import { appStyles } from './styles/app-styles';

export type { ConvplayDebug } from './controllers/engine-controller';

const PRESETS: readonly PresetChoice[] = listPresets().map(({ id, title, description }) => ({ id, title, description }));

@customElement('cp-app')
export class CpApp extends LitElement {
  static override styles = appStyles;

  @state() private announcement = '';
  readonly design = new DesignController(this);
  readonly training = new TrainingController(this, () => this.#runLabel());
  readonly inspect = new InspectController(this, () =>
    this.training.builtSpec && this.training.builtDataset ? { spec: this.training.builtSpec, dataset: this.training.builtDataset } : undefined,
  );
  readonly lookInside = new LookInside(this, this.training, this.inspect);
  readonly userData = new DatasetController(this, (d, replaced) => this.dataChoice.ownChanged(d, replaced));
  readonly dataChoice = new DataChoice(this);
  readonly engine = new EngineController(this, this.training, this.inspect, [this.lookInside, this.userData]);
  readonly files = new FileController(this);
  readonly misclassified = new MisclassifiedController(this, this.engine, this.training);
  readonly invalidEntries = new InvalidEntries(this);
  readonly edits = new DesignEdits(this);
  readonly undoKeys = new UndoKeys(this, () => this.edits.undo(), () => this.edits.redo());
  #lastPhase: TrainPhase = 'idle';

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.inspect.live(false);
  }

  protected override updated(_changed: PropertyValues<this>): void {
    const phase = this.training.phase;
    this.inspect.live(phase === 'running');
    // A run stopped (pause, step, finished, diverged): show the network as it is now.
    if (phase !== this.#lastPhase && (this.#lastPhase === 'running' || this.#lastPhase === 'stepping') && phase !== 'building') void this.inspect.refresh();
    this.#lastPhase = phase;
  }

  /** A checkpoint replaced the design and weights (FileController). */
  loaded(step: number): void {
    this.misclassified.clear();
    this.#announce(`Loaded weights at step ${step}`);
  }

  #runLabel(): string {
    const t = this.design.doc.train;
    const name = this.design.presetId || 'custom network';
    return `${name}, ${t.optimizer.kind} lr ${t.optimizer.lr}, batch ${t.batch}${this.training.subset ? `, ${fmt(this.training.subset)} images` : ''}`;
  }

  /** Says `message` to screen readers (and the page's other parts: DataChoice). */
  announce(message: string): void {
    this.#announce(message);
  }

  #announce(message: string) {
    // A changed text is what a live region reads; repeat messages get a zero-width space.
    this.announcement = this.announcement === message ? `${message}\u200b` : message;
  }

  #onAnnounce = (e: DesignEvent<'cp-announce'>) => this.#announce(e.detail.message);

  #onTrainConfig = (e: DesignEvent<'cp-train-config'>) => {
    this.dataChoice.setTrain(e.detail.train, e.detail.key);
    this.training.configChanged(this.design.doc);
  };
  #onSubset = (e: DesignEvent<'cp-train-subset'>) => {
    this.training.subset = e.detail.subset;
    this.requestUpdate();
  };
  #onAction = async (e: DesignEvent<'cp-train-action'>) => {
    const doc = this.design.doc;
    const t = this.training;
    const can = canTrain(this.engine.gpu, this.design.store);
    switch (e.detail.action) {
      case 'train':
        if (!can) return;
        void this.engine.loadSamples(doc.train.dataset);
        await t.train(doc);
        this.#announce('Training');
        void this.inspect.refresh();
        return;
      case 'pause':
        await t.pause();
        this.#announce(`Paused at step ${t.status?.step ?? 0}`);
        return;
      case 'step':
        if (!can) return;
        void this.engine.loadSamples(doc.train.dataset);
        await t.step(doc);
        void this.inspect.refresh();
        return;
      case 'reset':
        await t.reset(doc);
        this.misclassified.clear();
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
    const src = this.inspect.source;
    this.inspect.setSource(px ? { kind: 'drawn', pixels: px } : { kind: 'test', index: src.kind === 'test' ? src.index : 0 });
  };
  #onConfusionPick = (e: DesignEvent<'cp-confusion-pick'>) => void this.misclassified.pick(e.detail.actual, e.detail.predicted);
  #onTestImage = (e: ExplainEvent<'cp-test-image'>) => {
    this.inspect.setSource({ kind: 'test', index: e.detail.index });
    void this.lookInside.testImageShown(e);
  };

  override render() {
    const store = this.design.store;
    const analysis = store.analysis;
    const selected = store.selectedLayer;
    const selectedAnalysis = selected ? analysis.layers.find((l) => l.id === selected.id) : undefined;
    const item = store.selectedItem;
    const block = item && isBlock(item) ? item : undefined;
    const gpu = this.engine.gpu;
    const files = this.files;
    return html`
      <header>
        <h1>convplay</h1>
        <span class="adapter" aria-label="GPU adapter" role="status">${adapterText(gpu)}</span>
        ${statusLine(this.training, this.design.doc.train.epochs)}
      </header>
      ${gpu.kind === 'unavailable' ? html`<cp-gpu-unavailable .message=${gpu.message} .help=${gpu.help}></cp-gpu-unavailable>` : ''}
      ${notices({ design: this.design, engine: this.engine, files, training: this.training, requestUpdate: () => this.requestUpdate() })}
      <div class="sr-only" aria-live="polite">${this.announcement}</div>
      <div class="workspace"
        @cp-layer-add=${this.edits.add} @cp-layer-move=${this.edits.move} @cp-layer-nest=${this.edits.nest} @cp-layer-remove=${this.edits.remove}
        @cp-layer-change=${this.edits.change} @cp-layer-select=${this.edits.select} @cp-input-change=${this.edits.input}
        @cp-preset=${this.edits.preset} @cp-clear=${this.edits.clear} @cp-undo=${() => this.edits.undo()} @cp-redo=${() => this.edits.redo()}
        @cp-announce=${this.#onAnnounce}>
        <div class="design-col">
          <main class="designer" aria-label="Design">
            <cp-design-toolbar .presets=${PRESETS} .presetId=${this.design.presetId} ?canUndo=${store.canUndo} ?canRedo=${store.canRedo}></cp-design-toolbar>
            <cp-layer-palette></cp-layer-palette>
            <cp-network-diagram .spec=${store.spec} .analysis=${analysis} selectedId=${store.selectedId ?? ''}
              .activations=${this.#liveMaps()}></cp-network-diagram>
            <cp-network-editor .spec=${store.spec} .analysis=${analysis} .selectedId=${store.selectedId} .data=${datasetFor(store.train.dataset, store.ownData) ?? BUILTIN_DATASETS.mnist}></cp-network-editor>
            <div class="inspector-col">${block
              ? html`<cp-block-inspector .block=${block} .analysis=${analysis.blocks.find((b) => b.id === block.id)} .layers=${analysis.layers}></cp-block-inspector>`
              : html`<cp-layer-inspector .layer=${selected} .analysis=${selectedAnalysis} .invalid=${selected ? this.invalidEntries.forLayer(selected.id) : []}></cp-layer-inspector>`}</div>
            <cp-summary-table .spec=${store.spec} .analysis=${analysis} .selectedId=${store.selectedId} .gpuTimes=${this.training.needsBuild(this.design.doc) ? undefined : this.training.times.value}></cp-summary-table>
          </main>
        </div>
        <section class="training" aria-label="Training"
          @cp-train-config=${this.#onTrainConfig} @cp-train-subset=${this.#onSubset} @cp-train-action=${this.#onAction}>
          <cp-train-controls .config=${store.train} .buttons=${buttons(this.training, canTrain(gpu, store))} blocked=${blockedReason(gpu, store)} hint=${hint(this.training, this.design.doc, this.invalidEntries.list(store.spec))}
            .subset=${this.training.subset} .datasets=${{ ...this.engine.datasets, own: !!this.userData.descriptor }} ownName=${this.userData.descriptor?.name ?? ''}
            .trainCount=${datasetFor(store.train.dataset, store.ownData)?.trainCount ?? 60000}
            diverged=${this.training.phase === 'diverged' ? this.training.message : ''} .suggestedLr=${this.training.rollback?.suggestedLr ?? null}
            problem=${this.training.phase === 'error' ? this.training.message : ''}></cp-train-controls>
          <cp-loss-chart classes=${classesOf(store.spec)} .run=${this.training.run} .archive=${this.training.archive} .revision=${this.training.revision}></cp-loss-chart>
          <cp-file-panel .blocked=${files.blocked()} ?includeOptimizer=${files.includeOptimizer} busy=${files.busy}
            error=${files.error} done=${files.done} .keptStep=${this.training.kept?.step ?? null}
            @cp-file-action=${files.onAction} @cp-file-load=${files.onLoad} @cp-file-option=${files.onOption}></cp-file-panel>
          ${this.dataChoice.builder()}
        </section>
        ${this.#inside()}
      </div>
    `;
  }

  /** The maps of the image looked at, when the built network is the design on screen. */
  #liveMaps() {
    return JSON.stringify(this.training.builtSpec) === JSON.stringify(this.design.store.spec) ? this.inspect.layers : [];
  }

  #inside() {
    const ins = this.inspect;
    const ev = this.training.evaluation;
    const { samples, dataError } = this.engine;
    const classNames = samples?.classNames ?? ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
    const kinds = new Map((this.training.builtSpec?.layers ?? []).map((l) => [l.id, l.kind]));
    const src = ins.source;
    const { explain, gradients, testSet } = this.lookInside;
    return html`<section class="inside" aria-label="Look inside"
        @cp-inspect-pick=${this.#onPick} @cp-inspect-draw=${this.#onDraw} @cp-confusion-pick=${this.#onConfusionPick}
        @cp-cell-pick=${this.lookInside.onCellPick} @cp-cell-close=${() => explain.close()} @cp-test-image=${this.#onTestImage}>
      <div class="card">
        <h2>Look inside <span class="muted">· pick a test image or draw one</span></h2>
        ${dataError ? html`<p class="error" role="alert">${dataError}</p>` : nothing}
        ${samples
          ? html`<cp-digit-grid .samples=${samples} selectable .selectedIndex=${src.kind === 'test' ? src.index : -1}></cp-digit-grid>`
          : dataError ? nothing : html`<p role="status" aria-label="Data loading">${dataLoadText(this.engine.dataBytes)}</p>`}
        <div class="pad">
          <cp-draw-pad></cp-draw-pad><cp-input-view .input=${ins.input} channels=${this.training.builtSpec?.input.C ?? 1} H=${this.training.builtSpec?.input.H ?? 28} W=${this.training.builtSpec?.input.W ?? 28}></cp-input-view>
          <cp-probabilities .probabilities=${ins.probabilities} .classNames=${classNames}></cp-probabilities>
        </div>
        <p class="source">${src.kind === 'drawn' ? 'Looking at your drawing.' : `Looking at test image ${src.index + 1}. Draw to look at your own digit.`}</p>
      </div>
      <cp-cell-explainer .target=${explain.target} .cell=${explain.cell} error=${explain.error} .kinds=${kinds} .classNames=${classNames}
        .modes=${explain.modes} modesError=${explain.modesError} @cp-bn-compare=${() => void explain.compareModes()}></cp-cell-explainer>
      <cp-activation-view .layers=${ins.layers} .kinds=${kinds} .classNames=${classNames} .picked=${explain.target}></cp-activation-view>
      <cp-filter-view .weights=${ins.weights}></cp-filter-view>
      ${this.training.builtDataset
        ? html`<div class="card"><cp-test-browser .testSet=${testSet.set} .predictions=${ev?.predictions} .classNames=${classNames}
            .index=${src.kind === 'test' ? src.index : -1} error=${testSet.error}></cp-test-browser></div>`
        : nothing}
      <cp-gradient-view ?open=${gradients.open} .report=${gradients.report} error=${gradients.error} .classNames=${classNames}
        @cp-gradients-toggle=${(e: CustomEvent<{ open: boolean }>) => gradients.toggle(e.detail.open)}></cp-gradient-view>
      <cp-confusion-matrix .confusion=${ev?.confusion} .classNames=${classNames} .selected=${this.misclassified.selected}
        ?canShowImages=${!!ev?.predictions} epochLabel=${ev?.epoch != null ? `after epoch ${ev.epoch + 1}, test accuracy ${(ev.accuracy * 100).toFixed(1)}%` : ''}></cp-confusion-matrix>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cp-app': CpApp;
  }
}
