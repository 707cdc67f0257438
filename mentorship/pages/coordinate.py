"""The coordinators' overview of their programmes, each cycle's dashboard, and the end-of-cycle
report as a printable page and as an XLSX workbook. Only a cycle's coordinators (and
superusers) see them; everyone else gets 404."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from meetings.cadence import State, with_cadence
from meetings.models import HelpRequest
from mentorship import freshness
from participants.models import AuditEntry, Pairing, Participant
from programs.models import Cycle

from . import figures, workbook

RECENT_DAYS = 365
# The report's page lists this many pairings (most meetings first); its spreadsheet, all.
REPORT_LISTS = 50


def _cycle(request, pk) -> Cycle:
    return get_object_or_404(
        Cycle.objects.coordinated_by(request.user).select_related("program"), pk=pk
    )


@login_required
def overview(request):
    """Every cycle the person coordinates that is under way or ended within a year, with its
    stage, people, pairs and what needs attention."""
    since = timezone.localdate() - timezone.timedelta(days=RECENT_DAYS)
    cycles = list(
        Cycle.objects.coordinated_by(request.user)
        .filter(ends_on__gte=since)
        .select_related("program")
        .annotate(
            accepted=figures.count_of(Participant.objects.accepted(), "cycle"),
            applied=figures.count_of(
                Participant.objects.filter(status=Participant.Status.APPLIED), "cycle"
            ),
            active=figures.count_of(Pairing.objects.active(), "cycle"),
        )
        .order_by("program__name", "-starts_on")
    )
    if not cycles and not request.user.is_coordinator:
        raise Http404
    overdue = dict(
        with_cadence(Pairing.objects.active().filter(cycle__in=cycles))
        .filter(cadence_state=State.OVERDUE)
        .values_list("cycle")
        .annotate(n=Count("pk"))
        .order_by()
    )
    waiting = dict(
        HelpRequest.objects.filter(participant__cycle__in=cycles, status=HelpRequest.Status.OPEN)
        .values_list("participant__cycle")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for cycle in cycles:
        cycle.overdue = overdue.get(cycle.pk, 0)
        cycle.open_help = waiting.get(cycle.pk, 0)
    return render(request, "pages/coordinate_overview.html", {"cycles": cycles})


def _chart(kind, labels, **series) -> dict:
    """A chart's data for static/js/charts.js: labels and named series of values."""
    return {
        "type": kind,
        "labels": [str(label) for label in labels],
        "series": [{"label": str(label), "values": values} for label, values in series.values()],
    }


def _stages(cycle, entries) -> list[dict]:
    entered = {entry.stage: entry.entered_at for entry in entries}
    return [
        {
            "number": value,
            "label": label,
            "entered": entered.get(value),
            "current": value == cycle.stage,
        }
        for value, label in Cycle.Stage.choices
    ]


def _counted(request, name: str, cycles: list[Cycle], template: str, context_of) -> dict:
    """The figures' part of a page about `cycles[0]` and when it was counted, kept between
    visits (`mentorship.freshness.kept`). Every coordinator of the cycle is given the same
    HTML, so the figures' templates show nothing of the visitor's own: no name, no messages."""
    stamp = freshness.stamp(*(mark for cycle in cycles for mark in freshness.of_cycle(cycle)))
    kept = freshness.kept(request, f"{name}:{cycles[0].pk}", stamp, template, context_of)
    return {"figures_html": kept.html, "counted_at": kept.at}


@login_required
def dashboard(request, pk):
    cycle = _cycle(request, pk)
    page = _counted(
        request, "dashboard", [cycle], "pages/_dashboard_figures.html", lambda: _dashboard(cycle)
    )
    return render(request, "pages/dashboard.html", {"cycle": cycle, **page})


def _dashboard(cycle) -> dict:
    data = figures.dashboard(cycle)
    states = data["cadence"]["counts"]
    charts = {
        "weekly_chart": _chart(
            "bar", data["weekly"]["labels"], meetings=(_("Meetings"), data["weekly"]["values"])
        ),
        "cadence_chart": _chart(
            "doughnut",
            [State(value).label for value in states],
            pairings=(_("Pairs and groups"), list(states.values())),
        ),
    }
    return {"cycle": cycle, "stages": _stages(cycle, data.pop("stages")), **data, **charts}


@login_required
def report(request, pk):
    cycle = _cycle(request, pk)
    previous = cycle.previous()
    page = _counted(
        request,
        "report",
        [cycle, *([previous] if previous else [])],
        "pages/_report_figures.html",
        lambda: _report(cycle, previous),
    )
    context = {"cycle": cycle, "today": timezone.localdate(), **page}
    return render(request, "pages/report.html", context)


def _report(cycle, previous) -> dict:
    data = figures.report(cycle, previous, listed=REPORT_LISTS)
    months = data["monthly"]
    return {
        "cycle": cycle,
        "monthly_chart": _chart(
            "bar",
            [row["period"].strftime("%Y-%m") for row in months],
            meetings=(_("Meetings"), [row["meetings"] for row in months]),
            hours=(_("Hours"), [round(row["hours"], 1) for row in months]),
        ),
        **data,
    }


@login_required
def report_xlsx(request, pk):
    cycle = _cycle(request, pk)
    name = slugify(f"{cycle.program.slug}-{cycle.name}-report") or "report"
    AuditEntry.record(request.user, AuditEntry.Action.EXPORTED, cycle=cycle, details=name)
    return workbook.download(cycle, figures.report(cycle, cycle.previous()), name=name)
