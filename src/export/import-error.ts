// Why: a checkpoint is untrusted bytes (a file the user picked, maybe not even ours), so reading it
// must fail in one predictable way: an ImportError saying which check failed (`reason`, stable enough
// for tests and the UI to switch on) and, in words, where and what (`detail`: the tensor, expected vs
// actual). Writing can only fail on a programming error in the caller; that is an ExportError.

/** Which check refused the file, from the outermost (bytes) to the innermost (one tensor's values). */
export type ImportReason =
  | 'too-short'
  | 'header-length'
  | 'header-json'
  | 'tensor-entry'
  | 'dtype'
  | 'shape'
  | 'offsets'
  | 'coverage'
  | 'metadata'
  | 'not-convplay'
  | 'version'
  | 'spec'
  | 'missing-tensor'
  | 'unexpected-tensor'
  | 'tensor-shape'
  | 'values'
  | 'optimizer';

/** Plain-object form (Errors lose their fields through postMessage). */
export interface ImportErrorInfo {
  reason: ImportReason;
  detail: string;
}

/** A file convplay refuses to load, and why. */
export class ImportError extends Error implements ImportErrorInfo {
  readonly reason: ImportReason;
  readonly detail: string;

  constructor(reason: ImportReason, detail: string) {
    super(`cannot load this checkpoint: ${detail}`);
    this.name = 'ImportError';
    this.reason = reason;
    this.detail = detail;
  }

  toJSON(): ImportErrorInfo {
    return { reason: this.reason, detail: this.detail };
  }

  static from(info: ImportErrorInfo): ImportError {
    return new ImportError(info.reason, info.detail);
  }
}

/** The caller handed the writer something inconsistent (a bug, not a user mistake). */
export class ExportError extends Error {
  /** The tensor or field at fault ('' for the whole file). */
  readonly subject: string;

  constructor(subject: string, message: string) {
    super(subject ? `${subject}: ${message}` : message);
    this.name = 'ExportError';
    this.subject = subject;
  }
}
