// The field client's service worker (scope /field/): keeps the shell and its static files of one version, so the
// client opens without a network; the officer's data is kept by the page in IndexedDB, not here.
const VERSION = "{{ version }}";
const CACHE = `field-${VERSION}`;
const SHELL = {{ shell_url|safe }};
const URLS = {{ urls|safe }};

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    await cache.addAll(URLS.filter((u) => u !== SHELL));
    // The shell only when it is the shell: a signed-out visit answers the login page, which must not be kept as it.
    const shell = await fetch(SHELL, { credentials: "same-origin", redirect: "manual" });
    if (shell.ok && shell.type === "basic") await cache.put(SHELL, shell);
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith("field-") && name !== CACHE) await caches.delete(name); // a deploy replaces the old version
    }
    await self.clients.claim();
  })());
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && url.pathname === SHELL) {
    // The network first (a fresh shell, or the login page when the session is gone); the kept shell when offline.
    event.respondWith((async () => {
      try {
        const response = await fetch(request);
        if (response.ok && response.type === "basic" && !response.redirected) {
          const cache = await caches.open(CACHE);
          await cache.put(SHELL, response.clone());
        }
        return response;
      } catch (error) {
        const kept = await caches.match(SHELL, { cacheName: CACHE });
        if (kept) return kept;
        throw error;
      }
    })());
    return;
  }
  if (URLS.includes(url.pathname + url.search)) {
    event.respondWith(caches.match(request, { cacheName: CACHE }).then((kept) => kept || fetch(request)));
  }
  // Everything else (the API above all) goes to the network as it is: the page decides what to keep.
});
