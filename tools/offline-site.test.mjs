// Tests for the service worker generator (tools/offline-site.mjs): the source it writes is valid
// JavaScript that caches exactly the files it is given (relative to sw.js) under the given name, and
// only answers GET requests to its own origin.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Script } from 'node:vm';
import { serviceWorkerSource } from './offline-site.mjs';

test('sw.js caches the listed files under its cache name and serves them cache-first', async () => {
  const src = serviceWorkerSource(['assets/main-abc.js', 'data/mnist/t10k-images-idx3-ubyte.gz', 'index.html'], 'convplay-123');
  assert.doesNotThrow(() => new Script(src));
  const listeners = {};
  const cached = [];
  const store = new Map([['https://h/convplay/index.html', 'INDEX']]);
  const cache = {
    addAll: async (files) => void cached.push(...files),
    match: async (req, opts) => store.get(opts?.ignoreSearch ? req.url.split('?')[0] : req.url),
  };
  const self = {
    location: { origin: 'https://h' },
    addEventListener: (type, fn) => (listeners[type] = fn),
    skipWaiting: async () => {},
    clients: { claim: async () => {} },
  };
  const caches = { open: async (name) => (assert.equal(name, 'convplay-123'), cache), keys: async () => ['convplay-old', 'convplay-123', 'other'], delete: async () => true };
  new Script(src).runInNewContext({ self, caches, fetch: async () => 'NETWORK', URL, Promise });
  let waited;
  listeners.install({ waitUntil: (p) => (waited = p) });
  await waited;
  assert.deepEqual(cached, ['./', 'assets/main-abc.js', 'data/mnist/t10k-images-idx3-ubyte.gz', 'index.html']);

  const respond = async (request) => {
    let answer;
    listeners.fetch({ request, respondWith: (p) => (answer = p) });
    return answer && (await answer);
  };
  assert.equal(await respond({ method: 'GET', mode: 'navigate', url: 'https://h/convplay/index.html?x=1' }), 'INDEX');
  assert.equal(await respond({ method: 'GET', mode: 'cors', url: 'https://h/convplay/other.js' }), 'NETWORK');
  assert.equal(await respond({ method: 'POST', mode: 'cors', url: 'https://h/convplay/index.html' }), undefined);
  assert.equal(await respond({ method: 'GET', mode: 'cors', url: 'https://elsewhere/x.js' }), undefined);
});
