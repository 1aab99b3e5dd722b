// Why: "train on your own images": drop a folder of class folders (or a .zip of them), choose the
// size and grey or colour, and see what was built: the classes with their train/test counts, a
// preview, what was skipped and why, and what it costs in storage. Properties in, events up; the
// DatasetController does the work.
import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { fmt, IMAGE_SIZES, inputText, type DatasetDescriptor } from '../../model';
import type { ImportOptions, ImportProgress, SkippedFile, StorageReport } from '../../worker/protocol';
import type { DatasetBusy } from '../controllers/dataset-controller';
import { emitDataset } from '../dataset-events';
import { filesFromDrop, filesFromInput } from '../dropped-files';
import { controls, panel } from '../styles/shared';
import type { DigitSamples } from './cp-digit-grid';
import './cp-digit-grid';
import './cp-dataset-drawings';
import type { CpDatasetCamera } from './cp-dataset-camera';
import './cp-dataset-camera';

const mib = (b: number) => (b >= 2 ** 30 ? `${(b / 2 ** 30).toFixed(1)} GiB` : `${(b / 2 ** 20).toFixed(b < 2 ** 20 ? 2 : 1)} MiB`);

@customElement('cp-dataset-builder')
export class CpDatasetBuilder extends LitElement {
  static override styles = [
    panel,
    controls,
    css`
      :host { display: block; }
      .drop { border: 2px dashed var(--cp-border, #c5cad3); border-radius: 10px; padding: 12px; text-align: center; font-size: 0.85rem; }
      .drop.over { border-color: var(--cp-accent, #3b5bdb); background: #eef2ff; }
      .drop p { margin: 0 0 8px; }
      .row { display: flex; flex-wrap: wrap; gap: 6px 12px; align-items: center; margin: 8px 0; font-size: 0.85rem; }
      .row label { display: inline-flex; gap: 4px; align-items: center; }
      input[type='number'] { width: 4.5em; }
      input[type='file'] { position: absolute; width: 1px; height: 1px; opacity: 0; }
      progress { flex: 1 1 120px; min-width: 100px; }
      .error { color: var(--cp-error, #c92a2a); font-size: 0.85rem; margin: 6px 0; }
      .done { color: #2b8a3e; font-size: 0.85rem; margin: 6px 0; }
      table { border-collapse: collapse; font-size: 0.8rem; font-variant-numeric: tabular-nums; margin: 6px 0; }
      th, td { padding: 2px 8px; text-align: right; border-bottom: 1px solid var(--cp-border, #e3e5ea); }
      th:first-child, td:first-child { text-align: left; max-width: 14em; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
      .classes { max-height: 180px; overflow: auto; }
      details { font-size: 0.8rem; margin: 6px 0; }
      details ul { max-height: 120px; overflow: auto; margin: 4px 0; padding-left: 18px; }
      cp-digit-grid { --cp-digit-size: 40px; --cp-digit-gap: 4px; margin-top: 6px; }
      h3 { font-size: 0.88rem; margin: 10px 0 2px; overflow-wrap: anywhere; }
    `,
  ];

  @property({ attribute: false }) descriptor?: DatasetDescriptor | null;
  @property({ attribute: false }) options!: ImportOptions;
  @property({ attribute: false }) progress?: ImportProgress;
  @property({ attribute: false }) skipped: SkippedFile[] = [];
  @property({ attribute: false }) storage?: StorageReport;
  @property({ attribute: false }) preview?: DigitSamples;
  @property() busy: DatasetBusy = '';
  @property() error = '';
  @property() done = '';
  /** Drawings collected per class (the "draw your own" part). */
  @property({ attribute: false }) drawingCounts: readonly (readonly [string, number])[] = [];
  /** Training is set to this dataset already. */
  @property({ type: Boolean }) inUse = false;
  @state() private over = false;

