// Why: `npm run train:reference` drives this page in headless Chromium. It trains through the same
// worker and protocol the app uses, and prints one line per epoch and a final machine-readable line to
// the console (which the Node script relays). Options come from the query string.
import { getPreset, PRESET_IDS, newTrainConfig, type PresetId, type TrainConfig } from '../model';
import { EngineClient } from '../worker/engine-client';

const q = new URLSearchParams(location.search);
const log = document.getElementById('log')!;

function say(line: string): void {
  console.log(line);
  log.textContent += `\n${line}`;
}

function num(name: string): number | undefined {
  const v = q.get(name);
  return v === null ? undefined : Number(v);
}

async function main(): Promise<void> {
  const presetId = (q.get('preset') ?? 'reference-cnn') as PresetId;
  if (!PRESET_IDS.includes(presetId)) throw new Error(`unknown preset ${presetId}; one of ${PRESET_IDS.join(', ')}`);
  const preset = getPreset(presetId);
  const base = newTrainConfig({ ...preset.train });
  const optimizerKind = (q.get('optimizer') ?? base.optimizer.kind) as TrainConfig['optimizer']['kind'];
  const config: TrainConfig = {
    ...base,
    dataset: q.get('dataset') === 'fashion' || q.get('dataset') === 'fashion-mnist' ? 'fashion-mnist' : 'mnist',
    batch: num('batch') ?? base.batch,
    epochs: num('epochs') ?? base.epochs,
    seed: num('seed') ?? base.seed,
    optimizer: { ...(optimizerKind === base.optimizer.kind ? base.optimizer : { kind: optimizerKind }), kind: optimizerKind, lr: num('lr') ?? base.optimizer.lr },
    schedule: q.get('schedule') ? { kind: q.get('schedule') as TrainConfig['schedule']['kind'] } : base.schedule,
  };
  const subset = num('subset');
  const client = new EngineClient();
  const init = await client.request({ type: 'init' });
  if (init.type !== 'ready') throw new Error(`${init.message} ${init.help}`);
  say(`adapter ${init.adapter.vendor} ${init.adapter.architecture} ${init.adapter.description}`.trim());
  const built = await client.request({ type: 'build', spec: preset.spec, config, subset });
  say(`built ${presetId}: ${built.params} parameters, ${built.stepsPerEpoch} steps/epoch, batch ${config.batch}, ${config.optimizer.kind} lr ${config.optimizer.lr}, schedule ${config.schedule.kind}, seed ${config.seed}${subset ? `, first ${subset} images` : ''} (${built.buildMs.toFixed(0)} ms to plan, ${built.pipelines} pipelines)`);

  let samples = 0;
  let trainMs = 0;
  let epochStart = performance.now();
  let last = { acc: NaN, loss: NaN };
  const finished = new Promise<{ reason: string; message: string }>((resolve) => {
    client.listen((e) => {
      if (e.type === 'progress') {
        samples += e.points.length * config.batch;
        trainMs += e.points.length * e.msPerStep;
      } else if (e.type === 'epoch-end') {
        const secs = (performance.now() - epochStart) / 1000;
        last = { acc: e.testAccuracy, loss: e.testLoss };
        say(`epoch ${e.epoch + 1}/${config.epochs} test_accuracy=${e.testAccuracy.toFixed(4)} test_loss=${e.testLoss.toFixed(4)} epoch_s=${secs.toFixed(1)} eval_ms=${e.evalMs.toFixed(0)}`);
        epochStart = performance.now();
      } else if (e.type === 'paused') {
        resolve({ reason: e.reason, message: e.message });
      } else if (e.type === 'error') {
        resolve({ reason: 'error', message: e.message });
      }
    });
  });
  await client.request({ type: 'train' });
  const end = await finished;
  if (end.reason !== 'finished') throw new Error(`training stopped: ${end.message}`);
  const sps = samples / (trainMs / 1000);
  say(`result test_accuracy=${last.acc.toFixed(4)} test_loss=${last.loss.toFixed(4)} epochs=${config.epochs} samples_per_s=${sps.toFixed(0)}`);
  say('done');
}

main().catch((e: unknown) => {
  say(`error ${e instanceof Error ? e.message : String(e)}`);
});
