{% autoescape off %}// Ancrage player service worker (scope /play/): the shell, bundles and media of paths in
// progress stay readable offline. Writes (POST) are never cached: the page's adapter queues
// them and sends them when the network returns.
const CACHE = "ancrage-player-v1";
const SHELL = {{ shell }};

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith("ancrage-player-") && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

function immutable(url) {
  return url.pathname.startsWith("/static/") || url.pathname.includes("/media/");
}

async function cacheFirst(request) {
  const cached = await caches.match(request, { ignoreVary: true });
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) (await caches.open(CACHE)).put(request, response.clone());
  return response;
}

async function networkFirst(request) {
  try {
    const response = await fetch(request);
    if (response.ok && response.type === "basic") (await caches.open(CACHE)).put(request, response.clone());
    return response;
  } catch (error) {
    const cached = await caches.match(request, { ignoreVary: true });
    if (cached) return cached;
    if (request.mode === "navigate") {
      const url = new URL(request.url);
      const page = await caches.match(url.origin + url.pathname, { ignoreSearch: true, ignoreVary: true });
      if (page) return page;
    }
    throw error;
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (immutable(url)) event.respondWith(cacheFirst(request));
  else if (url.pathname.startsWith("/play/") || url.pathname === "/") event.respondWith(networkFirst(request));
});
{% endautoescape %}
