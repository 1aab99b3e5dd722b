// Why: `npm run check:export` drives this page: it trains a preset briefly through the app's worker,
// then produces exactly what a user's "Save weights", "Export PyTorch", "Export ONNX" and "Export
// predictions" give (checkpoint, model.py, model.onnx, test-set predictions) and leaves them on
// window for the Node scripts (tools/check-export.mjs, tools/check-onnx-export.mjs).
import { fromSafetensors, predictionsToSafetensors, toOnnx, toPyTorch } from '../export';
import { getPreset, newTrainConfig, PRESET_IDS, type PresetId } from '../model';
import { EngineClient } from '../worker/engine-client';

declare global {
  interface Window {
    __convplayExport?: { modelPy: string; weights: string; predictions: string; onnx: string; step: number };
  }
}

const q = new URLSearchParams(location.search);

function base64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

async function main(): Promise<void> {
  const presetId = (q.get('preset') ?? 'mlp') as PresetId;
  if (!PRESET_IDS.includes(presetId)) throw new Error(`unknown preset ${presetId}`);
  const preset = getPreset(presetId);
  const config = newTrainConfig({ ...preset.train, batch: 100, epochs: 1, seed: Number(q.get('seed') ?? 1) });
  const client = new EngineClient();
  const init = await client.request({ type: 'init' });
  if (init.type !== 'ready') throw new Error(init.message);
  await client.request({ type: 'build', spec: preset.spec, config, subset: Number(q.get('subset') ?? 5000) });
  await client.request({ type: 'step', count: Number(q.get('steps') ?? 30) });
  const ckpt = await client.request({ type: 'export-checkpoint', includeOptimizer: false });
  const p = await client.request({ type: 'predict-test-set' });
  const predictions = predictionsToSafetensors({ probabilities: p.probabilities, count: p.count, classes: p.classes, dataset: p.dataset, split: 'test', step: p.step });
  const doc = { spec: preset.spec, train: config };
  const onnx = toOnnx(doc, fromSafetensors(ckpt.bytes).tensors);
  window.__convplayExport = { modelPy: toPyTorch(doc), weights: base64(ckpt.bytes), predictions: base64(predictions), onnx: base64(onnx), step: ckpt.step };
  console.log(`exported ${presetId} at step ${ckpt.step}`);
  console.log('done');
}

main().catch((e: unknown) => console.log(`error ${e instanceof Error ? e.message : String(e)}`));
