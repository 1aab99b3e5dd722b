// Why: a browser without WebGPU gets an explanation of what to do, never a blank page.
import { css, html, LitElement } from 'lit';
import { customElement, property } from 'lit/decorators.js';

@customElement('cp-gpu-unavailable')
export class CpGpuUnavailable extends LitElement {
  static override styles = css`
    :host { display: block; border: 1px solid #e0b000; background: #fff8e0; border-radius: 8px; padding: 12px 16px; }
    h2 { margin: 0 0 6px; font-size: 1.05rem; }
    p { margin: 4px 0; }
  `;

  @property() message = '';
  @property() help = '';

  override render() {
    return html`<section role="alert" aria-label="WebGPU unavailable">
      <h2>WebGPU is not available here, so training is off</h2>
      <p>${this.message}</p>
      <p>${this.help}</p>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cp-gpu-unavailable': CpGpuUnavailable;
  }
}
