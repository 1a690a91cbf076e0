// RunRehab's small enhancements. Every page works without this file: it only adds comfort.
(function () {
  "use strict";

  // Sign-up: offer the browser's own time zone when it is one of the choices.
  function pickBrowserZone() {
    var select = document.querySelector("select[data-browser-zone]");
    if (!select || !window.Intl) return;
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (!zone) return;
    var known = Array.prototype.some.call(select.options, function (o) { return o.value === zone; });
    if (!known) {
      var option = document.createElement("option");
      option.value = zone;
      option.textContent = zone.replace(/_/g, " ");
      select.insertBefore(option, select.firstChild);
    }
    select.value = zone;
  }

  document.addEventListener("DOMContentLoaded", pickBrowserZone);
  window.RunRehab = window.RunRehab || {};
})();
