// Registers the service worker (/sw.js); loads js/offline-notice.js when offline or a
// check-in saved offline waits to be sent.
(function () {
  "use strict";
  var sw = navigator.serviceWorker;
  var me = document.currentScript;
  if (!sw || !me) return;
  var loaded = false;

  function ask(message) {
    return sw.ready.then(function (registration) {
      return new Promise(function (resolve) {
        var channel = new MessageChannel();
        channel.port1.onmessage = function (event) { resolve(event.data); };
        registration.active.postMessage(message, [channel.port2]);
      });
    });
  }

  function more() {
    if (loaded) return;
    loaded = true;
    var script = document.createElement("script");
    script.src = me.dataset.more;
    script.dataset.css = me.dataset.css;
    document.head.appendChild(script);
  }

  // Keeps Today and the check-in once a session, and this page if the worker did not serve it.
  function keepPages() {
    var home = ["/today", "/checkin"];
    var paths = sw.controller ? [] : [location.pathname];
    var signed = /X-CSRF-Token/.test(document.body.getAttribute("hx-headers") || "");
    if (signed && !sessionStorage.getItem("runrehab-kept")) paths = paths.concat(home);
    ask({ keep: paths }).then(function (kept) {
      if (home.every(function (p) { return kept.indexOf(p) >= 0; })) sessionStorage.setItem("runrehab-kept", "1");
      document.documentElement.dataset.offlineReady = "yes";
    });
  }

  window.RunRehab = window.RunRehab || {};
  window.RunRehab.offline = { ask: ask };
  sw.register("/sw.js", { scope: "/" }).then(keepPages, function () {
    document.documentElement.dataset.offlineReady = "no";
  });
  addEventListener("online", more);
  addEventListener("offline", more);
  document.addEventListener("DOMContentLoaded", function () {
    if (!navigator.onLine) more();
    else ask({ count: true }).then(function (count) { if (count) more(); });
  });
})();
