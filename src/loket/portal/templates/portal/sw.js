// Loket service worker. Static files: cache first. Pages: network first; the report form and
// the offline page are kept so that a citizen can open the form and draft a report without a
// connection (the draft itself is kept by offline-drafts.js and sent when online).
"use strict";
const CONFIG = {{ config|safe }};

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CONFIG.cache)
      .then((cache) => cache.addAll(CONFIG.shell.concat([CONFIG.offline])))
      .then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(
        keys.filter((k) => k.startsWith("loket-") && k !== CONFIG.cache).map((k) => caches.delete(k))
      ))
      .then(() => self.clients.claim())
  );
});

function keptPage(url) {
  return CONFIG.offlinePages.some((path) => url.pathname === path);
}

function staticFirst(request) {
  return caches.match(request).then((hit) => hit || fetch(request).then((response) => {
    if (response.ok) {
      const copy = response.clone();
      caches.open(CONFIG.cache).then((cache) => cache.put(request, copy));
    }
    return response;
  }));
}

function pageNetworkFirst(request, url) {
  return fetch(request).then((response) => {
    if (response.ok && keptPage(url)) {
      const copy = response.clone();
      caches.open(CONFIG.cache).then((cache) => cache.put(url.pathname, copy));
    }
    return response;
  }).catch(() => caches.match(keptPage(url) ? url.pathname : request, { ignoreSearch: true })
    .then((hit) => hit || caches.match(CONFIG.offline))
    .then((hit) => hit || Response.error()));
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (CONFIG.bypass.some((prefix) => url.pathname.startsWith(prefix))) return;
  if (url.pathname.startsWith(CONFIG.static)) {
    event.respondWith(staticFirst(request));
  } else if (request.mode === "navigate") {
    event.respondWith(pageNetworkFirst(request, url));
  }
});
