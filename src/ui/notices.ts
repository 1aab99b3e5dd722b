// Why: the page's notices above the workspace (a link that could not be read, a crashed engine, a lost
// GPU device, a file dragged over the page), rendered from the controllers' state, each with its way out.
import { html, nothing } from 'lit';
import { fmt } from '../model';
import type { DesignController } from './controllers/design-controller';
import type { EngineController } from './controllers/engine-controller';
import type { FileController } from './controllers/file-controller';
import type { TrainingController } from './controllers/training-controller';

export interface NoticeSources {
  design: DesignController;
  engine: EngineController;
  files: FileController;
  training: TrainingController;
  /** Redraws the page after a notice is dismissed. */
  requestUpdate(): void;
}

export function notices({ design, engine, files, training, requestUpdate }: NoticeSources) {
  const crash = engine.crash;
  const rec = training.recovery;
  const kept = training.kept;
  return html`${design.notice
      ? html`<div class="notice" role="alert" aria-label="Link problem"><span>${design.notice}</span>
          <button @click=${() => design.dismissNotice()}>Dismiss</button></div>`
      : nothing}
    ${crash
      ? html`<div class="notice bad" role="alert" aria-label="Engine crashed">
          <span>${crash.message}. ${crash.restarted
            ? html`A fresh engine was started; your design is kept.${kept ? ` The weights kept in memory at step ${fmt(kept.step)} can be restored.` : ' No weights were kept (none had been saved yet): press Train to start again.'}`
            : 'Restarting the engine…'}</span>
          <span class="actions">
            ${kept ? html`<button ?disabled=${!crash.restarted || !!files.busy || !engine.ready} @click=${() => void files.restoreKept()}>Restore last saved weights</button>` : nothing}
            <button @click=${() => engine.dismissCrash()}>Dismiss</button>
          </span>
        </div>`
      : nothing}
    ${rec
      ? html`<div class="notice" role="alert" aria-label="GPU device lost">
          <span>The GPU device was lost${rec.reason ? ` (${rec.reason})` : ''}; the engine recovered at step ${fmt(rec.step)}: ${rec.message} Press Train to continue.</span>
          <button @click=${() => ((training.recovery = undefined), requestUpdate())}>Dismiss</button>
        </div>`
      : nothing}
    ${files.dropping ? html`<div class="drop" role="status" aria-label="Drop a file"><span>Drop a .safetensors file to load its network and weights</span></div>` : nothing}`;
}
