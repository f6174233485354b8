// The offline copy: exactly one release of the app, never a mix of two.
//
// This file is a template. scripts/finish-dist.mjs writes dist/sw.js from it
// with RELEASE filled in: every file of the build and its sha256. So each
// build's sw.js differs from the last, the browser installs it as an update,
// and its cache holds that release and nothing else:
// - install fetches every file, checked against its hash (an interrupted or
//   half-uploaded update fails to install; the last complete release stays);
// - only those files are ever served from the cache, and nothing is cached at
//   run time (visiting sw.js or any other URL online cannot change the copy);
// - the new release waits until the learner reloads (the page shows "a new
//   version is ready"), then replaces the old one whole.
const RELEASE = /* RELEASE */ { id: 'unbuilt', home: 'index.html', files: {} };

// Two copies of the app on one origin (say / and /study-lab/) share the
// cache storage, so a cache name carries the scope: each cleans only its own.
const SCOPE = new URL(self.registration.scope).pathname;
const PREFIX = `vango-study-lab ${SCOPE} `;
const CACHE = PREFIX + RELEASE.id;
const LEGACY = 'vango-study-lab-v1'; // the first service worker's one cache

self.addEventListener('install', (event) => {
  event.waitUntil(precache());
});

async function precache() {
  const cache = await caches.open(CACHE);
  await Promise.all(Object.entries(RELEASE.files).map(async ([name, integrity]) => {
    // Kept from an earlier, interrupted install of this same release: it was checked then.
    if (await cache.match(name)) return;
    // no-cache: never trust the HTTP cache for a page; integrity: the browser
    // rejects a body that is not this release's (a server midway through an upload).
    const response = await fetch(name, { cache: 'no-cache', integrity });
    if (!response.ok) throw new Error(`${name}: HTTP ${response.status}`);
    // A host that redirects (index.html to ./) would hand back a response a
    // navigation may not use; keep the body only.
    await cache.put(name, response.redirected ? new Response(await response.blob(), response) : response);
  }));
}

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) {
      if ((key.startsWith(PREFIX) && key !== CACHE) || key === LEGACY) await caches.delete(key);
    }
    await self.clients.claim();
  })());
});

// The page's "Reload" button: take over now instead of when every tab closes.
self.addEventListener('message', (event) => {
  if (event.data === 'skip-waiting') self.skipWaiting();
});

/** The release file a request asks for, or null if it is not one of ours. */
function releaseFile(request) {
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return null;
  if (!url.pathname.startsWith(SCOPE)) return null;
  // A page may carry a query (a campaign link); assets never do.
  if (url.search && request.mode !== 'navigate') return null;
  let name;
  try {
    name = decodeURIComponent(url.pathname.slice(SCOPE.length)) || RELEASE.home;
  } catch (_) {
    return null; // a malformed escape: not a file of ours
  }
  return Object.hasOwn(RELEASE.files, name) ? name : null;
}

self.addEventListener('fetch', (event) => {
  const name = releaseFile(event.request);
  if (name === null) return; // not the app's: the network, untouched and uncached
  event.respondWith((async () => {
    const cached = await (await caches.open(CACHE)).match(name);
    // Missing only if the browser evicted the cache: the network still has it, or says why not.
    return cached ?? fetch(event.request);
  })());
});
