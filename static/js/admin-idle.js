/*
 * Admin pages show health information. When the session has ended on the server
 * (no request for the idle limit), take the page off the screen too, so a request
 * left open on an unattended computer does not stay readable.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var seconds = Number(script.dataset.idleSeconds);
  var signInUrl = script.dataset.signInUrl;
  if (!seconds || !signInUrl) {
    return;
  }
  window.setTimeout(function () {
    var next = encodeURIComponent(window.location.pathname);
    // replace(): the Back button does not bring the page back either.
    window.location.replace(signInUrl + "?timed_out=1&next=" + next);
  }, seconds * 1000);
})();
