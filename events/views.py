"""Event pages: the list, an event with its sign-up, and the coordinators' sign-ups, attendance,
exports and messages. Events a person may not see answer 404."""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Subquery
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from mentorship.ics import to_ics
from mentorship.spreadsheets import download, local_time
from participants.models import AuditEntry
from programs.models import Program

from . import signup as signups
from .calendar import event_entry
from .emails import message_email
from .forms import MessageForm
from .models import Event, Material, Message, SignUp

PAGE_SIZE = 20
SLUG = re.compile(r"[-a-zA-Z0-9_]{1,80}")


def _filters(request):
    """The list's filters as given, each checked against what exists."""
    when = request.GET.get("when", "upcoming")
    kind = request.GET.get("kind", "")
    program = request.GET.get("programme", "")
    return {
        "when": when if when in ("upcoming", "past") else "upcoming",
        "kind": kind if kind in Event.Kind.values else "",
        "programme": program if SLUG.fullmatch(program) else "",
    }


def event_list(request):
    filters = _filters(request)
    events = Event.objects.visible_to(request.user)
    if filters["when"] == "past":
        events = events.past().order_by("-starts_at", "-pk")
    else:
        events = events.upcoming().order_by("starts_at", "pk")
    if filters["kind"]:
        events = events.filter(kind=filters["kind"])
    if filters["programme"]:
        events = events.filter(program__slug=filters["programme"])
    shown = events.select_related("program").with_places()
    if request.user.is_authenticated:
        mine = SignUp.objects.filter(event=OuterRef("pk"), user=request.user).current()
        shown = shown.annotate(my_status=Subquery(mine.order_by().values("status")[:1]))
    paginator = Paginator(shown, PAGE_SIZE)
    paginator.count = events.count()  # counted without the places and sign-ups it need not join
    page = paginator.get_page(request.GET.get("page"))
    query = "&".join(f"{key}={value}" for key, value in filters.items() if value)
    context = {
        "page": page,
        "filters": filters,
        "kinds": Event.Kind.choices,
        "programs": Program.objects.visible_to(request.user)
        .filter(Exists(Event.objects.filter(program=OuterRef("pk"))))
        .order_by("name")
        .values("slug", "name"),  # the filter's options only
        "query": query,
    }
    return render(request, "events/event_list.html", context)


def _event(request, pk) -> Event:
    return get_object_or_404(
        Event.objects.visible_to(request.user).select_related("program", "cycle").with_places(),
        pk=pk,
    )


def event_detail(request, pk):
    event = _event(request, pk)
    signup = None
    if request.user.is_authenticated:
        signup = SignUp.objects.filter(event=event, user=request.user).current().first()
    context = {
        "event": event,
        "signup": signup,
        "materials": event.materials.all(),
        "manages": Event.objects.coordinated_by(request.user).filter(pk=event.pk).exists(),
        "waitlist_position": _position(signup),
    }
    return render(request, "events/event_detail.html", context)


def _position(signup) -> int | None:
    if signup is None or signup.status != SignUp.Status.WAITLISTED:
        return None
    ahead = SignUp.objects.waitlisted().filter(
        event=signup.event_id, signed_up_at__lt=signup.signed_up_at
    )
    return ahead.count() + 1


@require_POST
def event_signup(request, pk):
    if not request.user.is_authenticated:
        return redirect_to_login(Event(pk=pk).get_absolute_url())
    event = _event(request, pk)
    try:
        signup = signups.sign_up(event, request.user)
    except signups.SignUpError as refusal:
        messages.warning(request, str(refusal))
        return redirect(event)
    if signup.status == SignUp.Status.CONFIRMED:
        messages.success(request, _("You are signed up. The event is in your calendar feed."))
    else:
        messages.info(
            request,
            _(
                "The event is full: you are on the waitlist. If a place frees up, it is yours "
                "and you get an email."
            ),
        )
    return redirect(event)


