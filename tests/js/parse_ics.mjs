// Reads iCalendar text on stdin with ical.js, as Thunderbird and many web calendars do, and prints
// what tests/intake/test_life_icaljs.py checks: the method, each event's UID, SEQUENCE, status,
// organizer and attendees, and the calendar's refresh properties. A parse error exits non-zero.
import ICAL from "ical.js";

let text = "";
for await (const chunk of process.stdin) text += chunk;
const calendar = new ICAL.Component(ICAL.parse(text));
const events = calendar.getAllSubcomponents("vevent").map((component) => {
  const event = new ICAL.Event(component);
  return {
    uid: event.uid,
    sequence: event.sequence,
    status: component.getFirstPropertyValue("status"),
    organizer: event.organizer,
    attendees: event.attendees.map((attendee) => ({
      address: attendee.getFirstValue(),
      cn: attendee.getParameter("cn") ?? null,
      partstat: attendee.getParameter("partstat") ?? null,
    })),
    start: event.startDate.toJSDate().toISOString(),
  };
});
const refresh = calendar.getFirstPropertyValue("refresh-interval");
console.log(JSON.stringify({
  method: calendar.getFirstPropertyValue("method"),
  refresh: refresh ? refresh.toString() : null,
  ttl: calendar.getFirstPropertyValue("x-published-ttl"),
  events,
}));
