// Why: a file made on the page (weights, model.py, predictions) is handed to the browser as a real
// download: a Blob URL on an <a download>, clicked, and revoked once the browser has taken it.
/** Downloads `data` as `name`. */
export function download(data: Uint8Array | string, name: string, type = 'application/octet-stream'): void {
  const part: BlobPart = typeof data === 'string' ? data : (data.slice().buffer as ArrayBuffer);
  const url = URL.createObjectURL(new Blob([part], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  // The download has started by now; the URL is not needed again (a short delay for slow browsers).
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** A file-name-safe stem for a design: its preset id, or "convplay-network". */
export function fileStem(name: string): string {
  const s = name.toLowerCase().replace(/[^a-z0-9_.-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '').slice(0, 60);
  return s || 'convplay-network';
}
