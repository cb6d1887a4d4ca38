// The consultation form's small helpers. The form needs none of this: without the script every
// question is on the page and it sends the same. With it:
// - questions that belong to one answer (the phone number to "Phone call", the insurer to
//   "Insurance") show only with that answer. Hidden ones get the hidden attribute and are disabled,
//   so they are neither read out nor sent; what was typed in them stays for when the answer comes back.
// - choosing a state where the therapist is not licensed says so at once, in a polite live region.
// - focus moves to the error summary (or the "not sent" notice), for browsers that honour autofocus
//   on form fields only.
// - browser Back never ticks a time the visitor did not pick: browsers restore ticks by their place
//   in the list, and a time taken meanwhile shifts every later one. Ticks come from the server alone.
//   A page Back brings out of the browser's memory after sending (the thank-you page leaves a mark in
//   this tab's sessionStorage) is loaded again, so the server shows the request as sent.
(function () {
  "use strict";

  var SENT = "intake-sent";

  function onlyTheServersTicks(form) {
    form.querySelectorAll('input[name="times"]').forEach(function (input) {
      input.checked = input.defaultChecked;
    });
  }

  window.addEventListener("pageshow", function (event) {
    var form = document.querySelector(".intake-form");
    if (!form) {
      return;
    }
    var sent = false;
    try {
      sent = window.sessionStorage.getItem(SENT) === "1";
      if (!event.persisted) {
        window.sessionStorage.removeItem(SENT);  // a fresh form: the server knows best
      }
    } catch (error) {
      // Storage refused (private mode): the server's own check still holds.
    }
    if (event.persisted && sent) {
      window.location.reload();
      return;
    }
    onlyTheServersTicks(form);
  });

  function answerTo(form, question) {
    var field = form.elements[question];
    if (!field) {
      return "";
    }
    if (field.tagName === "SELECT") {
      return field.value;
    }
    var chosen = form.querySelector('input[name="' + question + '"]:checked');
    return chosen ? chosen.value : "";
  }

  function showWhatBelongs(form) {
    form.querySelectorAll("[data-intake-question]").forEach(function (group) {
      var answers = group.getAttribute("data-intake-answers").split(" ");
      var shown = answers.indexOf(answerTo(form, group.getAttribute("data-intake-question"))) !== -1;
      group.hidden = !shown;
      group.querySelectorAll("input, select, textarea").forEach(function (field) {
        field.disabled = !shown;
      });
    });
  }

  function sayWhereTheyStand(form) {
    var location = form.elements.client_location;
    var live = document.getElementById("intake-out-of-area");
    if (!location || !live || !location.hasAttribute("data-intake-licensed")) {
      return;
    }
    var licensed = location.getAttribute("data-intake-licensed").split(",");
    var elsewhere = location.value !== "" && licensed.indexOf(location.value) === -1;
    var message = elsewhere ? live.getAttribute("data-intake-out-of-area-message") : "";
    if (live.textContent !== message) {
      live.textContent = message;
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector(".intake-form");
    if (form) {
      form.querySelectorAll("[data-intake-out-of-area-static]").forEach(function (sentence) {
        sentence.hidden = true;
      });
      showWhatBelongs(form);
      sayWhereTheyStand(form);
      form.addEventListener("change", function () {
        showWhatBelongs(form);
        sayWhereTheyStand(form);
      });
    }
    var summary = document.querySelector("#error-summary, #form-notice");
    if (summary && document.activeElement !== summary) {
      summary.focus();
    }
  });
})();
