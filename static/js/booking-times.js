// The time picker's one helper (templates/includes/booking_times.html). The picker needs none of
// it: the server writes every time in the practice's zone, and without the script that is all
// there is. With it, where the visitor's browser says their zone differs from the practice's
// (data-booking-zone), each time also shows the visitor's own clock, "(9:00 am your time)", with
// the weekday when that falls on another day, and the zone line under the picker's question says so.
// Written as the server's clock writes times for visitors (pages/clock.py): "Wednesday 5:00 am".
(function () {
  "use strict";

  function visitorZone() {
    try {
      return Intl.DateTimeFormat().resolvedOptions().timeZone || "";
    } catch (error) {
      return "";
    }
  }

  function clock(zone, withDay) {
    var options = { timeZone: zone, hour: "numeric", minute: "2-digit" };
    if (withDay) {
      options.weekday = "long";
    }
    return new Intl.DateTimeFormat("en-US", options);
  }

  // "9:00 AM" as the practice's clock writes it: "9:00 am".
  function lowerHalf(text) {
    return text.replace(/\s([AP])M$/, function (match, letter) {
      return " " + letter.toLowerCase() + "m";
    });
  }

  function inWords(zone) {
    return zone.split("/").pop().replace(/_/g, " ") + " time";
  }

  function addVisitorTimes(picker, zone) {
    var practiceZone = picker.getAttribute("data-booking-zone");
    if (!zone || !practiceZone || zone === practiceZone) {
      return;
    }
    var day = new Intl.DateTimeFormat("en-US", { timeZone: zone, year: "numeric", month: "numeric", day: "numeric" });
    var practiceDay = new Intl.DateTimeFormat("en-US", { timeZone: practiceZone, year: "numeric", month: "numeric", day: "numeric" });
    var differs = false;
    var spans = picker.querySelectorAll(".booking-time__visitor[data-utc]");
    var filled = [];
    spans.forEach(function (span) {
      // "2026-12-07T17:00Z": the start in UTC, to the minute.
      var start = new Date(span.getAttribute("data-utc").replace("Z", ":00Z"));
      if (isNaN(start.getTime())) {
        return;
      }
      var otherDay = day.format(start) !== practiceDay.format(start);
      var theirs = lowerHalf(clock(zone, otherDay).format(start));
      if (otherDay || theirs !== lowerHalf(clock(practiceZone, false).format(start))) {
        differs = true;
      }
      filled.push([span, " (" + theirs + " your time)"]);
    });
    // A zone with another name but the same clock (Detroit and New York) needs no second time.
    if (!differs) {
      return;
    }
    filled.forEach(function (pair) {
      pair[0].textContent = pair[1];
    });
    picker.querySelectorAll("[data-booking-visitor-zone]").forEach(function (line) {
      line.textContent = " In brackets: your own time (" + inWords(zone) + ").";
      line.hidden = false;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var zone = visitorZone();
    document.querySelectorAll("[data-booking-zone]").forEach(function (picker) {
      addVisitorTimes(picker, zone);
    });
  });
})();
