"""Pages about the emails: the one-click stop link of a reminder, and the coordinators'
overview of what was sent to their programmes, with failed emails to send again."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from participants.models import Notification, Participant, User
from participants.notifications import ledger as notifications
from programs.models import Program


@csrf_exempt  # mail programs post the one-click stop without a form; the signed link is the key
def notifications_stop(request, token):
    """The one-click link at the foot of a reminder: no login, the signed link is enough.
    A visit shows what will stop; the button (or a mail program's one-click request) stops it."""
    found = notifications.read_stop_token(token)
    user = User.objects.filter(pk=found[0], is_active=True).first() if found else None
    if user is None:
        return render(
            request, "participants/notifications_stop.html", {"invalid": True}, status=404
        )
    kind = notifications.KINDS[found[1]]
    stopped = found[1] in user.muted_notifications
    if request.method == "POST" and not stopped:
        user.muted_notifications = [*user.muted_notifications, kind.name]
        user.save(update_fields=["muted_notifications"])
        stopped = True
    context = {"kind": kind, "stopped": stopped, "person": user}
    return render(request, "participants/notifications_stop.html", context)


@login_required
def emails_overview(request):
    """What the background work emailed to the coordinator's programmes: how many of each
    kind were sent, those that failed (to send again), and who switched reminders off."""
    programs = Program.objects.coordinated_by(request.user)
    if not programs.exists():
        raise Http404
    ledger = Notification.objects.coordinated_by(request.user)
    counts = {}
    for kind, state, number in (
        ledger.values_list("kind", "state").annotate(n=Count("pk")).order_by("kind", "state")
    ):
        counts.setdefault(kind, {})[state] = number
    kinds = notifications.KINDS
    summary = [
        {
            "label": kinds[kind].label if kind in kinds else kind,
            "waiting": states.get("pending", 0) + states.get("sending", 0),
            **states,
        }
        for kind, states in counts.items()
    ]
    failed = ledger.filter(state=Notification.State.FAILED).select_related("recipient")[:100]
    opted_out = (
        User.objects.filter(
            participations__cycle__program__in=programs,
            participations__status=Participant.Status.ACCEPTED,
        )
        .exclude(muted_notifications=[])
        .distinct()
        .order_by("last_name", "first_name")
    )
    for person in opted_out:
        person.muted_labels = [kinds[k].label for k in person.muted_notifications if k in kinds]
    context = {"summary": summary, "failed": failed, "opted_out": opted_out}
    return render(request, "participants/emails_overview.html", context)


@login_required
@require_POST
def emails_retry(request):
    """Send the failed emails of the coordinator's programmes again."""
    failed = Notification.objects.coordinated_by(request.user).filter(
        state=Notification.State.FAILED
    )
    again = failed.update(
        state=Notification.State.PENDING, attempts=0, next_attempt_at=timezone.now()
    )
    notifications.dispatch()
    messages.success(
        request,
        ngettext(
            "%(count)d email will be sent again.", "%(count)d emails will be sent again.", again
        )
        % {"count": again},
    )
    return redirect("participants:emails")
