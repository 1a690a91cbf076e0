/* RunRehab's service worker (served at /sw.js by web/pages/offline.py): the app works offline.
   - the app's shell (styles, scripts, icons) is kept when installed; a static file's address
     carries a hash of its content (?v=), so a kept copy is served first and is never stale;
   - Today, the check-in form and the exercise pages: the network first, the kept copy without
     a connection, and the offline page for a page never opened;
   - a check-in form posted without a connection is kept (IndexedDB) and the runner is taken to
     Today, which says it will be sent; js/offline.js sends it when the connection is back. */
"use strict";

const CONFIG = {{ config|tojson }};
const STATIC = "runrehab-static";
const PAGES = "runrehab-pages";
const OFFLINE = "/offline";

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(STATIC).then((cache) => cache.addAll([...CONFIG.shell, OFFLINE])).then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(prune().then(() => self.clients.claim()));
});

/* Drops kept static files an address of which is no longer the current one. */
async function prune() {
  const current = new Set(CONFIG.shell.map((url) => new URL(url, self.location.origin).href));
  const paths = new Set([...current].map((href) => new URL(href).pathname));
  const cache = await caches.open(STATIC);
  for (const request of await cache.keys()) {
    const url = new URL(request.url);
    if (paths.has(url.pathname) && !current.has(url.href)) await cache.delete(request);
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === "POST") {
    if (url.pathname === "/logout") event.respondWith(forget().then(() => fetch(request)));
    // a kept check-in being sent again (it carries its time) goes to the network as it is
    else if (CONFIG.queued.includes(url.pathname) && !request.headers.has(CONFIG.made_at)) {
      event.respondWith(postOrKeep(request));
    }
    return;
  }
  if (request.method !== "GET") return;
  if (url.pathname.startsWith("/static/")) event.respondWith(cacheFirst(request));
  else if (request.mode === "navigate") event.respondWith(networkFirst(request, url));
});

/* What js/offline.js asks, answered on the port it gives:
   {keep: [paths]}  keep a fresh copy of these pages (Today and the check-in when the runner
                    signs in, the page it is on when this did not serve it); answers the paths kept;
   {count: true}    how many check-ins are kept, not sent yet;
   {send: token}    send the kept check-ins (token: the page's CSRF token); answers
                    {outcome: "sent" | "refused" | "signin" | "later", answer: the answer's address}. */
self.addEventListener("message", (event) => {
  const asked = event.data || {};
  const reply = event.ports && event.ports[0];
  let work = Promise.resolve(null);
  if (asked.keep) work = Promise.all(asked.keep.filter(keptPage).map(refresh)).then((kept) => kept.filter(Boolean));
  else if (asked.count) work = all().then((items) => items.length).catch(() => 0);
  else if (asked.send) work = send(asked.send);
  event.waitUntil(work.then((answer) => reply && reply.postMessage(answer)));
});

/* A fresh copy of the page at ``path``; its path when kept (not a redirect to the log-in or
   the assessment), else null. */
async function refresh(path) {
  try {
    const response = await fetch(path, { credentials: "same-origin", redirect: "manual" });
    if (!response.ok || response.type !== "basic") return null;
    await (await caches.open(PAGES)).put(path, response);
    return path;
  } catch (failed) {
    return null; // no connection: the copy kept before stays
  }
}

/* Sends the kept check-ins, oldest first, each with when it was made and when it is sent (the
   server keeps whichever check-in of the day is newer: services/journal/offline.py). One refused
   for good is dropped (the runner is told); one that cannot be sent yet stays for next time. */
let sending = null;
function send(token) {
  sending = sending || sendAll(token)
    .catch(() => ({ outcome: "later", answer: "" }))
    .finally(() => { sending = null; });
  return sending;
}

async function sendAll(token) {
  const result = { outcome: "sent", answer: "" };
  for (const item of await all()) {
    const body = new URLSearchParams(item.body);
    body.set("csrf_token", token);
    const headers = { "X-CSRF-Token": token };
    headers[CONFIG.made_at] = String(item.madeAt);
    headers[CONFIG.sent_at] = String(Date.now());
    let response;
    try {
      response = await fetch(item.url, { method: "POST", body, headers, credentials: "same-origin" });
    } catch (failed) {
      return { outcome: "later", answer: "" };
    }
    const landed = new URL(response.url).pathname;
    if (landed === "/login" || response.status === 401 || response.status === 403) return { outcome: "signin", answer: "" };
    if (response.ok) {
      if (landed === "/checkin/done") result.answer = response.url;
    } else if (response.status >= 400 && response.status < 500) {
      result.outcome = "refused";
    } else {
      return { outcome: "later", answer: "" };
    }
    await queue("readwrite", (store) => store.delete(item.id));
  }
  return result;
}

async function cacheFirst(request) {
  const cache = await caches.open(STATIC);
  const kept = await cache.match(request);
  if (kept) return kept;
  const response = await fetch(request);
  if (response.ok && new URL(request.url).searchParams.has("v")) cache.put(request, response.clone());
  return response;
}

function keptPage(pathname) {
  return CONFIG.pages.some((page) => (page.endsWith("/") ? pathname.startsWith(page) : pathname === page));
}

async function networkFirst(request, url) {
  const cache = await caches.open(PAGES);
  try {
    const response = await fetch(request);
    if (keptPage(url.pathname) && response.ok && !response.redirected && response.type === "basic") {
      await cache.put(request, response.clone());
      if (url.search) await cache.put(url.pathname, response.clone());
    }
    return response;
  } catch (failed) {
    const kept = (await cache.match(request)) || (await cache.match(url.pathname, { ignoreSearch: true }));
    if (kept) return kept;
    return (await caches.match(OFFLINE)) || new Response("Offline", { status: 503 });
  }
}

async function postOrKeep(request) {
  const body = await request.clone().text();
  try {
    return await fetch(request);
  } catch (failed) {
    await keep({ url: request.url, body: body, madeAt: Date.now() });
    const today = new URL("/today?offline=kept", self.location.origin).href;
    if (request.mode === "navigate") return Response.redirect(today, 303);
    return new Response("", { status: 200, headers: { "HX-Redirect": today } }); // an htmx post
  }
}

/* The queue of check-ins posted offline: IndexedDB "runrehab", store "queue" (js/offline.js
   reads and empties it). */
function queue(mode, work) {
  return new Promise((resolve, reject) => {
    const opened = indexedDB.open("runrehab", 1);
    opened.onupgradeneeded = () => opened.result.createObjectStore("queue", { keyPath: "id", autoIncrement: true });
    opened.onerror = () => reject(opened.error);
    opened.onsuccess = () => {
      const db = opened.result;
      const tx = db.transaction("queue", mode);
      work(tx.objectStore("queue"));
      tx.oncomplete = () => { db.close(); resolve(); };
      tx.onerror = () => { db.close(); reject(tx.error); };
    };
  });
}

function all() {
  let request;
  return queue("readonly", (store) => { request = store.getAll(); }).then(() => request.result);
}

function keep(item) {
  return queue("readwrite", (store) => store.add(item));
}

/* Logging out forgets the kept pages and any check-in not sent: the next person on this
   phone sees nothing of them. */
async function forget() {
  await caches.delete(PAGES);
  await queue("readwrite", (store) => store.clear()).catch(() => undefined);
}
