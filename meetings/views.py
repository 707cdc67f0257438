"""The pairing's workspace: its page, goals, activity plan and meeting log.

Members read and change everything of their pairing while it is active; the programme's
coordinators read it, without the meetings' notes and agreed steps; everyone else gets 404.
"""

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mentorship.ics import to_ics
from participants.models import Pairing

from . import calendar, work
from .cadence import cadence_of, with_meetings_this_month
from .forms import GoalForm, MeetingForm, PlanItemForm
from .models import Change, Goal, Meeting, PlanItem

MEETINGS_PER_PAGE = 20
HISTORY_ON_PAGE = 8


def _pairing(request, pk, *, change=False, queryset=None) -> Pairing:
    """The pairing if the visitor may see it (404 otherwise); with `change`, 403 unless they
    are a member and it is still active."""
    queryset = queryset if queryset is not None else Pairing.objects.all()
    pairing = get_object_or_404(
        queryset.visible_to(request.user)
        .exclude(status=Pairing.Status.DRAFT)
        .select_related("cycle__program")
        .with_members(),
        pk=pk,
    )
    pairing.is_member = any(m.user_id == request.user.pk for m in pairing.members.all())
    pairing.can_change = pairing.is_member and pairing.status == Pairing.Status.ACTIVE
    if change and not pairing.can_change:
        raise PermissionDenied
    return pairing


@login_required
def pairing_detail(request, pk):
    # Its meetings this month counted in the query of the pairing, for its rhythm.
    pairing = _pairing(request, pk, queryset=with_meetings_this_month(Pairing.objects.all()))
    return render(request, "meetings/pairing.html", _workspace(request, pairing))


def _workspace(request, pairing) -> dict:
    # The pairing was fetched as the visitor may see it: its own rows are read through it.
    meetings = pairing.meetings.select_related("logged_by", "confirmed_by").order_by(
        "-held_on", "-pk"
    )
    paginator = Paginator(meetings, MEETINGS_PER_PAGE)
    paginator.count = pairing.meetings_count  # kept by the pairing: its meetings not counted
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    members = pairing.members.all()
    for meeting in page:
        meeting.editable = meeting.is_editable_by(request.user) and pairing.can_change
        meeting.confirmable = pairing.can_change and meeting.is_confirmable_by(
            request.user, members
        )
    goals = {goal.pk: goal for goal in pairing.goals.order_by("pk")}
    _discussed(page.object_list, goals)
    plan = list(pairing.plan_items.all())
    for item in plan:
        item.goal = goals.get(item.goal_id)  # the pairing's own goals, read above
    return {
        "pairing": pairing,
        "cycle": pairing.cycle,
        "cadence": cadence_of(pairing),
        "goals": list(goals.values()),
        "plan": plan,
        "page": page,
        "history": _history(pairing)[:HISTORY_ON_PAGE],
    }


def _discussed(meetings, goals: dict) -> None:
    """Give each meeting `discussed`: the goals it discussed, from the links alone (the
    pairing's goals are read once already, not again for each link)."""
    links = Meeting.goals.through.objects.filter(meeting__in=[m.pk for m in meetings])
    found = defaultdict(list)
    for meeting, goal in links.order_by("goal").values_list("meeting", "goal"):
        if goal in goals:
            found[meeting].append(goals[goal])
    for meeting in meetings:
        meeting.discussed = found[meeting.pk]


def _history(pairing):
    return Change.objects.filter(pairing=pairing).select_related("author").order_by("-at", "-pk")


@login_required
def history(request, pk):
    pairing = _pairing(request, pk)
    page = Paginator(_history(pairing), 50).get_page(request.GET.get("page"))
    return render(request, "meetings/history.html", {"pairing": pairing, "page": page})


def _edit(request, pairing, form, *, template, saved):
    if request.method == "POST" and form.is_valid():
        work.save_with_history(form, pairing=pairing, by=request.user)
        messages.success(request, saved)
        return redirect(pairing_url(pairing, "plan"))
    context = {"pairing": pairing, "form": form, "instance": form.instance}
    return render(request, template, context)


def pairing_url(pairing, anchor="") -> str:
    url = reverse("meetings:pairing", args=[pairing.pk])
    return f"{url}#{anchor}" if anchor else url


def _own(request, model, pairing, pk):
    """A goal, plan item or meeting of the pairing, fetched as the visitor may see it."""
    return get_object_or_404(model.objects.visible_to(request.user), pairing=pairing, pk=pk)


