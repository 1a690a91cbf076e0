// Runs: say that a big upload is on its way, and stop a second click sending it twice.
// The form works the same without this file.
(function () {
  "use strict";

  function onSubmit(event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-upload]")) return;
    var button = form.querySelector("button[type=submit]");
    var status = form.querySelector("[data-upload-status]");
    if (button) {
      button.disabled = true;
      button.textContent = "Uploading…";
    }
    if (status) status.textContent = "Sending your files. A big export can take a minute or two; keep this page open.";
  }

  // A page restored from the back/forward cache must not keep a disabled button.
  function onShow(event) {
    if (!event.persisted) return;
    document.querySelectorAll("form[data-upload] button[type=submit]").forEach(function (b) {
      b.disabled = false;
      b.textContent = "Upload";
    });
  }

  document.addEventListener("submit", onSubmit);
  window.addEventListener("pageshow", onShow);
})();
