// The intake wizard's comforts. Every step works without this file: it folds away the
// questions that do not apply yet and brings the list of problems into view.
(function () {
  "use strict";

  function filled(block) {
    return Array.prototype.some.call(block.querySelectorAll("input"), function (input) {
      return input.type === "checkbox" || input.type === "radio" ? input.checked : input.value !== "";
    });
  }

  function chosen(form, name) {
    var checked = form.querySelector('input[name="' + name + '"]:checked');
    return checked ? checked.value : "";
  }

  // A block shows once the answer that makes it apply is given; one holding an answer
  // always shows, so nothing ticked is ever hidden away and sent unseen.
  function update(form) {
    Array.prototype.forEach.call(form.querySelectorAll("[data-when]"), function (block) {
      var values = block.getAttribute("data-values").split(" ");
      var applies = values.indexOf(chosen(form, block.getAttribute("data-when"))) !== -1;
      block.hidden = !applies && !filled(block);
    });
  }

  function start() {
    var form = document.querySelector("form[action='/start/step']");
    if (form) {
      update(form);
      form.addEventListener("change", function () { update(form); });
    }
    var problems = document.getElementById("problems");
    if (problems) problems.focus();
  }

  document.addEventListener("DOMContentLoaded", start);
})();
