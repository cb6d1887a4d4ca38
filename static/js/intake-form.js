// The error summary (or the "not sent" notice) has `autofocus`, so focus moves to it without any script;
// this repeats that for browsers that honour autofocus on form fields only. The
// form itself needs no JavaScript.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector("#error-summary, #form-notice");
  if (summary && document.activeElement !== summary) {
    summary.focus();
  }
});
