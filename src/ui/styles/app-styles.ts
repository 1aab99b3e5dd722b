// Why: the page's own layout and the few rules shared by its sections (cards, notices, the status
// line); each component styles itself. Kept out of <cp-app> so the mediator reads as behaviour.
//
// The layout is a workspace in the manner of TensorFlow Playground: on a laptop (≥ 1200 px) three
// columns side by side, the design (palette, drawing, layers, inspector), training (controls, status,
// chart) and look inside (the selected image, its prediction and maps), so that all three are on the
// first screen; what needs more room (summary, files, filters, confusion matrix) follows below in its
// own column. Narrower, training and look inside share a row under the design; on a phone everything
// stacks. The design column arranges itself by its own width (a container query), not the window's;
// beside the layer list the inspector follows the list as it scrolls.
import { css } from 'lit';

export const appStyles = css`
  :host {
    --cp-accent: #3b5bdb;
    --cp-border: #e3e5ea;
    --cp-muted: #5c6270;
    --cp-error: #c92a2a;
    display: block; font: 15px/1.5 var(--cp-font, system-ui, sans-serif); color: var(--cp-text, #1b1b1f);
    max-width: 2200px; margin: 0 auto; padding: 8px 16px 16px; box-sizing: border-box;
  }
  header { display: flex; align-items: baseline; gap: 4px 16px; flex-wrap: wrap; margin-bottom: 6px; }
  h1 { margin: 0; font-size: 1.35rem; }
  h2 { font-size: 1.05rem; margin: 0; }
  .adapter { color: var(--cp-muted, #555); font-size: 0.85rem; }
  .error { color: #b00020; }
  .notice {
    display: flex; gap: 12px; align-items: center; justify-content: space-between; margin: 0 0 8px;
    border: 1px solid #e0b000; background: #fff8e0; border-radius: 8px; padding: 8px 12px; font-size: 0.9rem;
  }
  .notice.bad { border-color: #f0a0a0; background: #fff5f5; }
  .notice .actions { display: flex; gap: 8px; flex-shrink: 0; }
  .notice button { font: inherit; font-size: 0.85rem; border: 1px solid #d0b060; background: #fff; border-radius: 6px; padding: 2px 10px; cursor: pointer; }

  .workspace { display: grid; gap: 12px; align-items: start; grid-template-columns: minmax(0, 1fr); }
  .workspace > * { min-width: 0; display: grid; gap: 10px; align-content: start; }
  .workspace > * > * { min-width: 0; }
  @media (min-width: 760px) {
    .workspace { grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); grid-template-areas: 'design design' 'training inside'; }
    .design-col { grid-area: design; }
    .training { grid-area: training; }
    .inside { grid-area: inside; }
  }
  @media (min-width: 1200px) {
    .workspace { grid-template-columns: minmax(0, 1fr) 340px 360px; grid-template-areas: 'design training inside'; }
  }
  @media (min-width: 1600px) {
    .workspace { grid-template-columns: minmax(0, 1fr) 400px 440px; }
  }

  /* The design column: one column when narrow; palette as a strip with the inspector beside the layers
     at laptop widths; palette, layers and inspector side by side when wide. */
  .design-col { container-type: inline-size; }
  .designer { display: grid; gap: 10px; align-items: start; grid-template-columns: minmax(0, 1fr); }
  .designer > * { min-width: 0; }
  @container (min-width: 560px) {
    .designer {
      grid-template-columns: minmax(0, 1fr) 230px;
      grid-template-areas: 'toolbar toolbar' 'palette palette' 'diagram diagram' 'network inspector' 'summary summary';
    }
    cp-design-toolbar { grid-area: toolbar; }
    cp-layer-palette { grid-area: palette; }
    cp-network-diagram { grid-area: diagram; }
    cp-network-editor { grid-area: network; }
    cp-summary-table { grid-area: summary; }
    /* Beside the layers the inspector's column is as tall as the list (no hole under it), and the
       inspector keeps in view while the list scrolls by, next to the layer being edited. The column
       wears the panel; the inspector's own frame goes (its theme variables), its content sticks. */
    .inspector-col {
      grid-area: inspector; align-self: stretch;
      background: var(--cp-surface, #fff); border: 1px solid var(--cp-border, #e3e5ea); border-radius: 12px; box-shadow: 0 1px 2px rgb(16 24 40 / 0.06);
    }
    .inspector-col > * {
      position: sticky; top: 8px; max-height: calc(100vh - 16px); overflow: hidden auto;
      --cp-border: transparent; --cp-shadow: none;
    }
  }
  @container (min-width: 900px) {
    .designer {
      grid-template-columns: 180px minmax(0, 1fr) 270px;
      grid-template-areas: 'toolbar toolbar toolbar' 'palette diagram diagram' 'palette network inspector' 'summary summary summary';
    }
    /* The palette's column, too, reaches down to the summary. */
    cp-layer-palette { align-self: stretch; }
  }

  .status {
    position: relative; display: flex; flex-wrap: wrap; gap: 2px 14px; font-size: 0.8rem; color: var(--cp-muted, #5c6270);
    border: 1px solid var(--cp-border, #e3e5ea); border-radius: 10px; padding: 4px 10px 7px; background: #fafbfc; font-variant-numeric: tabular-nums;
  }
  .status b { color: var(--cp-text, #1b1b1f); font-weight: 600; }
  .progress { position: absolute; left: 10px; right: 10px; bottom: 1px; height: 3px; border-radius: 2px; background: #e9ecef; overflow: hidden; }
  .progress span { display: block; height: 100%; background: var(--cp-accent, #3b5bdb); transition: width 0.3s; }
  cp-loss-chart { --cp-chart-height: 210px; }
  @media (max-height: 800px) {
    cp-loss-chart { --cp-chart-height: 150px; }
    .inside { --cp-pad-size: 120px; }
  }
  @media (min-height: 1000px) {
    cp-loss-chart { --cp-chart-height: 280px; }
  }

  .card { background: var(--cp-surface, #fff); border: 1px solid var(--cp-border, #e3e5ea); border-radius: 12px; padding: 10px 12px; box-shadow: 0 1px 2px rgb(16 24 40 / 0.06); }
  .card h2 { font-size: 0.95rem; margin: 0 0 6px; }
  .card h2 .muted { font-weight: 400; font-size: 0.8rem; color: var(--cp-muted, #5c6270); }
  .inside { --cp-digit-size: 34px; --cp-digit-gap: 6px; --cp-pad-size: 140px; }
  header .status { flex: 1 1 520px; }
  .pad { display: flex; gap: 10px; flex-wrap: wrap; align-items: flex-start; margin-top: 8px; }
  .pad cp-probabilities { flex: 1; min-width: 140px; }
  .source { font-size: 0.8rem; color: var(--cp-muted, #5c6270); margin: 0; }
  .drop {
    position: fixed; inset: 0; z-index: 10; display: flex; align-items: center; justify-content: center; pointer-events: none;
    background: rgb(59 91 219 / 0.12); border: 3px dashed var(--cp-accent, #3b5bdb); font-size: 1.3rem; font-weight: 600; color: #243b80;
  }
  .drop span { background: #fff; padding: 16px 24px; border-radius: 12px; box-shadow: 0 4px 16px rgb(16 24 40 / 0.15); }
  .sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
  @media (max-width: 640px) {
    :host { padding: 8px; }
  }
`;
