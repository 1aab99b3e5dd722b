// Why: the page's own layout and the few rules shared by its sections (cards, notices, the status
// line); each component styles itself. Kept out of <cp-app> so the mediator reads as behaviour.
import { css } from 'lit';

export const appStyles = css`
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
    .notice.bad { border-color: #f0a0a0; background: #fff5f5; }
    .notice .actions { display: flex; gap: 8px; flex-shrink: 0; }
    .notice button { font: inherit; font-size: 0.85rem; border: 1px solid #d0b060; background: #fff; border-radius: 6px; padding: 2px 10px; cursor: pointer; }
    .designer {
      display: grid; gap: 12px; align-items: start;
      grid-template-columns: minmax(170px, 210px) minmax(0, 1fr) minmax(260px, 340px);
      grid-template-areas: 'toolbar toolbar toolbar' 'palette network inspector' 'summary summary summary';
    }
    cp-design-toolbar { grid-area: toolbar; }
    cp-layer-palette { grid-area: palette; }
    cp-network-editor { grid-area: network; }
    cp-layer-inspector { grid-area: inspector; position: sticky; top: 8px; }
    cp-summary-table { grid-area: summary; }
    .training { display: grid; gap: 12px; margin-top: 16px; grid-template-columns: minmax(300px, 420px) minmax(0, 1fr); align-items: start; }
    .training > h2, .inside > h2 { grid-column: 1 / -1; font-size: 1.2rem; margin: 8px 0 0; }
    .status {
      grid-column: 1 / -1; display: flex; flex-wrap: wrap; gap: 6px 18px; font-size: 0.85rem; color: var(--cp-muted, #5c6270);
      border: 1px solid var(--cp-border, #e3e5ea); border-radius: 10px; padding: 6px 12px; background: #fafbfc; font-variant-numeric: tabular-nums;
    }
    .status b { color: var(--cp-text, #1b1b1f); font-weight: 600; }
    .progress { flex-basis: 100%; height: 4px; border-radius: 2px; background: #e9ecef; overflow: hidden; }
    .progress span { display: block; height: 100%; background: var(--cp-accent, #3b5bdb); transition: width 0.3s; }
    .inside { display: grid; gap: 12px; margin-top: 16px; grid-template-columns: minmax(280px, 360px) minmax(0, 1fr); align-items: start; }
    .inside .left { display: grid; gap: 12px; }
    .inside .right { display: grid; gap: 12px; min-width: 0; }
    .card { background: var(--cp-surface, #fff); border: 1px solid var(--cp-border, #e3e5ea); border-radius: 12px; padding: 12px 14px; box-shadow: 0 1px 2px rgb(16 24 40 / 0.06); }
    .card h3 { font-size: 0.95rem; margin: 0 0 8px; }
    .pad { display: flex; gap: 12px; flex-wrap: wrap; align-items: flex-start; }
    .pad cp-probabilities { flex: 1; min-width: 150px; }
    .source { font-size: 0.8rem; color: var(--cp-muted, #5c6270); margin: 0 0 6px; }
    cp-file-panel { grid-column: 1 / -1; }
    .drop {
      position: fixed; inset: 0; z-index: 10; display: flex; align-items: center; justify-content: center; pointer-events: none;
      background: rgb(59 91 219 / 0.12); border: 3px dashed var(--cp-accent, #3b5bdb); font-size: 1.3rem; font-weight: 600; color: #243b80;
    }
    .drop span { background: #fff; padding: 16px 24px; border-radius: 12px; box-shadow: 0 4px 16px rgb(16 24 40 / 0.15); }
    .sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
    @media (max-width: 1000px) {
      .training, .inside { grid-template-columns: minmax(0, 1fr); }
      .designer {
        grid-template-columns: minmax(160px, 200px) minmax(0, 1fr);
        grid-template-areas: 'toolbar toolbar' 'palette network' 'inspector inspector' 'summary summary';
      }
      cp-layer-inspector { position: static; }
    }
    @media (max-width: 640px) {
      :host { padding: 10px; }
      .designer { grid-template-columns: minmax(0, 1fr); grid-template-areas: 'toolbar' 'palette' 'network' 'inspector' 'summary'; }
    }
`;
