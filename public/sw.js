// Offline support. After the first visit, both pages and every asset load
// with no server at all (a USB stick that was unplugged, a train).
// Pages are network-first, so a new build shows whenever the server is there;
// assets carry a content hash in their name, so they are cache-first.
const CACHE = 'vango-study-lab-v1';
const PAGES = ['./', 'lab.html'];

// The hashed assets a page names: stylesheet, script, wasm.
function assetsOf(html) {
  const found = html.matchAll(/(?:href=|from |module_or_path: )["']\.\/([^"'#?]+)["']/g);
  return [...new Set([...found].map((m) => m[1]))];
}

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    for (const page of PAGES) {
      try {
        const response = await fetch(page, { cache: 'no-cache' });
        if (!response.ok) continue;
        const html = await response.clone().text();
        await cache.put(page, response);
        await cache.addAll(assetsOf(html));
      } catch (_) {
        // Offline while installing: the fetch handler caches as pages load.
      }
    }
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) if (key !== CACHE) await caches.delete(key);
    await self.clients.claim();
  })());
});

/** The cached copy of a page: `lab.html`, or the app itself for any other. */
function pageKey(url) {
  return new URL(url).pathname.endsWith('/lab.html') ? 'lab.html' : './';
}

async function networkFirst(request) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(pageKey(request.url), response.clone());
    return response;
  } catch (err) {
    const cached = await cache.match(pageKey(request.url));
    if (cached) return cached;
    throw err;
  }
}

async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith(request.mode === 'navigate' ? networkFirst(request) : cacheFirst(request));
});