@login_required
@require_POST
def event_cancel(request, pk):
    event = _event(request, pk)
    signup = SignUp.objects.filter(event=event, user=request.user).current().first()
    if signup is None:
        messages.info(request, _("You are not signed up for this event."))
        return redirect(event)
    try:
        signups.cancel(signup)
    except signups.SignUpError as refusal:
        messages.warning(request, str(refusal))
        return redirect(event)
    messages.success(request, _("Your sign-up is cancelled."))
    return redirect(event)


def event_ics(request, pk):
    event = _event(request, pk)
    response = HttpResponse(to_ics([event_entry(event)]), content_type="text/calendar")
    response["Content-Disposition"] = f'attachment; filename="event-{event.pk}.ics"'
    return response


def material_download(request, pk, material_pk):
    event = _event(request, pk)
    material = get_object_or_404(Material, event=event, pk=material_pk)
    if not material.file:
        return redirect(material.link)
    return material.as_download()


def _managed(request, pk) -> Event:
    return get_object_or_404(
        Event.objects.coordinated_by(request.user).select_related("program").with_places(), pk=pk
    )


def _signups(event):
    return (
        event.signups.current()
        .select_related("user")
        .order_by("status", "user__last_name", "user__first_name", "pk")
    )


@login_required
def attendance(request, pk):
    """Who signed up and who came: made for a phone at the door."""
    event = _managed(request, pk)
    context = {"event": event, "signups": _signups(event)}
    return render(request, "events/attendance.html", context)


@login_required
@require_POST
def mark_attendance(request, pk, signup_pk):
    event = _managed(request, pk)
    signup = get_object_or_404(event.signups.confirmed().select_related("user"), pk=signup_pk)
    value = request.POST.get("attended")
    if value not in ("yes", "no", "unknown"):
        raise Http404
    signup.attended = {"yes": True, "no": False, "unknown": None}[value]
    signup.save(update_fields=["attended"])
    if request.headers.get("HX-Request"):
        return render(request, "events/_attendance_row.html", {"event": event, "s": signup})
    return redirect("events:attendance", event.pk)


@login_required
def export_signups(request, pk, fmt):
    event = _managed(request, pk)
    if fmt not in ("csv", "xlsx"):
        raise Http404
    header = [_("Last name"), _("First name"), _("Email")]
    header += [_("Status"), _("Signed up"), _("Attended")]
    attended = {True: _("Yes"), False: _("No"), None: ""}
    rows = [
        [
            s.user.last_name,
            s.user.first_name,
            s.user.email,
            s.get_status_display(),
            local_time(s.signed_up_at),
            attended[s.attended],
        ]
        for s in _signups(event)
    ]
    name = slugify(f"{event.starts_at:%Y-%m-%d} {event.title}")[:80] or "event"
    AuditEntry.record(request.user, AuditEntry.Action.EXPORTED, details=f"{name}.{fmt}")
    return download(header, rows, name=name, fmt=fmt, title=_("Sign-ups"))


@login_required
def message(request, pk):
    """Write to everyone signed up; each gets the email in their own language's frame."""
    event = _managed(request, pk)
    form = MessageForm(request.POST or None)
    recipients = list(event.signups.current().values_list("user_id", flat=True))
    if request.method == "POST" and form.is_valid():
        if not recipients:
            form.add_error(None, _("Nobody is signed up yet: there is no one to write to."))
        else:
            sent = form.save(commit=False)
            sent.event, sent.sent_by, sent.recipients = event, request.user, len(recipients)
            sent.save()
            message_email(sent, recipients)
            messages.success(
                request,
                ngettext(
                    "The message is on its way to %(count)d person.",
                    "The message is on its way to %(count)d people.",
                    len(recipients),
                )
                % {"count": len(recipients)},
            )
            return redirect("events:attendance", event.pk)
    context = {
        "event": event,
        "form": form,
        "recipients": len(recipients),
        "sent": Message.objects.filter(event=event).select_related("sent_by"),
    }
    return render(request, "events/message.html", context)
