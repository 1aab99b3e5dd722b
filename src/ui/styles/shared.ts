// Why: buttons, boxes and panels look the same in every component; the colours are --cp-* custom
// properties so a theme (or dark mode) changes them in one place.
import { css } from 'lit';

export const panel = css`
  .panel {
    background: var(--cp-surface, #fff);
    border: 1px solid var(--cp-border, #e3e5ea);
    border-radius: var(--cp-radius, 12px);
    padding: 12px 14px;
    box-shadow: var(--cp-shadow, 0 1px 2px rgb(16 24 40 / 0.06));
  }
  h2 {
    font-size: 0.95rem;
    margin: 0 0 8px;
    letter-spacing: 0.01em;
  }
  .muted {
    color: var(--cp-muted, #5c6270);
  }
  .sr-only {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
`;

export const controls = css`
  button {
    font: inherit;
    font-size: 0.85rem;
    border: 1px solid var(--cp-border, #d0d4dc);
    background: var(--cp-surface, #fff);
    color: var(--cp-text, #1b1b1f);
    border-radius: 8px;
    padding: 4px 10px;
    cursor: pointer;
  }
  button:hover:not(:disabled) {
    border-color: var(--cp-accent, #3b5bdb);
    color: var(--cp-accent, #3b5bdb);
  }
  button:disabled {
    opacity: 0.45;
    cursor: not-allowed;
  }
  button.icon {
    padding: 2px 7px;
    line-height: 1.2;
  }
  :focus-visible {
    outline: 2px solid var(--cp-accent, #3b5bdb);
    outline-offset: 2px;
  }
  input,
  select {
    font: inherit;
    font-size: 0.85rem;
    border: 1px solid var(--cp-border, #d0d4dc);
    border-radius: 6px;
    padding: 3px 6px;
    background: var(--cp-surface, #fff);
    color: inherit;
    min-width: 0;
  }
  input[aria-invalid='true'] {
    border-color: var(--cp-error, #c92a2a);
    background: var(--cp-error-bg, #fff5f5);
  }
`;

/** The dataset builder's collectors (drawings, camera): a class box and rows of buttons. */
export const collector = css`
  :host { display: block; font-size: 0.85rem; }
  .row { display: flex; flex-wrap: wrap; gap: 6px 10px; align-items: center; margin: 6px 0; }
  input[type='text'] { width: 9em; }
`;
