// Why: the numbers and states a training run shows (phase, status line figures, the last evaluation,
// a recovery after a lost device) and the key that says whether the built network is the design's.
// Plain data, apart from the controller that keeps them current.
import type { ConvplayDocument } from '../../model';
import type { MemoryReport } from '../../worker/protocol';

export type TrainPhase = 'idle' | 'building' | 'running' | 'stepping' | 'paused' | 'finished' | 'diverged' | 'error';

export interface TrainStatus {
  step: number;
  epoch: number;
  stepInEpoch: number;
  stepsPerEpoch: number;
  totalSteps: number;
  lr: number;
  samplesPerSecond: number;
  msPerStep: number;
  memory?: MemoryReport;
  params?: number;
}

/** After a lost GPU device: the step whose weights the worker restored. */
export interface Recovery {
  step: number;
  /** Why the device was lost, as the browser said. */
  reason: string;
  /** The worker's account of the recovery. */
  message: string;
}

export interface Evaluation {
  epoch: number | null;
  loss: number;
  accuracy: number;
  confusion: Uint32Array;
  /** Predicted class of every test image, when the worker sends them. */
  predictions?: Uint8Array;
}

/** The fields that define a run: changing any of them needs a new build. */
export function buildKey(doc: ConvplayDocument, subset: number | null): string {
  const t = doc.train;
  return JSON.stringify({ spec: doc.spec, dataset: t.dataset, batch: t.batch, seed: t.seed, init: t.init ?? 'pytorch', subset });
}
