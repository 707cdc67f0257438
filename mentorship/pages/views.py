"""Pages that gather what several apps know about the visitor: the home page, "My mentorship"
and the personal calendar feed."""

from collections import defaultdict

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.db.models import F
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from events.calendar import signed_up_entries
from events.models import Event, SignUp
from meetings.cadence import State, cadence_of, month_of
from meetings.calendar import next_meeting_entries, upcoming_meetings
from meetings.models import Goal, HelpRequest, Meeting
from mentorship.ics import to_ics
from mentorship.mail import recipient_language
from participants.models import Pairing, Participant
from participants.registrations import self_assessment
from programs.models import Cycle

from .figures import count_of


def home(request):
    open_cycles = (
        Cycle.objects.open_for_registration()
        .select_related("program")
        .order_by("registration_closes", "program__name")
    )
    return render(request, "pages/home.html", {"open_cycles": open_cycles})


EVENTS_SHOWN = 5


def _my_pairings(user, cycles: dict):
    """The person's published pairings with what their workspace needs: members, cadence,
    goals, meetings waiting for their confirmation and the next agreed meeting (worked out
    here from their few meetings, rather than by a subquery for each). Each is in a cycle of
    one of their registrations, which `cycles` holds by id with its programme."""
    pairings = list(
        Pairing.objects.of_member(user)
        .with_members()
        .annotate(goals_count=count_of(Goal.objects.all(), "pairing"))
        .order_by("status", "-starts_on", "pk")
    )
    meetings = defaultdict(list)
    rows = (
        Meeting.objects.filter(pairing__in=pairings)
        .order_by()
        .values_list("pairing", "held_on", "next_meeting_at", "confirmed_at", "logged_by")
    )
    for pairing_id, *meeting in rows:
        meetings[pairing_id].append(meeting)
    now = timezone.now()
    start, end = month_of(timezone.localdate(now))
    for pairing in pairings:
        pairing.cycle = cycles[pairing.cycle_id]
        mine = meetings[pairing.pk]
        pairing.to_confirm = sum(
            1 for _, _, confirmed, by in mine if confirmed is None and by not in (None, user.pk)
        )
        upcoming = [at for _, at, _, _ in mine if at is not None and at >= now]
        pairing.next_meeting_at = min(upcoming, default=None)
        pairing.meetings_this_month = sum(1 for held, *_ in mine if start <= held < end)
        pairing.others = pairing.others_for(user)
        pairing.cadence = cadence_of(pairing)
    return pairings


def _my_events(user):
    """The upcoming events the person has a place at or waits for, soonest first."""
    return list(
        Event.objects.visible_to(user)
        .upcoming()
        .filter(
            signups__user=user,
            signups__status__in=[SignUp.Status.CONFIRMED, SignUp.Status.WAITLISTED],
        )
        .annotate(my_status=F("signups__status"))  # of the sign-up just joined
        .select_related("program")
        .order_by("starts_at", "pk")[:EVENTS_SHOWN]
    )


def _todo(pairings, answered, events, to_self_assess) -> list[dict]:
    """What to do next, most pressing first: each item says what and links to where."""
    todo = [
        {
            "text": _("Answer the self-assessment of %(place)s.")
            % {"place": f"{p.cycle.program.name} {p.cycle.name}"},
            "url": reverse("participants:self_assessment", args=[p.pk]),
        }
        for p in to_self_assess
    ]
    tomorrow = timezone.localdate() + timezone.timedelta(days=1)
    for event in events:
        if event.my_status == SignUp.Status.CONFIRMED and (
            timezone.localdate(event.starts_at) <= tomorrow
        ):
            todo.append(
                {
                    "text": _("%(title)s starts %(when)s.")
                    % {"title": event.title, "when": _starts(event)},
                    "url": event.get_absolute_url(),
                }
            )
    for pairing in pairings:
        if pairing.status != Pairing.Status.ACTIVE:
            continue
        place = f"{pairing.cycle.program.name} {pairing.cycle.name}"
        workspace = reverse("meetings:pairing", args=[pairing.pk])
        if pairing.to_confirm:
            todo.append(
                {
                    "text": _("Confirm the meetings your pairing logged (%(place)s).")
                    % {"place": place},
                    "url": f"{workspace}#meetings",
                }
            )
        if not pairing.goals_count:
            todo.append(
                {
                    "text": _("Set your goals together (%(place)s).") % {"place": place},
                    "url": reverse("meetings:goal_new", args=[pairing.pk]),
                }
            )
        if pairing.cadence.state != State.ON_TRACK:
            todo.append(
                {
                    "text": _("A meeting is due: meet and log it (%(place)s).") % {"place": place},
                    "url": reverse("meetings:meeting_new", args=[pairing.pk]),
                }
            )
    for help_request in answered:
        todo.append(
            {
                "text": _("The coordinators answered your question about “%(topic)s”.")
                % {"topic": help_request.get_topic_display()},
                "url": reverse("meetings:help_request", args=[help_request.pk]),
            }
        )
    return todo


