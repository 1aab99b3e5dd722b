// Why: Teachable-Machine style collecting with a camera: name a class, hold things up to the camera,
// capture frames, switch class, capture more, and build the dataset. Each capture is the frame's
// centred square (outlined on the preview, the same square the import keeps) as a PNG; "Build" sends
// them as "camera/<class>/capture-<n>.png" files through the same import as dropped files, so the
// size, colour and split options apply. Captures live in this page's memory only until built.
import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { emitDataset } from '../dataset-events';
import { collector, controls } from '../styles/shared';

/** Side of a captured square in pixels: above the largest import size (48), small in memory. */
const CAPTURE_SIDE = 96;
/** Held down, the Capture button takes a frame this often (ms). */
const BURST_MS = 200;
/** Thumbnails shown in the strip (the newest ones). */
const STRIP = 16;

interface Capture {
  className: string;
  blob: Blob;
  url: string;
}

/** The camera exists in this browser at all (a secure page with media devices). */
export const cameraOffered = (): boolean => typeof navigator !== 'undefined' && typeof navigator.mediaDevices?.getUserMedia === 'function';

/** A getUserMedia failure in words a learner can act on. */
/** Resolves on the video's next decoded frame, or after a second without one. */
function nextFrame(v: HTMLVideoElement): Promise<void> {
  return new Promise((done) => {
    const timer = setTimeout(done, 1000);
    const finish = () => {
      clearTimeout(timer);
      done();
    };
    // Older browsers without it still get the second's wait.
    (v.requestVideoFrameCallback as HTMLVideoElement['requestVideoFrameCallback'] | undefined)?.call(v, finish);
  });
}

export function cameraProblem(e: unknown): string {
  const name = e instanceof DOMException || e instanceof Error ? e.name : '';
  if (name === 'NotAllowedError' || name === 'SecurityError') return 'Camera permission was refused: allow the camera for this page in the browser (the icon in the address bar) and press "Start camera" again.';
  if (name === 'NotFoundError' || name === 'OverconstrainedError') return 'No camera found: connect one, or collect examples from files or drawings instead.';
  if (name === 'NotReadableError' || name === 'AbortError') return 'The camera could not be started: another program may be using it.';
  return `The camera could not be started: ${e instanceof Error ? e.message : String(e)}`;
}

@customElement('cp-dataset-camera')
export class CpDatasetCamera extends LitElement {
  static override styles = [
    controls,
    collector,
    css`
      .view { position: relative; width: min(100%, 320px); background: #111; border-radius: 8px; overflow: hidden; }
      video { display: block; width: 100%; height: auto; }
      /* The centred square the capture keeps: full height of a landscape frame, full width of a portrait one. */
      .crop { position: absolute; inset: 0; margin: auto; aspect-ratio: 1; outline: 2px dashed #ffd43b; box-shadow: 0 0 0 999px rgb(0 0 0 / 0.35); pointer-events: none; }
      .crop.wide { height: 100%; }
      .crop.tall { width: 100%; }
      .strip { display: flex; flex-wrap: wrap; gap: 4px; margin: 6px 0; }
      .strip img { width: 40px; height: 40px; border-radius: 4px; image-rendering: pixelated; }
      .error { color: var(--cp-error, #c92a2a); margin: 6px 0; }
      ul { margin: 4px 0; padding-left: 18px; }
      .note { font-size: 0.78rem; margin: 4px 0; }
      .muted { color: var(--cp-muted, #5c6270); }
      button.primary { background: var(--cp-accent, #3b5bdb); color: #fff; border-color: var(--cp-accent, #3b5bdb); }
      button[aria-pressed='true'] { border-color: var(--cp-accent, #3b5bdb); background: #eef2ff; font-weight: 600; }
    `,
  ];

