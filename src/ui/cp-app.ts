// Why: the mediator of the page. It owns the engine client and the design (through DesignController:
// the NetworkSpec, the TrainConfig, undo/redo, the URL hash and the autosave); the children get
// properties and send events up, and never talk to the engine or change the design themselves.
import { css, html, LitElement } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { listPresets } from '../model';
import { EngineClient } from '../worker/engine-client';
import type { AdapterReport } from '../worker/protocol';
import './components/cp-digit-grid';
import './components/cp-gpu-unavailable';
import './components/cp-design-toolbar';
import './components/cp-layer-palette';
import './components/cp-network-editor';
import './components/cp-layer-inspector';
import './components/cp-summary-table';
import type { DigitSamples } from './components/cp-digit-grid';
import type { PresetChoice } from './components/cp-design-toolbar';
import { DesignController } from './controllers/design-controller';
import type { DesignEvent } from './events';

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
    .notice button { font: inherit; font-size: 0.85rem; border: 1px solid #d0b060; background: #fff; border-radius: 6px; padding: 2px 10px; cursor: pointer; }
    .designer {
      display: grid; gap: 12px; align-items: start;
      grid-template-columns: minmax(170px, 210px) minmax(0, 1fr) minmax(260px, 340px);
      grid-template-areas: 'toolbar toolbar toolbar' 'palette network inspector' 'summary summary summary' 'train train train';
    }
    cp-design-toolbar { grid-area: toolbar; }
    cp-layer-palette { grid-area: palette; position: sticky; top: 8px; }
    cp-network-editor { grid-area: network; }
    cp-layer-inspector { grid-area: inspector; position: sticky; top: 8px; }
    cp-summary-table { grid-area: summary; }
    .train { grid-area: train; display: flex; align-items: center; gap: 12px; flex-wrap: wrap; }
    .train button {
      font: inherit; font-weight: 600; padding: 8px 22px; border-radius: 8px; border: none; cursor: pointer;
      background: var(--cp-accent, #3b5bdb); color: #fff;
    }
    .train button:disabled { background: #c5cad6; cursor: not-allowed; }
    .train p { margin: 0; font-size: 0.85rem; color: var(--cp-muted, #5c6270); flex: 1; min-width: 240px; }
    .train p.blocked { color: var(--cp-error, #c92a2a); }
    .sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
    section.data { margin-top: 20px; }
    @media (max-width: 1000px) {
      .designer {
        grid-template-columns: minmax(160px, 200px) minmax(0, 1fr);
        grid-template-areas: 'toolbar toolbar' 'palette network' 'inspector inspector' 'summary summary' 'train train';
      }
      cp-layer-inspector { position: static; }
    }
    @media (max-width: 640px) {
      :host { padding: 10px; }
      .designer { grid-template-columns: minmax(0, 1fr); grid-template-areas: 'toolbar' 'palette' 'network' 'inspector' 'summary' 'train'; }
      cp-layer-palette { position: static; }
    }
  `;

  @state() private gpu: GpuState = { kind: 'starting' };
  @state() private samples?: DigitSamples;
  @state() private dataError?: string;
  @state() private announcement = '';
  readonly design = new DesignController(this);
  #client?: EngineClient;

  /** True when the design can be trained: it fits, takes 1×28×28, and the training settings are valid. */
  get designValid(): boolean {
    return this.design.store.designValid;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('keydown', this.#keydown);
    this.#client = new EngineClient();
    void this.#start(this.#client);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('keydown', this.#keydown);
    this.#client?.terminate();
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

  override render() {
    const store = this.design.store;
    const analysis = store.analysis;
    const selected = store.selectedLayer;
    const selectedAnalysis = selected ? analysis.layers.find((l) => l.id === selected.id) : undefined;
    const readiness = store.readiness;
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
        <!-- Placeholder until the training panel exists: it will replace this section and read
             designValid / design.doc from here. -->
        <section class="train" aria-label="Training">
          <button ?disabled=${!readiness.ok} aria-describedby="train-why"
            title=${readiness.ok ? 'Train this network on MNIST' : `Training is off: ${readiness.reason}`}>Train</button>
          <p id="train-why" class=${readiness.ok ? '' : 'blocked'}>
            ${readiness.ok ? 'The design fits: ready to train on MNIST.' : `Training is off: ${readiness.reason}`}
          </p>
        </section>
      </main>
      <section class="data" aria-label="MNIST test images">
        <h2>MNIST test images</h2>
        ${this.dataError ? html`<p class="error" role="alert">${this.dataError}</p>` : this.samples ? html`<cp-digit-grid .samples=${this.samples}></cp-digit-grid>` : html`<p>Loading MNIST…</p>`}
      </section>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cp-app': CpApp;
  }
}