  #option(patch: Partial<ImportOptions>) {
    emitDataset(this, 'cp-dataset-option', { patch });
  }

  #picked = (e: Event) => {
    const input = e.target as HTMLInputElement;
    const files = filesFromInput(input.files);
    input.value = '';
    emitDataset(this, 'cp-dataset-files', { files });
  };

  #drop = async (e: DragEvent) => {
    e.preventDefault();
    this.over = false;
    if (this.busy) return;
    emitDataset(this, 'cp-dataset-files', { files: await filesFromDrop(e.dataTransfer) });
  };

  // A closed panel is out of sight: its camera should not stay on.
  #cameraToggled = (e: Event) => {
    if (!(e.currentTarget as HTMLDetailsElement).open) this.renderRoot.querySelector<CpDatasetCamera>('cp-dataset-camera')?.stop();
  };

  override render() {
    const o = this.options;
    const busy = this.busy !== '';
    return html`<section class="panel" aria-label="Your images">
      <h2>Your images <span class="muted">· train on your own dataset</span></h2>
      <div class="drop ${this.over ? 'over' : ''}" @dragover=${(e: DragEvent) => { e.preventDefault(); this.over = true; }}
        @dragleave=${() => (this.over = false)} @drop=${this.#drop}>
        <p>Drop a folder holding <strong>one folder per class</strong> (the folder's name is the class), or a .zip of such folders. PNG, JPEG or WebP, any size.</p>
        <div class="row" style="justify-content:center">
          <span><input type="file" webkitdirectory multiple aria-label="Image folder" ?disabled=${busy} @change=${this.#picked} />
            <button type="button" ?disabled=${busy} @click=${(e: Event) => ((e.currentTarget as HTMLElement).previousElementSibling as HTMLInputElement).click()}>Choose a folder…</button></span>
          <span><input type="file" accept=".zip,application/zip" aria-label="Dataset archive (.zip)" ?disabled=${busy} @change=${this.#picked} />
            <button type="button" ?disabled=${busy} @click=${(e: Event) => ((e.currentTarget as HTMLElement).previousElementSibling as HTMLInputElement).click()}>Choose a .zip…</button></span>
        </div>
      </div>
      <div class="row" role="group" aria-label="How images are prepared">
        <label>Size <select aria-label="Image size" ?disabled=${busy} @change=${(e: Event) => this.#option({ size: Number((e.target as HTMLSelectElement).value) })}>
          ${IMAGE_SIZES.map((s) => html`<option value=${s} ?selected=${s === o.size}>${s}×${s}</option>`)}</select></label>
        <label>Colour <select aria-label="Colour" ?disabled=${busy} @change=${(e: Event) => this.#option({ channels: Number((e.target as HTMLSelectElement).value) as 1 | 3 })}>
          <option value="3" ?selected=${o.channels === 3}>colour (C = 3)</option><option value="1" ?selected=${o.channels === 1}>grey (C = 1)</option></select></label>
        <label>Test share % <input type="number" min="5" max="50" step="5" aria-label="Test share in percent" .value=${String(Math.round(o.testFraction * 100))} ?disabled=${busy}
          @change=${(e: Event) => this.#option({ testFraction: Math.min(50, Math.max(5, Number((e.target as HTMLInputElement).value) || 20)) / 100 })} /></label>
        <label>Split seed <input type="number" min="0" step="1" aria-label="Split seed" .value=${String(o.seed)} ?disabled=${busy}
          @change=${(e: Event) => this.#option({ seed: Math.max(0, Math.trunc(Number((e.target as HTMLInputElement).value) || 0)) })} /></label>
      </div>
      <p class="muted" style="font-size:0.78rem;margin:0">Each image's centred square is kept and resized; the split is stratified (every class keeps its share) and repeatable with the seed.</p>
      <details ?open=${this.drawingCounts.length > 0}><summary>…or draw examples, class by class</summary>
        <cp-dataset-drawings .counts=${this.drawingCounts} ?busy=${busy}></cp-dataset-drawings></details>
      <details @toggle=${this.#cameraToggled}><summary>…or capture examples with a camera, class by class</summary>
        <cp-dataset-camera ?busy=${busy} error=${this.error}></cp-dataset-camera></details>
      ${this.#progress()}
      ${this.error ? html`<p class="error" role="alert" aria-label="Dataset problem">${this.error}</p>` : nothing}
      ${this.done ? html`<p class="done" role="status" aria-label="Dataset status">${this.done}</p>` : nothing}
      ${this.#skipped()}
      ${this.#stored()}
    </section>`;
  }

  #progress() {
    const p = this.progress;
    if (this.busy !== 'importing' || !p) return this.busy ? html`<p role="status" class="muted">${this.busy === 'exporting' ? 'Packing the images into a .zip…' : 'Deleting…'}</p>` : nothing;
    const what = p.stage === 'decoding' ? `Decoding image ${fmt(p.done)} of ${fmt(p.total)}` : p.stage === 'storing' ? 'Storing in the browser…' : `Reading ${fmt(p.total)} file(s)…`;
    return html`<div class="row" role="status" aria-label="Import progress">
      <progress max=${Math.max(1, p.total)} value=${p.done}></progress><span>${what}</span>
      <button @click=${() => emitDataset(this, 'cp-dataset-action', { action: 'cancel' })}>Cancel</button>
    </div>`;
  }

  #skipped() {
    const s = this.skipped;
    if (s.length === 0) return nothing;
    return html`<details><summary>${s.length} file${s.length === 1 ? '' : 's'} skipped</summary>
      <ul aria-label="Skipped files">${s.slice(0, 200).map((f) => html`<li>${f.path} ${f.reason}</li>`)}</ul></details>`;
  }

  #stored() {
    const d = this.descriptor;
    if (d === undefined) return html`<p class="muted">Looking for images kept in this browser…</p>`;
    if (d === null) return html`<p class="muted">No dataset of your own yet.${this.#storageText()}</p>`;
    const busy = this.busy !== '';
    return html`<h3>${d.name} <span class="muted">· ${inputText(d.input)} · ${d.classNames.length} classes · ${fmt(d.trainCount)} train / ${fmt(d.testCount)} test</span></h3>
      <div class="classes"><table aria-label="Images per class">
        <thead><tr><th scope="col">class</th><th scope="col">train</th><th scope="col">test</th></tr></thead>
        <tbody>${d.classNames.map((n, i) => html`<tr><td title=${n}>${n}</td><td>${d.trainPerClass?.[i] ?? '–'}</td><td>${d.testPerClass?.[i] ?? '–'}</td></tr>`)}</tbody>
      </table></div>
      ${this.preview ? html`<cp-digit-grid .samples=${this.preview} aria-label="Preview of your images"></cp-digit-grid>` : nothing}
      <p class="muted" style="font-size:0.78rem">${this.#storageText()}</p>
      <div class="row">
        ${this.inUse
          ? html`<span class="done">✓ Training uses these images</span>`
          : html`<button class="primary" ?disabled=${busy} @click=${() => emitDataset(this, 'cp-dataset-action', { action: 'use' })}>Train on these images</button>`}
        <button ?disabled=${busy} @click=${() => emitDataset(this, 'cp-dataset-action', { action: 'export' })}>Export .zip</button>
        <button ?disabled=${busy} @click=${() => emitDataset(this, 'cp-dataset-action', { action: 'delete' })}>Delete</button>
      </div>`;
  }

  #storageText(): string {
    const s = this.storage;
    if (!s) return '';
    const own = s.bytes ? `Kept in this browser: ${mib(s.bytes)}. ` : ' ';
    return s.quota ? `${own}Browser storage: ${mib(s.usage ?? 0)} used of ${mib(s.quota)}.` : own;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cp-dataset-builder': CpDatasetBuilder;
  }
}
