// Why: the one contract between the page and the engine worker. Commands go in, events come out;
// both are discriminated unions switched exhaustively on each side. Typed arrays are transferred.

/** The adapter as the page shows it. */
export interface AdapterReport {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  isSoftware: boolean;
  features: string[];
  limits: Record<string, number>;
}

export type DatasetName = 'mnist' | 'fashion-mnist';
export type Split = 'train' | 'test';

export type Command =
  | { type: 'init' }
  | { type: 'load-dataset'; dataset: DatasetName }
  | { type: 'get-samples'; dataset: DatasetName; split: Split; start: number; count: number };

/** A command as sent: every command carries an id that its reply names. */
export type Envelope<C extends Command = Command> = C & { id: number };

export type WorkerEvent =
  | { type: 'ready'; replyTo: number; adapter: AdapterReport }
  | { type: 'gpu-unavailable'; replyTo: number; message: string; help: string }
  | { type: 'dataset-loaded'; replyTo: number; dataset: DatasetName; trainCount: number; testCount: number; classNames: readonly string[] }
  | { type: 'samples'; replyTo: number; dataset: DatasetName; split: Split; start: number; rows: number; cols: number; images: Uint8Array; labels: Uint8Array }
  | { type: 'error'; replyTo?: number; kind: string; message: string }
  | { type: 'device-lost'; reason: string; message: string };

export type ReplyTo<C extends Command['type']> = C extends 'init'
  ? Extract<WorkerEvent, { type: 'ready' | 'gpu-unavailable' }>
  : C extends 'load-dataset'
    ? Extract<WorkerEvent, { type: 'dataset-loaded' }>
    : C extends 'get-samples'
      ? Extract<WorkerEvent, { type: 'samples' }>
      : never;