def _starts(event) -> str:
    day = timezone.localdate(event.starts_at)
    time = formats.time_format(timezone.localtime(event.starts_at), "TIME_FORMAT")
    if day == timezone.localdate():
        return _("today at %(time)s") % {"time": time}
    return _("tomorrow at %(time)s") % {"time": time}


@login_required
def my_mentorship(request):
    """The person's home: what to do next, who they work with, their programmes."""
    user = request.user
    registrations = list(
        # The person's own, which they always see: no need for the rule of what they may see.
        Participant.objects.filter(user=user)
        .select_related("cycle__program")
        .order_by("-cycle__starts_on", "role")
    )
    pairings = _my_pairings(user, {r.cycle_id: r.cycle for r in registrations})
    paired = {
        member.pk
        for pairing in pairings
        if pairing.status == Pairing.Status.ACTIVE
        for member in pairing.members.all()
    }
    for participant in registrations:
        participant.is_paired = participant.pk in paired
    answered = list(
        HelpRequest.objects.filter(
            participant__user=user, status=HelpRequest.Status.ANSWERED
        ).order_by("-answered_at")
    )
    events = _my_events(user)
    context = {
        "registrations": registrations,
        "pairings": pairings,
        "events": events,
        "todo": _todo(
            pairings, answered, events, self_assessment.waiting(registrations, timezone.localdate())
        ),
        "forming_stage": Cycle.Stage.FORMING_PAIRS,
        "calendar_url": _calendar_url(user),
    }
    return render(request, "pages/my_mentorship.html", context)


def _calendar_url(user) -> str:
    if not user.calendar_token:
        return ""
    return settings.SITE_URL + reverse("calendar_feed", args=[user.calendar_token])


@login_required
@require_POST
def calendar_renew(request):
    """Make the person's calendar address, or a new one that replaces it."""
    renewing = bool(request.user.calendar_token)
    request.user.calendar_feed_token(renew=True)
    if renewing:
        messages.success(
            request,
            _("Your calendar has a new address. Give it to your calendar app: the old one stops."),
        )
    else:
        messages.success(request, _("Your calendar address is ready. Add it to your calendar app."))
    return redirect(reverse("my_mentorship") + "#calendar")


def calendar_feed(request, token):
    """The person's private feed: their next meetings and the events they have a place at,
    for any calendar app (no login)."""
    user = get_user_model().objects.filter(calendar_token=token, is_active=True).first()
    if user is None:
        raise Http404
    with translation.override(recipient_language(user)):
        entries = next_meeting_entries(upcoming_meetings(user), for_user=user)
        entries += signed_up_entries(user)
    body = to_ics(entries, name=settings.SITE_NAME)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=900"
    return response


def view_on_site(request, content_type_id, object_id):
    """The admin's "view on site" link, limited like every other page: to the objects the
    visitor may see (Django's own looks any object up and so tells that it exists)."""
    content_type = get_object_or_404(ContentType, pk=content_type_id)
    model = content_type.model_class()
    manager = getattr(model, "objects", None)
    if not hasattr(manager, "visible_to") or not hasattr(model, "get_absolute_url"):
        raise Http404
    found = get_object_or_404(manager.visible_to(request.user), pk=object_id)
    return redirect(found)