  /** The builder is importing or exporting: no new build now. */
  @property({ type: Boolean }) busy = false;
  /** The builder's last error: a failed build keeps the captures. */
  @property() error = '';
  @state() private klass = 'class 1';
  @state() private stream: MediaStream | null = null;
  @state() private starting = false;
  @state() private problem = '';
  @state() private wide = true;
  /** The preview shows frames (its size is known): captures can start. */
  @state() private ready = false;
  @state() private captures: Capture[] = [];
  /** Captures still encoding (a press just before release lands after it): the button says it is busy. */
  @state() private pending = 0;
  /** A build was sent: when the builder stops being busy without an error, the captures are done with. */
  #sent = false;
  #burst?: ReturnType<typeof setInterval>;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#stop();
  }

  override updated(changed: PropertyValues<this>): void {
    if (changed.has('busy') && changed.get('busy') === true && !this.busy && this.#sent) {
      this.#sent = false;
      if (!this.error) this.#discard();
    }
  }

  async #start(): Promise<void> {
    this.problem = '';
    this.starting = true;
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ video: { width: { ideal: 640 }, height: { ideal: 480 } }, audio: false });
      if (!this.isConnected) {
        stream.getTracks().forEach((t) => t.stop());
        return;
      }
      this.stream = stream;
    } catch (e) {
      this.problem = cameraProblem(e);
    } finally {
      this.starting = false;
    }
  }

  // A pointer press captures at once and, held, keeps capturing; the keyboard's click captures once.
  #press = (e: PointerEvent) => {
    if (e.button !== 0) return;
    // Captured, the pointer's release reaches the button wherever it is (the page may shift as the
    // strip grows, which would otherwise read as leaving the button).
    (e.currentTarget as HTMLElement).setPointerCapture(e.pointerId);
    void this.#capture();
    this.#release();
    this.#burst = setInterval(() => void this.#capture(), BURST_MS);
  };

  #release = () => {
    clearInterval(this.#burst);
    this.#burst = undefined;
  };

  #keyClick = (e: MouseEvent) => {
    if (e.detail === 0) void this.#capture();
  };

  /** Stops the camera (its light goes off); the captures stay. */
  stop(): void {
    this.#stop();
  }

  #stop(): void {
    this.#release();
    this.stream?.getTracks().forEach((t) => t.stop());
    this.stream = null;
    this.ready = false;
  }

  get #video(): HTMLVideoElement | null {
    return this.renderRoot.querySelector('video');
  }

  #metadata = () => {
    const v = this.#video;
    if (!v) return;
    this.wide = v.videoWidth >= v.videoHeight;
    this.ready = v.videoWidth > 0;
  };

  async #capture(): Promise<void> {
    const v = this.#video;
    if (!v) return;
    this.pending++;
    try {
      await this.#captureFrom(v, this.#className());
    } finally {
      this.pending--;
    }
  }

  async #captureFrom(v: HTMLVideoElement, className: string): Promise<void> {
    // A stalled preview (a busy machine) can report no picture for a moment: wait for its next frame
    // rather than drop the press.
    if (v.videoWidth === 0 || v.readyState < HTMLMediaElement.HAVE_CURRENT_DATA) await nextFrame(v);
    if (v.videoWidth === 0) {
      this.problem = 'The camera gives no picture at the moment: nothing was captured. Try again, or stop and start the camera.';
      return;
    }
    this.problem = '';
    const side = Math.min(v.videoWidth, v.videoHeight);
    const out = Math.min(side, CAPTURE_SIDE);
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = out;
    canvas.getContext('2d')!.drawImage(v, (v.videoWidth - side) / 2, (v.videoHeight - side) / 2, side, side, 0, 0, out, out);
    const blob = await new Promise<Blob | null>((done) => canvas.toBlob(done, 'image/png'));
    if (!blob) return;
    this.captures = [...this.captures, { className, blob, url: URL.createObjectURL(blob) }];
  }

  #className(): string {
    // A "/" would make a folder of its own in the file path the import reads.
    return this.klass.trim().replace(/\//g, '_') || 'class 1';
  }

  #discard(): void {
    this.captures.forEach((c) => URL.revokeObjectURL(c.url));
    this.captures = [];
  }

  #build(): void {
    const n = new Map<string, number>();
    const files = this.captures.map((c) => {
      const k = (n.get(c.className) ?? 0) + 1;
      n.set(c.className, k);
      return { path: `camera/${c.className}/capture-${k}.png`, file: c.blob };
    });
    this.#sent = true;
    emitDataset(this, 'cp-dataset-files', { files });
  }

  get #counts(): [string, number][] {
    const m = new Map<string, number>();
    for (const c of this.captures) m.set(c.className, (m.get(c.className) ?? 0) + 1);
    return [...m];
  }

  override render() {
    if (!cameraOffered()) return html`<p class="muted note">This browser offers no camera to this page (a camera needs a secure https page).</p>`;
    const counts = this.#counts;
    const on = this.stream !== null;
    return html`<div class="row">
        ${on
          ? html`<button @click=${() => this.#stop()}>Stop camera</button>`
          : html`<button ?disabled=${this.starting} @click=${() => void this.#start()}>${this.starting ? 'Asking for the camera…' : 'Start camera'}</button>`}
        <label>Class <input type="text" aria-label="Class of the next capture" .value=${this.klass}
          @input=${(e: Event) => (this.klass = (e.target as HTMLInputElement).value)} /></label>
      </div>
      ${counts.length > 1 || (counts.length === 1 && counts[0]![0] !== this.#className())
        ? html`<div class="row" role="group" aria-label="Classes captured"><span class="muted">Switch to</span>
            ${counts.map(([name]) => html`<button aria-pressed=${name === this.#className()} @click=${() => (this.klass = name)}>${name}</button>`)}</div>`
        : nothing}
      ${this.problem ? html`<p class="error" role="alert" aria-label="Camera problem">${this.problem}</p>` : nothing}
      ${on
        ? html`<div class="view"><video aria-label="Camera preview" autoplay muted playsinline .srcObject=${this.stream} @loadedmetadata=${this.#metadata}></video>
              <div class="crop ${this.wide ? 'wide' : 'tall'}" title="The square each capture keeps"></div></div>
            <div class="row"><button class="primary" ?disabled=${!this.ready} aria-busy=${this.pending > 0} @pointerdown=${this.#press} @pointerup=${this.#release}
                @pointercancel=${this.#release} @lostpointercapture=${this.#release} @click=${this.#keyClick}>${this.ready ? `Capture to "${this.#className()}"` : 'Waiting for the picture…'}</button>
              <span class="muted">hold to capture a burst; the dashed square is what is kept</span></div>`
        : nothing}
      <p class="muted note">Captures stay in this page's memory only, until you build the dataset (then they are kept like imported images).</p>
      ${counts.length
        ? html`<ul aria-label="Captures collected">${counts.map(([name, k]) => html`<li>${name}: ${k} capture${k === 1 ? '' : 's'}</li>`)}</ul>
            <div class="strip" aria-label="Latest captures">${this.captures.slice(-STRIP).map((c, i, a) => html`<img src=${c.url} alt="Capture ${this.captures.length - a.length + i + 1} of ${c.className}" />`)}</div>
            <div class="row">
              <button class="primary" ?disabled=${this.busy} @click=${() => this.#build()}>Build dataset from ${this.captures.length} captures</button>
              <button ?disabled=${this.busy} @click=${() => this.#discard()}>Discard captures</button>
            </div>`
        : nothing}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cp-dataset-camera': CpDatasetCamera;
  }
}
