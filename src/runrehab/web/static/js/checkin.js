// The check-in's comforts. The form works without this file: every section opens with a tap,
// the server checks the answers and puts each message beside its field.
// - the run's details show only once "Yes, I ran" is picked;
// - a fresh form takes the sets ticked on Today (on this device) for each exercise;
// - a refused form puts the focus on its list of messages, which links to each field.
(function () {
  "use strict";
  var PREFIX = "runrehab:ticks:";

  function readTicks(key) {
    try {
      var v = JSON.parse(window.localStorage.getItem(PREFIX + key) || "[]");
      return Array.isArray(v) ? v : [];
    } catch (e) { return []; }
  }

  function offerTicks(form) {
    if (!form.hasAttribute("data-prefill")) return;
    form.querySelectorAll("input[data-ticks]").forEach(function (box) {
      var done = 0;
      box.getAttribute("data-ticks").split(" ").forEach(function (k) { done = Math.max(done, readTicks(k).length); });
      var sets = document.getElementById(box.getAttribute("data-sets"));
      if (done && box.checked && sets) sets.value = String(done);
    });
  }

  function setUpShownBy(group) {
    var radios = document.querySelectorAll("input[name='" + group.getAttribute("data-shown-by") + "']");
    function update() {
      var picked = [].filter.call(radios, function (r) { return r.checked; })[0];
      group.hidden = !picked || picked.value !== group.getAttribute("data-shown-for");
    }
    radios.forEach(function (r) { r.addEventListener("change", update); });
    update();
  }

  // A link in the list of messages opens the section its field is in, then goes there.
  function openFor(target) {
    for (var el = target; el; el = el.parentElement) if (el.tagName === "DETAILS") el.open = true;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form.checkin");
    if (!form) return;
    offerTicks(form);
    form.querySelectorAll("[data-shown-by]").forEach(setUpShownBy);
    var errors = document.getElementById("checkin-errors");
    if (errors) {
      errors.querySelectorAll("a[href^='#']").forEach(function (a) {
        a.addEventListener("click", function () { openFor(document.getElementById(a.getAttribute("href").slice(1))); });
      });
      errors.focus();
    }
  });
})();
