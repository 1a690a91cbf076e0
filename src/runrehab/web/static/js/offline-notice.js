// RunRehab offline, loaded by js/offline.js only when needed (no connection, or a check-in
// saved offline): the notice at the top of the page, and sending the kept check-ins (through
// the service worker) when the connection is back.
(function () {
  "use strict";
  var ask = window.RunRehab.offline.ask;
  var SAID = {
    offline: "You are offline. Pages you have opened still work; a check-in you save will be sent when you are back online.",
    kept: "You are offline: your check-in will be sent when you are back online.",
    sending: "Back online: sending your check-in…",
    sent: "Back online: your check-in has been sent.",
    refused: "Back online, but your check-in could not be saved. Please check in again.",
    signin: "Log in to send the check-in you saved offline."
  };

  var style = document.createElement("link");
  style.rel = "stylesheet";
  style.href = document.currentScript.dataset.css;
  document.head.appendChild(style);

  // Says SAID[key] in the notice at the top of the page (no key: hidden), with a link if given.
  function say(key, link) {
    var main = document.getElementById("main");
    var box = document.getElementById("offline-notice");
    if (!main || (!box && !key)) return;
    if (!box) {
      box = document.createElement("div");
      box.id = "offline-notice";
      box.className = "offline-notice";
      box.setAttribute("role", "status");
      main.insertBefore(box, main.firstChild);
    }
    box.hidden = !key;
    box.dataset.state = key || "";
    box.textContent = key ? SAID[key] : "";
    if (key && link) {
      var a = document.createElement("a");
      a.href = link;
      a.textContent = "See what it means for today";
      box.append(" ", a);
    }
  }

  function token() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRF-Token"] || "";
    } catch (e) {
      return "";
    }
  }

  var tries = 0;

  function show() {
    ask({ count: true }).then(function (count) {
      if (!navigator.onLine) return say(count ? "kept" : "offline");
      if (!count) return say("");
      if (!token()) return say("signin");
      say("sending");
      ask({ send: token() }).then(function (done) {
        if (done.outcome !== "later") return say(done.outcome, done.answer);
        if (navigator.onLine && tries++ < 5) setTimeout(show, 2000); // a connection coming back
        else say("");
      });
    });
  }

  // A check-in form from the kept copy is for the day it was kept: offline, it moves on by the
  // days this phone has seen since (the copy's Date header); an address naming its day keeps it.
  function checkinDay() {
    var field = document.querySelector("form.checkin input[name='date']");
    if (navigator.onLine || !field || !field.value || /date=/.test(location.search)) return;
    caches.match("/checkin").then(function (copy) {
      var then = copy && new Date(copy.headers.get("date") || "");
      var days = then ? Math.round((midnight(new Date()) - midnight(then)) / 864e5) : 0;
      if (!(days > 0)) return;
      var day = new Date(field.value + "T12:00:00Z");
      day.setUTCDate(day.getUTCDate() + days);
      field.value = day.toISOString().slice(0, 10);
    });
  }

  function midnight(moment) {
    return new Date(moment.getFullYear(), moment.getMonth(), moment.getDate()).getTime();
  }

  addEventListener("online", show);
  addEventListener("offline", show);
  checkinDay();
  show();
})();
