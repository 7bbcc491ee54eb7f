/* Suốt Đời's service worker: shows the notifications the server pushes (the text arrives
   encrypted for this browser and decrypted by it), and opens the page a notification is about
   when it is tapped. */
self.addEventListener("push", (event) => {
  let data = {};
  try { data = event.data ? event.data.json() : {}; } catch (e) { data = { body: event.data.text() }; }
  const title = data.title || "Suốt Đời";
  event.waitUntil(self.registration.showNotification(title, {
    body: data.body || "",
    tag: data.tag || undefined,
    data: { url: data.url || "/notifications/" },
    icon: "/static/suotdoi/favicon.svg",
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
