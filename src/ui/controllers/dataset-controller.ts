// Why: the page's side of "bring your own data": it collects the dropped files (a folder picked with
// the directory input, a folder dragged in, a .zip, or drawings collected class by class), sends them
// to the worker, which builds, checks and stores the dataset, and keeps what the builder shows: the
// stored dataset's descriptor, a preview, the skipped files, progress, storage use and errors.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { DatasetDescriptor } from '../../model';
import type { EngineClient } from '../../worker/engine-client';
import type { ImportFile, ImportOptions, ImportProgress, SkippedFile, StorageReport } from '../../worker/protocol';
import type { DigitSamples } from '../components/cp-digit-grid';
import { download } from '../download';

/** Images shown in the builder's preview grid. */
const PREVIEW = 24;

export type DatasetBusy = '' | 'importing' | 'exporting' | 'deleting';

export class DatasetController implements ReactiveController {
  /** The stored dataset (null: none; undefined: not asked yet). */
  descriptor?: DatasetDescriptor | null;
  storage?: StorageReport;
  preview?: DigitSamples;
  busy: DatasetBusy = '';
  progress?: ImportProgress;
  error = '';
  done = '';
  skipped: SkippedFile[] = [];
  options: ImportOptions = { size: 32, channels: 3, testFraction: 0.2, seed: 1 };
  /** Drawings collected class by class (28×28 bytes each), until built into a dataset. */
  drawings = new Map<string, Uint8Array[]>();

  readonly #host: ReactiveControllerHost;
  readonly #changed: (d: DatasetDescriptor | null, replaced: boolean) => void;
  #client?: EngineClient;

  /** changed(descriptor, replaced): the stored dataset is known (replaced: it was just built or deleted). */
  constructor(host: ReactiveControllerHost, changed: (d: DatasetDescriptor | null, replaced: boolean) => void) {
    this.#host = host;
    this.#changed = changed;
    host.addController(this);
  }

  hostConnected(): void {}

  attach(client: EngineClient): void {
    this.#client = client;
    client.listen((e) => {
      if (e.type === 'import-progress' && this.busy === 'importing') {
        this.progress = e.progress;
        this.#host.requestUpdate();
      }
    });
    void this.#loadStored(client);
  }

  async #loadStored(client: EngineClient): Promise<void> {
    try {
      const r = await client.request({ type: 'own-dataset' });
      this.descriptor = r.descriptor;
      this.storage = r.storage;
      this.#changed(r.descriptor, false);
      await this.#loadPreview();
    } catch (e) {
      this.descriptor = null;
      this.error = `Your stored images could not be read: ${e instanceof Error ? e.message : String(e)}`;
      this.#changed(null, false);
    }
    this.#host.requestUpdate();
  }

  async #loadPreview(): Promise<void> {
    const client = this.#client;
    if (!client || !this.descriptor) {
      this.preview = undefined;
      return;
    }
    const s = await client.request({ type: 'get-samples', dataset: 'own', split: 'train', start: 0, count: PREVIEW });
    this.preview = { rows: s.rows, cols: s.cols, channels: s.channels, images: s.images, labels: s.labels, classNames: s.classNames };
  }

  setOptions(patch: Partial<ImportOptions>): void {
    this.options = { ...this.options, ...patch };
    this.#host.requestUpdate();
  }

  /** Builds the dataset from `files`; on any failure the stored one stays as it was. */
  async importFiles(files: ImportFile[]): Promise<void> {
    const client = this.#client;
    if (!client || this.busy) return;
    if (files.length === 0) {
      this.error = 'No files were dropped: pick a folder holding one folder per class, or a .zip of such folders.';
      this.#host.requestUpdate();
      return;
    }
    this.busy = 'importing';
    this.error = '';
    this.done = '';
    this.progress = { stage: 'reading', done: 0, total: files.length };
    this.#host.requestUpdate();
    try {
      const r = await client.request({ type: 'import-dataset', files, options: this.options });
      this.descriptor = r.descriptor;
      this.storage = r.storage;
      this.skipped = r.skipped;
      const d = r.descriptor;
      this.done = `Built "${d.name}": ${d.classNames.length} classes, ${d.trainCount} training and ${d.testCount} test images of ${d.input.C}×${d.input.H}×${d.input.W}.`;
      this.#changed(d, true);
      await this.#loadPreview();
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
    } finally {
      this.busy = '';
      this.progress = undefined;
      this.#host.requestUpdate();
    }
  }

  addDrawing(className: string, pixels: Uint8Array): void {
    const list = this.drawings.get(className) ?? [];
    this.drawings.set(className, [...list, pixels.slice()]);
    this.#host.requestUpdate();
  }

  clearDrawings(): void {
    this.drawings = new Map();
    this.#host.requestUpdate();
  }

  get drawingCounts(): [string, number][] {
    return [...this.drawings].map(([n, l]) => [n, l.length]);
  }

  /** The drawings as PNG files in class folders, through the same import as dropped files. */
  async buildFromDrawings(): Promise<void> {
    const files: ImportFile[] = [];
    for (const [name, list] of this.drawings) {
      for (const [i, px] of list.entries()) {
        const canvas = new OffscreenCanvas(28, 28);
        const ctx = canvas.getContext('2d')!;
        const img = ctx.createImageData(28, 28);
        px.forEach((v, p) => img.data.set([v, v, v, 255], 4 * p));
        ctx.putImageData(img, 0, 0);
        files.push({ path: `drawings/${name.replace(/\//g, '_')}/${i + 1}.png`, file: await canvas.convertToBlob({ type: 'image/png' }) });
      }
    }
    await this.importFiles(files);
    if (!this.error) this.clearDrawings();
  }

  cancel(): void {
    void this.#client?.request({ type: 'cancel-import' });
  }

  async exportZip(): Promise<void> {
    const client = this.#client;
    if (!client || this.busy || !this.descriptor) return;
    this.busy = 'exporting';
    this.error = '';
    this.#host.requestUpdate();
    try {
      const r = await client.request({ type: 'export-dataset' });
      download(r.bytes, r.name, 'application/zip');
      this.done = `Exported ${r.name} (${(r.bytes.length / 2 ** 20).toFixed(1)} MiB): one folder of PNG images per class.`;
    } catch (e) {
      this.error = `Export failed: ${e instanceof Error ? e.message : String(e)}`;
    } finally {
      this.busy = '';
      this.#host.requestUpdate();
    }
  }

  async remove(): Promise<void> {
    const client = this.#client;
    if (!client || this.busy || !this.descriptor) return;
    this.busy = 'deleting';
    this.#host.requestUpdate();
    try {
      await client.request({ type: 'delete-dataset' });
      const name = this.descriptor.name;
      this.descriptor = null;
      this.preview = undefined;
      this.skipped = [];
      this.storage = (await client.request({ type: 'own-dataset' })).storage;
      this.done = `Deleted "${name}" from this browser.`;
      this.#changed(null, true);
    } catch (e) {
      this.error = `Delete failed: ${e instanceof Error ? e.message : String(e)}`;
    } finally {
      this.busy = '';
      this.#host.requestUpdate();
    }
  }
}
