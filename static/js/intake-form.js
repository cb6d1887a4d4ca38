// When the form comes back with problems, move focus to the summary of them, so a
// screen reader announces it and keyboard users start from its links. The form
// itself needs no JavaScript.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
  }
});
