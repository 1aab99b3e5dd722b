// Why: `npm run check:export` (tools/check-train-export.mjs) drives this page. It builds a preset the
// way the app would train it and leaves what the PyTorch download holds (model.py, train.py) and the
// app's initial weights (a step-0 checkpoint) on window; then, given the weights PyTorch trained, it
// loads them through the app's own import and predicts the test set, as "Load weights" would.
import { predictionsToSafetensors, toPyTorch, toTrainScript } from '../export';
import { getPreset, newTrainConfig, PRESET_IDS, type PresetId } from '../model';
import { EngineClient } from '../worker/engine-client';

declare global {
  interface Window {
    __convplayPyTorch?: { modelPy: string; trainPy: string; init: string };
    /** Loads a checkpoint (base64) into the app and returns its test-set predictions file (base64). */
    __convplayPredict?: (weights: string) => Promise<string>;
  }
}

const q = new URLSearchParams(location.search);

function base64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

async function main(): Promise<void> {
  const presetId = (q.get('preset') ?? 'reference-cnn') as PresetId;
  if (!PRESET_IDS.includes(presetId)) throw new Error(`unknown preset ${presetId}`);
  const preset = getPreset(presetId);
  const config = newTrainConfig({ ...preset.train, epochs: Number(q.get('epochs') ?? preset.train.epochs), seed: Number(q.get('seed') ?? preset.train.seed) });
  const doc = { spec: preset.spec, train: config };
  const client = new EngineClient();
  const init = await client.request({ type: 'init' });
  if (init.type !== 'ready') throw new Error(init.message);
  await client.request({ type: 'build', spec: preset.spec, config, subset: Number(q.get('subset') ?? 1000) });
  const ckpt = await client.request({ type: 'export-checkpoint', includeOptimizer: false });
  window.__convplayPredict = async (weights: string) => {
    const bytes = Uint8Array.from(atob(weights), (c) => c.charCodeAt(0));
    const loaded = await client.request({ type: 'import-checkpoint', bytes });
    const p = await client.request({ type: 'predict-test-set' });
    console.log(`loaded weights at step ${loaded.step}; predicted ${p.count} test images`);
    return base64(predictionsToSafetensors({ probabilities: p.probabilities, count: p.count, classes: p.classes, dataset: p.dataset, split: 'test', step: p.step }));
  };
  window.__convplayPyTorch = { modelPy: toPyTorch(doc), trainPy: toTrainScript(doc), init: base64(ckpt.bytes) };
  console.log('done');
}

main().catch((e: unknown) => console.log(`error ${e instanceof Error ? e.message : String(e)}`));
