// The reminders' service worker: shows a pushed reminder, and opens its page when tapped.
self.addEventListener("push", function (event) {
  var data = {title: "RunRehab", body: "", url: "/today"};
  try { data = Object.assign(data, event.data ? event.data.json() : {}); } catch (e) { /* plain text */ }
  event.waitUntil(self.registration.showNotification(data.title, {body: data.body, data: {url: data.url}, tag: "runrehab-reminder"}));
});
self.addEventListener("notificationclick", function (event) {
  event.notification.close();
  var url = (event.notification.data && event.notification.data.url) || "/today";
  event.waitUntil(self.clients.openWindow(url));
});
