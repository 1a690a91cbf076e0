// Progress: the physio report takes a few seconds to make. After the tap, say so
// ("Preparing your report…"), fetch it, and hand it over as a download when it is ready.
// Without this file the link is a plain download link and works the same, only silently.
(function () {
  "use strict";

  var busy = false;

  function say(status, text, spinning) {
    if (!status) return;
    status.textContent = "";
    if (spinning) {
      var spinner = document.createElement("span");
      spinner.className = "spinner";
      spinner.setAttribute("aria-hidden", "true");
      status.appendChild(spinner);
    }
    status.appendChild(document.createTextNode(text));
  }

  function filename(response, fallback) {
    var header = response.headers.get("Content-Disposition") || "";
    var found = /filename="?([^";]+)"?/i.exec(header);
    return found ? found[1] : fallback;
  }

  function onClick(event) {
    var link = event.target.closest && event.target.closest("a[data-report]");
    if (!link || !window.fetch || !window.URL || !URL.createObjectURL) return;
    if (event.ctrlKey || event.metaKey || event.shiftKey || event.altKey || event.button > 0) return;
    event.preventDefault();
    if (busy) return;
    busy = true;
    var status = document.getElementById(link.getAttribute("data-report"));
    link.setAttribute("aria-disabled", "true");
    say(status, "Preparing your report… This takes a few seconds.", true);
    fetch(link.href, { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        var name = filename(response, "runrehab-report.pdf");
        return response.blob().then(function (blob) {
          var url = URL.createObjectURL(blob);
          var save = document.createElement("a");
          save.href = url;
          save.download = name;
          document.body.appendChild(save);
          save.click();
          save.remove();
          setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
          say(status, "Your report is ready: look in your downloads.", false);
        });
      })
      .catch(function () {
        // let the browser try the plain link, and show whatever the server says
        say(status, "", false);
        window.location.href = link.href;
      })
      .then(function () {
        busy = false;
        link.removeAttribute("aria-disabled");
      });
  }

  document.addEventListener("click", onClick);
})();
