// Movement check: while a check is analysed, follow its progress (the page reloads with the
// figures once it is finished); on the upload form, say that the video is on its way and stop
// a second click sending it twice. The pages work the same without this file (a refresh).
(function () {
  "use strict";

  function follow(section) {
    var url = section.getAttribute("data-check-status");
    var bar = section.querySelector("[data-progress]");
    var percent = section.querySelector("[data-percent]");
    var name = section.querySelector("[data-status-name]");
    function poll() {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (answer) { return answer.ok ? answer.json() : null; })
        .then(function (check) {
          if (!check) { window.setTimeout(poll, 3000); return; }
          if (bar) bar.value = check.progress;
          if (percent) percent.textContent = String(check.progress);
          if (name) name.textContent = check.status_name;
          if (check.finished) { window.location.reload(); return; }
          window.setTimeout(poll, 1000);
        })
        .catch(function () { window.setTimeout(poll, 3000); });
    }
    window.setTimeout(poll, 1000);
  }

  function onSubmit(event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-movement-upload]")) return;
    var button = form.querySelector("button[type=submit]");
    var status = form.querySelector("[data-upload-status]");
    if (button) button.disabled = true;
    if (status) status.textContent = status.getAttribute("data-sending") || "…";
  }

  function onShow(event) {
    if (!event.persisted) return;
    document.querySelectorAll("form[data-movement-upload] button[type=submit]").forEach(function (b) {
      b.disabled = false;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var section = document.querySelector("[data-check-status]");
    if (section) follow(section);
  });
  document.addEventListener("submit", onSubmit);
  window.addEventListener("pageshow", onShow);
})();
