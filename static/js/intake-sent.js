// The thank-you page marks this tab as having sent its request (see intake-form.js): a form the
// browser brings back from its memory with Back is then loaded again, and shows the request as sent.
// sessionStorage: this tab only, gone when it closes; it holds no detail of the request.
(function () {
  "use strict";
  try {
    window.sessionStorage.setItem("intake-sent", "1");
  } catch (error) {
    // Storage refused: the server still shows the request as sent when the form is loaded again.
  }
})();
