// Notifications on this device: offered only where the browser supports Web Push.
// The subscription goes to POST /api/v1/push/subscriptions; turning off DELETEs it.
(function () {
  "use strict";
  var box = document.getElementById("push");
  if (!box) return;
  var key = box.dataset.key, csrf = box.dataset.csrf;
  var status = document.getElementById("push-status");
  var on = document.getElementById("push-on"), off = document.getElementById("push-off");
  var choice = document.getElementById("push-choice");
  var supported = key && "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;
  if (!supported) {
    if (choice && !choice.querySelector("input").checked) choice.style.display = "none";
    return;
  }
  var worker = box.dataset.worker || "/static/js/push-sw.js";
  document.getElementById("push-buttons").hidden = false;

  function bytes(base64) {
    var padded = (base64 + "===".slice((base64.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    var raw = atob(padded), out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
    return out;
  }
  function send(method, url, body) {
    return fetch(url, {
      method: method, credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRF-Token": csrf},
      body: body ? JSON.stringify(body) : undefined
    });
  }
  function ready() {
    return navigator.serviceWorker.register(worker, {scope: "/static/js/"}).then(function (reg) {
      if (reg.active) return reg;
      return new Promise(function (resolve) {
        var w = reg.installing || reg.waiting;
        w.addEventListener("statechange", function () { if (w.state === "activated") resolve(reg); });
      });
    });
  }
  function show(subscribed) {
    on.style.display = subscribed ? "none" : "";
    off.style.display = subscribed ? "" : "none";
    status.textContent = subscribed ? "Notifications are on for this browser." :
      (Notification.permission === "denied" ? "Notifications are blocked in this browser's settings." : "Notifications are off for this browser.");
  }
  show(false);
  navigator.serviceWorker.getRegistration("/static/js/")
    .then(function (reg) { return reg ? reg.pushManager.getSubscription() : null; })
    .then(function (sub) { show(!!sub); }).catch(function () { show(false); });
  on.addEventListener("click", function () {
    Notification.requestPermission().then(function (answer) {
      if (answer !== "granted") { show(false); return null; }
      return ready().then(function (reg) {
        return reg.pushManager.subscribe({userVisibleOnly: true, applicationServerKey: bytes(key)});
      }).then(function (sub) {
        return send("POST", "/api/v1/push/subscriptions", sub.toJSON());
      }).then(function (answer) {
        if (!answer.ok) throw new Error("refused");
        var box = document.querySelector('input[name="channel"][value="push"]');
        if (box) box.checked = true;
        show(true);
        status.textContent = "Notifications are on for this browser. Save your reminders to use them.";
      });
    }).catch(function () { status.textContent = "Notifications could not be turned on. Try again later."; });
  });
  off.addEventListener("click", function () {
    ready().then(function (reg) { return reg.pushManager.getSubscription(); }).then(function (sub) {
      if (!sub) return show(false);
      var url = "/api/v1/push/subscriptions?endpoint=" + encodeURIComponent(sub.endpoint);
      return send("DELETE", url).then(function () { return sub.unsubscribe(); }).then(function () { show(false); });
    }).catch(function () { status.textContent = "Notifications could not be turned off. Try again later."; });
  });
})();
