// Why: after the first visit convplay should work without a network (a classroom, a train). The
// production build ships sw.js (tools/offline-site.mjs), which caches the app and the datasets; this
// registers it. The dev server and the test build have no sw.js, so nothing is registered there.
export function registerOffline(): void {
  if (import.meta.env.MODE !== 'production' || !('serviceWorker' in navigator)) return;
  // Relative to the page, so the site works from any folder; the worker's scope is that folder.
  navigator.serviceWorker.register('./sw.js').catch((e: unknown) => {
    console.warn(`convplay will not work offline: the service worker did not register (${e instanceof Error ? e.message : String(e)})`);
  });
}
