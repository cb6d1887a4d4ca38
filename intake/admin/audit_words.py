"""
The audit log in words a person reads: "Changed request #12: status New → Contacted, next follow-up".
Only field labels and status labels, never a value someone typed (a note, a name, a date).
"""

from django.forms.utils import pretty_name

from intake.models import AuditEntry, ConsultationRequest

Action = AuditEntry.Action
Status = ConsultationRequest.Status

# With a request number; without one, an entry reads as its action's label ("Viewed the list").
WHAT = {
    Action.VIEW: "Viewed request #{number}",
    Action.CHANGE: "Changed request #{number}",
    Action.EXPORT: "Exported request #{number}",
    Action.DELETE: "Deleted request #{number}",
    Action.ERASE: "Erased request #{number}",
    Action.WITHDRAW: "Request #{number} withdrawn by the visitor",
    Action.PURGE: "Purged request #{number}",
}


def label(form, name):
    text = form.fields[name].label or pretty_name(name)
    return text[:1].lower() + text[1:]


def changes_in_words(form):
    """What a saved request form changed: "status New → Contacted, next follow-up"."""
    changes = []
    for name in form.changed_data:
        if name == "status":
            old, new = Status(form.initial["status"]).label, Status(form.cleaned_data["status"]).label
            changes.append(f"{label(form, name)} {old} → {new}")
        else:
            changes.append(label(form, name))
    return ", ".join(changes)


def status_in_words(status):
    """What a list action did to each request it changed: "status → Contacted"."""
    return f"status → {Status(status).label}"


def what_happened(entry):
    """One entry as a sentence: "Viewed request #12", "Viewed the list (34 requests)"."""
    if entry.request_number is None:
        what = entry.get_action_display()
    elif entry.action == Action.WITHDRAW and entry.username != "system":
        # Pressed in a browser signed in to admin (intake.life.withdrawal_views.withdraw): not the visitor.
        what = f"Request #{entry.request_number} withdrawn by {entry.username}, signed in as staff"
    elif entry.action in WHAT:
        what = WHAT[entry.action].format(number=entry.request_number)
    else:  # an action added after this table: still never without its request
        what = f"{entry.get_action_display()}, request #{entry.request_number}"
    if not entry.detail:
        return what
    return f"{what}: {entry.detail}" if entry.action == Action.CHANGE else f"{what} ({entry.detail})"
