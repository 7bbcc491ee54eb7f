/* Suốt Đời's service worker (#27): the app opens on a weak or absent connection, and shows
   the notifications the server pushes. Caching is Workbox's (vendored, 7.4.1), not ours.

   - Static files (hashed names): from the cache first.
   - The pages a learner needs without signal — home with "Việc cần làm", the learning record,
     notifications, campaigns, the offline page — from the network when it answers within a
     few seconds, else the copy from the last visit.
   - A session's page for its organiser, the same way: its screen goes on making codes when
     the hall has no signal (screen.js, ADR 0010).
   - A check-in code opened without a connection: the "scan saved" page, which keeps the code
     and the scan time for sending later (scan.js, outbox.js).
   - Courses downloaded for offline (reader.js puts them in caches named suotdoi-course-<id>):
     their pages, lessons and files from there when the network fails.
   - Any other page without a connection: the offline page, which lists what is saved.
   - Signing out empties the saved pages and courses (a shared phone shows nobody's record
     afterwards). */
importScripts("/static/vendor/workbox/workbox-sw.js");
workbox.setConfig({ modulePathPrefix: "/static/vendor/workbox/", debug: false });

const { registerRoute, setCatchHandler, setDefaultHandler } = workbox.routing;
const { CacheFirst, NetworkFirst, NetworkOnly } = workbox.strategies;
const { ExpirationPlugin } = workbox.expiration;
const { CacheableResponsePlugin } = workbox.cacheableResponse;

const PAGES = "suotdoi-pages-v1";
const OFFLINE = "suotdoi-offline-v1";
const STATIC = "suotdoi-static-v1";
const OFFLINE_URL = "/offline/";
const SCAN_SAVED_URL = "/campaigns/scan-saved/";
const SAVED = ["/", "/record/", "/notifications/", "/campaigns/mine/"];
const SAVED_PATTERNS = [/^\/campaigns\/sessions\/\d+\/$/];
const CHECKIN = /^\/campaigns\/checkin\/[^/]+\/$/;
const COURSES = "suotdoi-course-";

// A page kept for offline, and the scripts and styles it names (their hashed names, as the
// page has them), so that it works the first time it is needed without a connection.
async function keepWithAssets(url) {
  const response = await fetch(new Request(url, { credentials: "omit" }));
  if (!response.ok) throw new Error(url + ": " + response.status);
  const html = await response.clone().text();
  await (await caches.open(OFFLINE)).put(url, response);
  const statics = await caches.open(STATIC);
  const assets = Array.from(html.matchAll(/(?:src|href)="(\/static\/[^"]+)"/g), (m) => m[1]);
  await Promise.all(assets.map((a) => statics.add(a).catch(() => {})));
}

self.addEventListener("install", (event) => {
  // Fetched without cookies: the offline page holds nobody's data, and outlives signing out.
  event.waitUntil(Promise.all([OFFLINE_URL, SCAN_SAVED_URL].map(keepWithAssets)));
  self.skipWaiting();
});
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

registerRoute(
  ({ url }) => url.origin === self.location.origin && url.pathname.startsWith("/static/"),
  new CacheFirst({
    cacheName: STATIC,
    plugins: [new CacheableResponsePlugin({ statuses: [200] }), new ExpirationPlugin({ maxEntries: 150, maxAgeSeconds: 30 * 24 * 3600 })],
  })
);

registerRoute(
  ({ request, url }) => request.mode === "navigate" && url.origin === self.location.origin
    && (SAVED.includes(url.pathname) || SAVED_PATTERNS.some((p) => p.test(url.pathname))),
  new NetworkFirst({
    cacheName: PAGES,
    networkTimeoutSeconds: 5,
    plugins: [new CacheableResponsePlugin({ statuses: [200] }), new ExpirationPlugin({ maxEntries: 30 })],
  })
);

registerRoute(
  ({ url, request }) => request.method === "POST" && url.pathname === "/accounts/logout/",
  async ({ request }) => {
    await caches.delete(PAGES);
    for (const name of await caches.keys()) {
      if (name.startsWith(COURSES)) await caches.delete(name);
    }
    return fetch(request);
  },
  "POST"
);

// Everything else straight from the network, through Workbox so that a failure reaches the
// catch handler below.
setDefaultHandler(new NetworkOnly());

setCatchHandler(async ({ request }) => {
  const url = new URL(request.url);
  if (request.destination === "document" && CHECKIN.test(url.pathname)) {
    const saved = await caches.match(SCAN_SAVED_URL, { cacheName: OFFLINE });
    if (saved) return saved;
  }
  if (url.origin === self.location.origin && request.method === "GET") {
    for (const name of await caches.keys()) {  // a course downloaded for offline
      if (!name.startsWith(COURSES)) continue;
      const hit = await (await caches.open(name)).match(request, { ignoreVary: true });
      if (hit) return hit;
    }
  }
  if (request.destination === "document") {
    const offline = await caches.match(OFFLINE_URL, { cacheName: OFFLINE });
    if (offline) return offline;
  }
  return Response.error();
});

self.addEventListener("push", (event) => {
  let data = {};
  try { data = event.data ? event.data.json() : {}; } catch (e) { data = { body: event.data.text() }; }
  event.waitUntil(self.registration.showNotification(data.title || "Suốt Đời", {
    body: data.body || "",
    tag: data.tag || undefined,
    data: { url: data.url || "/notifications/" },
    icon: "/static/suotdoi/icon-192.png",
    lang: "vi",
  }));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const target = new URL((event.notification.data && event.notification.data.url) || "/", self.location.origin);
  if (target.origin !== self.location.origin) return;  // only our own pages
  event.waitUntil((async () => {
    const open = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
    for (const c of open) {
      if (c.url === target.href && "focus" in c) return c.focus();
    }
    return self.clients.openWindow(target.href);
  })());
});
