// Why: the mediator of the page. It owns the engine client and the state the children display; the
// children get properties and send events up, and never talk to the engine themselves.
import { css, html, LitElement } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { EngineClient } from '../worker/engine-client';
import type { AdapterReport } from '../worker/protocol';
import './components/cp-digit-grid';
import './components/cp-gpu-unavailable';
import type { DigitSamples } from './components/cp-digit-grid';

type GpuState = { kind: 'starting' } | { kind: 'ready'; adapter: AdapterReport } | { kind: 'unavailable'; message: string; help: string };

@customElement('cp-app')
export class CpApp extends LitElement {
  static override styles = css`
    :host { display: block; font: 15px/1.5 var(--cp-font, system-ui, sans-serif); color: var(--cp-text, #1b1b1f); max-width: 1100px; margin: 0 auto; padding: 16px; }
    header { display: flex; align-items: baseline; gap: 16px; flex-wrap: wrap; margin-bottom: 12px; }
    h1 { margin: 0; font-size: 1.5rem; }
    .adapter { color: var(--cp-muted, #555); font-size: 0.9rem; }
    .error { color: #b00020; }
  `;

  @state() private gpu: GpuState = { kind: 'starting' };
  @state() private samples?: DigitSamples;
  @state() private dataError?: string;
  #client?: EngineClient;

  override connectedCallback(): void {
    super.connectedCallback();
    this.#client = new EngineClient();
    void this.#start(this.#client);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
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

  override render() {
    return html`
      <header>
        <h1>convplay</h1>
        <span class="adapter" aria-label="GPU adapter" role="status">${this.#adapterText()}</span>
      </header>
      ${this.gpu.kind === 'unavailable' ? html`<cp-gpu-unavailable .message=${this.gpu.message} .help=${this.gpu.help}></cp-gpu-unavailable>` : ''}
      <section aria-label="MNIST test images">
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
