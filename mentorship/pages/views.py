"""Pages that gather what several apps know about the visitor: the home page, "My mentorship"
and the personal calendar feed."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Min, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from meetings.cadence import State, cadence_of, with_cadence
from meetings.calendar import next_meeting_entries, upcoming_meetings
from meetings.models import Goal, HelpRequest, Meeting
from mentorship.ics import to_ics
from mentorship.mail import recipient_language
from participants.models import Pairing, Participant
from programs.models import Cycle


def home(request):
    open_cycles = (
        Cycle.objects.open_for_registration()
        .select_related("program")
        .order_by("registration_closes", "program__name")
    )
    return render(request, "pages/home.html", {"open_cycles": open_cycles})


def _count(queryset):
    return Coalesce(
        Subquery(queryset.order_by().values("pairing").annotate(n=Count("pk")).values("n")), 0
    )


def _my_pairings(user):
    """The person's published pairings with what their workspace needs, in two queries."""
    now = timezone.now()
    meetings = Meeting.objects.filter(pairing=OuterRef("pk"))
    pairings = (
        Pairing.objects.visible_to(user)
        .filter(members__user=user)
        .exclude(status=Pairing.Status.DRAFT)
        .select_related("cycle__program")
        .with_members()
        .annotate(
            goals_count=_count(Goal.objects.filter(pairing=OuterRef("pk"))),
            to_confirm=_count(
                meetings.filter(confirmed_at=None).exclude(logged_by=user).exclude(logged_by=None)
            ),
            next_meeting_at=Subquery(
                meetings.filter(next_meeting_at__gte=now)
                .order_by()
                .values("pairing")
                .annotate(first=Min("next_meeting_at"))
                .values("first")
            ),
        )
        .order_by("status", "-starts_on", "pk")
    )
    pairings = list(with_cadence(pairings))
    for pairing in pairings:
        pairing.others = pairing.others_for(user)
        pairing.cadence = cadence_of(pairing)
        pairing.todo = _todo(pairing)
    return pairings


def _todo(pairing) -> list[str]:
    """What to do next in an active pairing, most pressing first."""
    if pairing.status != Pairing.Status.ACTIVE:
        return []
    todo = []
    if pairing.to_confirm:
        todo.append("confirm")
    if not pairing.goals_count:
        todo.append("goals")
    if pairing.cadence.state != State.ON_TRACK:
        todo.append("meet")
    return todo


@login_required
def my_mentorship(request):
    user = request.user
    registrations = list(
        Participant.objects.visible_to(user)
        .filter(user=user)
        .select_related("cycle__program")
        .order_by("-cycle__starts_on", "role")
    )
    pairings = _my_pairings(user)
    paired = {
        member.pk
        for pairing in pairings
        if pairing.status == Pairing.Status.ACTIVE
        for member in pairing.members.all()
        if member.user_id == user.pk
    }
    for participant in registrations:
        participant.is_paired = participant.pk in paired
    answered = (
        HelpRequest.objects.visible_to(user)
        .filter(participant__user=user, status=HelpRequest.Status.ANSWERED)
        .select_related("participant__cycle__program")
    )
    context = {
        "registrations": registrations,
        "pairings": pairings,
        "answered": answered,
        "now": timezone.now(),
        "Stage": Cycle.Stage,
    }
    return render(request, "pages/my_mentorship.html", context)


@login_required
@require_POST
def calendar_renew(request):
    """Make the person's calendar address, or a new one that replaces it."""
    renewing = bool(request.user.calendar_token)
    request.user.calendar_feed_token(renew=True)
    if renewing:
        messages.success(
            request,
            _(
                "Your calendar has a new address. Give it to your calendar app: the old one stopped."
            ),
        )
    return redirect("my_mentorship")


def calendar_feed(request, token):
    """The person's private feed: their next meetings, for any calendar app (no login)."""
    user = get_user_model().objects.filter(calendar_token=token, is_active=True).first()
    if user is None:
        raise Http404
    with translation.override(recipient_language(user)):
        entries = next_meeting_entries(upcoming_meetings(user), for_user=user)
    body = to_ics(entries, name=settings.SITE_NAME)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=900"
    return response
