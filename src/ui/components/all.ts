// Why: <cp-app> renders every component; importing this one module registers all their tags.
import './cp-digit-grid';
import './cp-train-controls';
import './cp-loss-chart';
import './cp-activation-view';
import './cp-filter-view';
import './cp-draw-pad';
import './cp-input-view';
import './cp-probabilities';
import './cp-confusion-matrix';
import './cp-gpu-unavailable';
import './cp-design-toolbar';
import './cp-layer-palette';
import './cp-network-editor';
import './cp-network-diagram';
import './cp-layer-inspector';
import './cp-summary-table';
import './cp-file-panel';
