"""The coordinators' overview of their programmes, each cycle's dashboard, and the end-of-cycle
report as a printable page and as an XLSX workbook. Only a cycle's coordinators (and
superusers) see them; everyone else gets 404.

The dashboard's and the report's figures are counted from the whole cycle, so they are kept
in the cache for `FIGURES_SECONDS` (by cycle, language and time zone: the data, never the
page's HTML); the page says when they were counted, and "Count again now" forgets them."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from meetings.cadence import State, with_cadence
from meetings.models import HelpRequest
from participants.models import AuditEntry, Pairing, Participant
from programs.access import coordinated_cycle_or_404
from programs.models import Cycle

from . import figures, workbook

RECENT_DAYS = 365
# The report's page lists this many pairings (most meetings first); its spreadsheet, all.
REPORT_LISTS = 50


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


def _figures_key(name: str, cycle: Cycle) -> str:
    zone = timezone.get_current_timezone_name()
    return f"figures:{name}:{cycle.pk}:{get_language()}:{zone}"


def _counted(name: str, cycle: Cycle, count) -> dict:
    """What `count()` counts of the cycle, with `counted_at`, as counted at most
    `FIGURES_SECONDS` ago (or now, when the cache cannot be reached)."""
    return cache.get_or_set(
        _figures_key(name, cycle),
        lambda: {**count(), "counted_at": timezone.now()},
        settings.FIGURES_SECONDS,
    )


def _count_again(request, name: str, cycle: Cycle):
    """ "Count again now": forget the cycle's figures, then show the page counted afresh."""
    cache.delete(_figures_key(name, cycle))
    return redirect(request.path)


@login_required
def dashboard(request, pk):
    cycle = coordinated_cycle_or_404(request.user, pk)
    if "fresh" in request.GET:
        return _count_again(request, "dashboard", cycle)
    figured = _counted("dashboard", cycle, lambda: figures.dashboard(cycle))
    return render(request, "pages/dashboard.html", _dashboard(cycle, figured))


def _dashboard(cycle, data: dict) -> dict:
    data = dict(data)
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
    cycle = coordinated_cycle_or_404(request.user, pk)
    if "fresh" in request.GET:
        return _count_again(request, "report", cycle)
    data = _counted(
        "report", cycle, lambda: figures.report(cycle, cycle.previous(), listed=REPORT_LISTS)
    )
    context = {"today": timezone.localdate(), **_report(cycle, data)}
    return render(request, "pages/report.html", context)


def _report(cycle, data: dict) -> dict:
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
    cycle = coordinated_cycle_or_404(request.user, pk)
    name = slugify(f"{cycle.program.slug}-{cycle.name}-report") or "report"
    AuditEntry.record(request.user, AuditEntry.Action.EXPORTED, cycle=cycle, details=name)
    return workbook.download(cycle, figures.report(cycle, cycle.previous()), name=name)
