// Why: harness.html serves several headless runs; `?mode=` picks one (default: a training run).
const mode = new URLSearchParams(location.search).get('mode') ?? 'train';
if (mode === 'export') void import('./export-run');
else if (mode === 'pytorch') void import('./pytorch-run');
else void import('./train-run');
