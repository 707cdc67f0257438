"""The writes of the workspace: goals and plan items keep their history; help requests email
the people on the other side after the commit."""

from .emails import help_email
from .models import Change, HelpRequest, PlanItem


def save_with_history(form, *, pairing, by):
    """Save a goal or plan item form and write down who added it or what they changed."""
    adding = form.instance.pk is None
    changed = [
        (name, _initial(form, name), form.cleaned_data.get(name)) for name in form.changed_data
    ]
    instance = form.save(commit=False)
    instance.pairing = pairing
    instance.save()
    form.save_m2m()
    if adding:
        Change.record(pairing=pairing, author=by, instance=instance, action=Change.Action.CREATED)
    elif changed:
        Change.record(
            pairing=pairing,
            author=by,
            instance=instance,
            action=Change.Action.CHANGED,
            changed=changed,
        )
    return instance


def _initial(form, name):
    """The value a field had before the change: for a choice of object, the object."""
    value = form.initial.get(name)
    queryset = getattr(form.fields[name], "queryset", None)
    if queryset is not None and value is not None:
        return queryset.filter(pk=value).first()
    return value


def delete_with_history(instance, *, by) -> None:
    Change.record(
        pairing=instance.pairing, author=by, instance=instance, action=Change.Action.DELETED
    )
    instance.delete()


def mark_done(item: PlanItem, done: bool, *, by) -> None:
    if item.done == done:
        return
    Change.record(
        pairing=item.pairing,
        author=by,
        instance=item,
        action=Change.Action.CHANGED,
        changed=[("done", item.done, done)],
    )
    item.done = done
    item.save(update_fields=["done"])


def ask_for_help(form) -> HelpRequest:
    """Save a new request; every coordinator of the programme is emailed it."""
    help_request = form.save()
    program = help_request.participant.cycle.program
    help_email(help_request, program.coordinators.values_list("pk", flat=True), "asked")
    return help_request


def answer(help_request: HelpRequest, text: str, *, by) -> None:
    """Answer a request; the asker is emailed the answer."""
    help_request.answer_with(text, by=by)
    help_email(help_request, [help_request.participant.user_id], "answered")
