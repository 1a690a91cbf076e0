// Today's comforts: set ticks remembered on this device (per day and exercise), a hold timer,
// a walk/run interval timer, and the check-in offering the sets ticked on Today.
// Every page works without this file: the sets, holds and intervals are written out.
(function () {
  "use strict";
  var PREFIX = "runrehab:ticks:", KEEP_DAYS = 14;

  // --- remembered ticks (none in private mode or with storage off) --------------------------
  function storage() {
    try { var s = window.localStorage; s.setItem(PREFIX, "1"); s.removeItem(PREFIX); return s; }
    catch (e) { return null; }
  }
  function readTicks(s, key) {
    try { var v = s ? JSON.parse(s.getItem(PREFIX + key) || "[]") : []; return Array.isArray(v) ? v.map(String) : []; }
    catch (e) { return []; }
  }
  function writeTicks(s, key, ticked) {
    try { if (ticked.length) s.setItem(PREFIX + key, JSON.stringify(ticked)); else s.removeItem(PREFIX + key); }
    catch (e) { /* no storage or full: the tick still shows */ }
  }
  function forgetOldTicks(s) {
    if (!s) return;
    var oldest = new Date(Date.now() - KEEP_DAYS * 864e5).toISOString().slice(0, 10);
    for (var i = s.length - 1; i >= 0; i--) {
      var key = s.key(i) || "";
      if (key.indexOf(PREFIX) === 0 && key.slice(PREFIX.length, PREFIX.length + 10) < oldest) s.removeItem(key);
    }
  }
  function setUpTicks(s) {
    document.querySelectorAll("fieldset[data-ticks]").forEach(function (group) {
      var key = group.getAttribute("data-ticks"), boxes = group.querySelectorAll("input"), saved = readTicks(s, key);
      boxes.forEach(function (box) {
        box.checked = saved.indexOf(box.value) !== -1;
        box.addEventListener("change", function () {
          writeTicks(s, key, [].filter.call(boxes, function (b) { return b.checked; }).map(function (b) { return b.value; }));
        });
      });
    });
  }
  // A fresh check-in form offers what was ticked on Today: that exercise, and its sets.
  function offerTicks(s) {
    var form = document.querySelector("form[data-prefill]");
    if (!form) return;
    form.querySelectorAll("input[data-ticks]").forEach(function (box) {
      var done = 0;
      box.getAttribute("data-ticks").split(" ").forEach(function (k) { done = Math.max(done, readTicks(s, k).length); });
      if (!done || box.checked) return;
      box.checked = true;
      var sets = document.getElementById(box.getAttribute("data-sets"));
      if (sets) sets.value = String(done);
    });
  }

  // --- signals: a vibration and beeps where the device allows; the live region always --------
  var audio = null;
  function signal(times) {
    try { if (navigator.vibrate) navigator.vibrate(times > 1 ? [200, 120, 200] : 300); } catch (e) { /* none */ }
    try {
      var Context = window.AudioContext || window.webkitAudioContext;
      if (!Context) return;
      audio = audio || new Context();
      for (var i = 0; i < times; i++) {
        var osc = audio.createOscillator(), gain = audio.createGain(), at = audio.currentTime + i * 0.35;
        osc.frequency.value = 880; gain.gain.value = 0.25;
        osc.connect(gain); gain.connect(audio.destination);
        osc.start(at); osc.stop(at + 0.2);
      }
    } catch (e) { /* no sound */ }
  }
  function clockText(seconds) {
    var whole = Math.max(0, Math.ceil(seconds)), rest = whole % 60;
    return Math.floor(whole / 60) + ":" + (rest < 10 ? "0" : "") + rest;
  }
  function minutesText(seconds) {
    if (seconds < 60) return seconds + " seconds";
    var m = Math.round(seconds / 6) / 10;
    return m + (m === 1 ? " minute" : " minutes");
  }

  // --- a countdown through segments, by the wall clock (background tabs slow timers down) ---
  function Countdown(segments) {
    this.segments = segments;
    this.total = segments.reduce(function (sum, seg) { return sum + seg.seconds; }, 0);
    this.hooks = {};
    this.reset();
  }
  Countdown.prototype.reset = function () { this.pause(); this.index = 0; this.left = this.segments[0].seconds; this.finished = false; };
  Countdown.prototype.pause = function () { this.running = false; window.clearInterval(this.ticker); };
  Countdown.prototype.start = function () {
    if (this.finished) this.reset();
    this.running = true;
    this.last = Date.now();
    this.ticker = window.setInterval(this.tick.bind(this), 250);
  };
  Countdown.prototype.elapsed = function () {
    var before = 0;
    for (var i = 0; i < this.index; i++) before += this.segments[i].seconds;
    return before + this.segments[this.index].seconds - this.left;
  };
  Countdown.prototype.tick = function () {
    var now = Date.now();
    this.left -= (now - this.last) / 1000;
    this.last = now;
    while (this.left <= 0) {
      if (this.index + 1 >= this.segments.length) {
        this.left = 0; this.pause(); this.finished = true; this.hooks.done();
        return;
      }
      this.index += 1;
      this.left += this.segments[this.index].seconds;
      this.hooks.segment(this.segments[this.index]);
    }
    this.hooks.tick();
  };

  // Keep the screen on while the run timer runs, where the browser allows it.
  var wakeLock = null;
  function holdScreen(on) {
    if (!("wakeLock" in navigator)) return;
    if (on && !wakeLock) navigator.wakeLock.request("screen").then(function (l) { wakeLock = l; }, function () {});
    if (!on && wakeLock) { wakeLock.release().catch(function () {}); wakeLock = null; }
  }

  // Start/Pause and Reset buttons for a countdown in ``box``; says each change in the live region.
  function wire(box, countdown, started, onChange) {
    var q = function (name) { return box.querySelector("[data-" + name + "]"); };
    var ui = { clock: q("clock"), start: q("start"), reset: q("reset"), live: q("live") };
    var first = ui.start.textContent;
    ui.start.addEventListener("click", function () {
      if (countdown.running) { countdown.pause(); ui.start.textContent = "Carry on"; ui.live.textContent = "Paused."; }
      else { countdown.start(); ui.start.textContent = "Pause"; ui.live.textContent = started(); }
      if (onChange) onChange(countdown.running);
    });
    ui.reset.addEventListener("click", function () {
      countdown.reset(); countdown.hooks.tick();
      ui.start.textContent = first; ui.live.textContent = "Reset.";
      if (onChange) onChange(false);
    });
    box.hidden = false;
    return ui;
  }

  function setUpHold(box) {
    var seconds = parseInt(box.getAttribute("data-hold"), 10);
    if (!(seconds > 0)) return;
    var countdown = new Countdown([{ seconds: seconds }]);
    var ui = wire(box, countdown, function () { return "Hold for " + seconds + " seconds."; });
    countdown.hooks = {
      tick: function () { ui.clock.textContent = Math.ceil(countdown.left) + " s"; },
      done: function () { ui.clock.textContent = "0 s"; ui.start.textContent = "Hold again"; ui.live.textContent = "Done: relax."; signal(1); }
    };
  }

  function setUpIntervals(box) {
    var run = parseInt(box.getAttribute("data-run"), 10), walk = parseInt(box.getAttribute("data-walk"), 10) || 0;
    var repeats = parseInt(box.getAttribute("data-repeats"), 10) || 1, segments = [];
    if (!(run > 0)) return;
    for (var i = 1; i <= repeats; i++) {
      segments.push({ kind: "run", seconds: run, repeat: i });
      if (walk > 0) segments.push({ kind: "walk", seconds: walk, repeat: i });
    }
    var countdown = new Countdown(segments);
    var segment = box.querySelector("[data-segment]"), repeat = box.querySelector("[data-repeat]");
    var progress = box.querySelector("[data-progress]");
    function describe(seg) {
      var text = (seg.kind === "run" ? "Run" : "Walk") + " for " + minutesText(seg.seconds);
      return text + (repeats > 1 ? ", repeat " + seg.repeat + " of " + repeats + "." : ".");
    }
    var ui = wire(box, countdown, function () { return describe(segments[countdown.index]); }, holdScreen);
    function show() {
      var seg = segments[countdown.index];
      ui.clock.textContent = clockText(countdown.left);
      segment.textContent = seg.kind === "run" ? "Run, easy" : "Walk";
      repeat.textContent = repeats > 1 ? " · repeat " + seg.repeat + " of " + repeats : "";
      progress.max = countdown.total;
      progress.value = countdown.elapsed();
      box.classList.toggle("is-run", seg.kind === "run");
      box.classList.toggle("is-walk", seg.kind === "walk");
    }
    countdown.hooks = {
      tick: show,
      segment: function (seg) { signal(seg.kind === "run" ? 2 : 1); ui.live.textContent = describe(seg); show(); },
      done: function () {
        show();
        segment.textContent = "Done";
        ui.start.textContent = "Start again";
        ui.live.textContent = "Done. Well done: walk a few minutes to cool down.";
        signal(3);
        holdScreen(false);
      }
    };
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "visible" && countdown.running) holdScreen(true);
    });
    show();
    segment.textContent = "Ready when you are";
  }

  // The run questions show only once "I ran" is picked (without JavaScript they always show).
  function setUpShownBy(group) {
    var radios = document.querySelectorAll("input[name='" + group.getAttribute("data-shown-by") + "']");
    function update() {
      var picked = [].filter.call(radios, function (r) { return r.checked; })[0];
      group.hidden = !picked || picked.value !== group.getAttribute("data-shown-for");
    }
    radios.forEach(function (r) { r.addEventListener("change", update); });
    update();
  }

  // A form marked data-swap (the lessons' "Mark as read") answers with the section it names:
  // put it in place, without reloading (the server gives the section to an HX-Request, as it
  // did for htmx). Without JavaScript, or if the request fails, the form posts and reloads.
  document.addEventListener("submit", function (event) {
    var form = event.target.closest && event.target.closest("form[data-swap]");
    if (!form || !window.fetch) return;
    var target = document.querySelector(form.getAttribute("data-swap"));
    if (!target) return;
    event.preventDefault();
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { "HX-Request": "true" },
      credentials: "same-origin"
    }).then(function (answer) {
      if (!answer.ok) throw new Error(String(answer.status));
      return answer.text();
    }).then(function (html) {
      target.outerHTML = html;
    }).catch(function () { form.submit(); });
  });

  document.addEventListener("DOMContentLoaded", function () {
    var s = storage();
    forgetOldTicks(s);
    setUpTicks(s);
    offerTicks(s);
    document.querySelectorAll(".hold-timer[data-hold]").forEach(setUpHold);
    document.querySelectorAll(".interval-timer[data-run]").forEach(setUpIntervals);
    document.querySelectorAll("[data-shown-by]").forEach(setUpShownBy);
  });
})();