@login_required
def goal_edit(request, pk, goal_pk=None):
    pairing = _pairing(request, pk, change=True)
    goal = _own(request, Goal, pairing, goal_pk) if goal_pk else Goal(pairing=pairing)
    form = GoalForm(request.POST or None, instance=goal)
    saved = _("The goal is saved.") if goal_pk else _("The goal is added.")
    return _edit(request, pairing, form, template="meetings/goal_form.html", saved=saved)


@login_required
def plan_item_edit(request, pk, item_pk=None):
    pairing = _pairing(request, pk, change=True)
    item = _own(request, PlanItem, pairing, item_pk) if item_pk else PlanItem(pairing=pairing)
    form = PlanItemForm(request.POST or None, instance=item, pairing=pairing)
    saved = _("The plan is saved.")
    return _edit(request, pairing, form, template="meetings/plan_item_form.html", saved=saved)


def _delete(request, pk, model, item_pk, deleted):
    pairing = _pairing(request, pk, change=True)
    work.delete_with_history(_own(request, model, pairing, item_pk), by=request.user)
    messages.success(request, deleted)
    return redirect(pairing_url(pairing, "plan"))


@login_required
@require_POST
def goal_delete(request, pk, goal_pk):
    return _delete(request, pk, Goal, goal_pk, _("The goal is deleted."))


@login_required
@require_POST
def plan_item_delete(request, pk, item_pk):
    return _delete(request, pk, PlanItem, item_pk, _("The plan item is deleted."))


@login_required
@require_POST
def plan_item_done(request, pk, item_pk):
    pairing = _pairing(request, pk, change=True)
    item = _own(request, PlanItem, pairing, item_pk)
    work.mark_done(item, request.POST.get("done") == "1", by=request.user)
    return redirect(pairing_url(pairing, "plan"))


def _meeting(request, pairing, meeting_pk) -> Meeting:
    return _own(request, Meeting, pairing, meeting_pk)


@login_required
def meeting_new(request, pk):
    pairing = _pairing(request, pk, change=True)
    meeting = Meeting(pairing=pairing, logged_by=request.user)
    form = MeetingForm(request.POST or None, instance=meeting, pairing=pairing)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(
            request, _("The meeting is logged. The others in your pairing can confirm it.")
        )
        return redirect(pairing_url(pairing, "meetings"))
    return render(request, "meetings/meeting_form.html", {"pairing": pairing, "form": form})


def _editable_meeting(request, pairing, meeting_pk) -> Meeting:
    meeting = _meeting(request, pairing, meeting_pk)
    if not meeting.is_editable_by(request.user):
        raise PermissionDenied
    return meeting


@login_required
def meeting_edit(request, pk, meeting_pk):
    pairing = _pairing(request, pk, change=True)
    meeting = _editable_meeting(request, pairing, meeting_pk)
    form = MeetingForm(request.POST or None, instance=meeting, pairing=pairing)
    if request.method == "POST" and form.is_valid():
        meeting = form.save(commit=False)
        if {"held_on", "duration_minutes"} & set(form.changed_data):
            # What the others confirmed has changed: they confirm it again.
            meeting.confirmed_by = meeting.confirmed_at = None
        meeting.save()
        form.save_m2m()
        messages.success(request, _("The meeting is saved."))
        return redirect(pairing_url(pairing, "meetings"))
    context = {"pairing": pairing, "form": form, "meeting": meeting}
    return render(request, "meetings/meeting_form.html", context)


@login_required
@require_POST
def meeting_delete(request, pk, meeting_pk):
    pairing = _pairing(request, pk, change=True)
    _editable_meeting(request, pairing, meeting_pk).delete()
    messages.success(request, _("The meeting is deleted from the log."))
    return redirect(pairing_url(pairing, "meetings"))


@login_required
@require_POST
def meeting_confirm(request, pk, meeting_pk):
    pairing = _pairing(request, pk, change=True)
    meeting = _meeting(request, pairing, meeting_pk)
    if meeting.is_confirmable_by(request.user, pairing.members.all()) and meeting.confirm(
        request.user
    ):
        messages.success(request, _("Thank you: the meeting is confirmed."))
    else:
        messages.info(request, _("This meeting needs no confirmation from you."))
    return redirect(pairing_url(pairing, "meetings"))


@login_required
def meeting_ics(request, pk, meeting_pk):
    """The next meeting agreed in a log, as a calendar file for the members."""
    pairing = _pairing(request, pk)
    meeting = _meeting(request, pairing, meeting_pk)
    if not pairing.is_member or meeting.next_meeting_at is None:
        raise Http404
    meeting.pairing = pairing
    body = to_ics(calendar.next_meeting_entries([meeting], for_user=request.user))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}.ics"'
    return response
