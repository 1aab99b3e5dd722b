// Why: bench.html's script. `tools/bench-training.mjs` opens it in a fresh headless Chromium per run and
// calls window.benchTraining(options); the result comes back as plain JSON, log lines on the console.
import { benchConvplay } from './convplay-training';
import { benchTfjs } from './tfjs-training';
import type { TrainingOptions, TrainingResult } from './types';

const logEl = document.getElementById('log')!;
function log(line: string): void {
  console.log(`[bench] ${line}`);
  logEl.textContent += `\n${line}`;
}

window.benchTraining = async (o: TrainingOptions): Promise<TrainingResult> => {
  log(`run ${JSON.stringify(o)}`);
  return o.peer === 'convplay' ? benchConvplay(o, log) : benchTfjs(o, log);
};
log('ready');
