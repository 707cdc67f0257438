"""The end-of-cycle report as an XLSX workbook: one sheet a part of the report, with a chart of
the meetings month by month."""

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference

from mentorship.spreadsheets import XLSX, add_sheet, attachment, xlsx_bytes
from participants.models import Participant
from programs.models import Question


def _role_names() -> dict:
    return {Participant.Role.MENTOR: _("Mentors"), Participant.Role.MENTEE: _("Mentees")}


def _summary(book, cycle, data):
    labels = {
        "mentors": _("Mentors"), "mentees": _("Mentees"), "pairings": _("Pairs and groups"),
        "meetings": _("Meetings held"), "hours": _("Hours of meetings"),
        "events": _("Events held"), "attended": _("Attendances at events"),
        "self_assessed": _("Self-assessments answered"),
    }  # fmt: skip
    header = [_("Figure"), str(cycle)]
    previous = data["previous_figures"]
    if previous:
        header.append(str(data["previous"]))
    rows = [
        [label, round(data["figures"][key], 1)] + ([round(previous[key], 1)] if previous else [])
        for key, label in labels.items()
    ]
    add_sheet(book, _("Summary"), header, rows)


def _registrations(book, data):
    statuses = Participant.Status
    roles = _role_names()
    header = [_("Status"), *roles.values()]
    rows = [
        [str(label), *(data["registrations"][role][value] for role in roles)]
        for value, label in statuses.choices
    ]
    add_sheet(book, _("Participants"), header, rows)


def _pairings(book, data):
    header = [_("Mentors"), _("Mentees"), _("Status"), _("Meetings"), _("Hours")]
    rows = [
        [
            pairing.mentor_names,
            pairing.mentee_names,
            pairing.get_status_display(),
            pairing.meetings_count,
            round(pairing.hours, 1),
        ]
        for pairing in data["per_pairing"]
    ]
    add_sheet(book, _("Pairs and groups"), header, rows)


def _meetings(book, data):
    header = [_("Month"), _("Meetings"), _("Hours")]
    rows = [
        [row["period"].strftime("%Y-%m"), row["meetings"], round(row["hours"], 1)]
        for row in data["monthly"]
    ]
    sheet = add_sheet(book, _("Meetings"), header, rows)
    if rows:
        chart = BarChart()
        chart.title = _("Meetings per month")
        chart.add_data(Reference(sheet, min_col=2, min_row=1, max_row=len(rows) + 1),
                       titles_from_data=True)  # fmt: skip
        chart.set_categories(Reference(sheet, min_col=1, min_row=2, max_row=len(rows) + 1))
        sheet.add_chart(chart, "E2")


def _events(book, data):
    header = [_("Date"), _("Event"), _("Kind"), _("Signed up"), _("Attended")]
    rows = [
        [
            event.starts_at.strftime("%Y-%m-%d"),
            event.title,
            event.get_kind_display(),
            event.taken,
            event.attended,
        ]
        for event in data["events"]
    ]
    add_sheet(book, _("Events"), header, rows)


def _answer_cells(question, summary) -> list:
    if question.kind == Question.Kind.SCALE:
        average = summary["average"]
        spread = ", ".join(f"{value}: {count}" for value, count in summary["distribution"])
        return [round(average, 2) if average is not None else "", spread]
    if "counts" in summary:
        names = {True: _("Yes"), False: _("No")}
        counts = ", ".join(f"{names.get(o, o)}: {n}" for o, n in summary["counts"])
        return ["", counts]
    return ["", "\n".join(f"{text} ({name})" if name else text for text, name in summary["texts"])]


def _results(book, data):
    roles = _role_names()
    header = [_("Question")]
    for role_name in roles.values():
        header += [f"{role_name}: {_('answers')}", f"{role_name}: {_('average')}",
                   f"{role_name}: {_('distribution or answers')}"]  # fmt: skip
    rows = []
    for result in data["results"]:
        row = [result["question"].text]
        for role in roles:
            summary = result["roles"][role]
            row += [summary["answers"], *_answer_cells(result["question"], summary)]
        rows.append(row)
    add_sheet(book, _("Self-assessment"), header, rows)


def build(cycle, data) -> bytes:
    book = Workbook()
    book.remove(book.active)
    _summary(book, cycle, data)
    _registrations(book, data)
    _pairings(book, data)
    _meetings(book, data)
    _events(book, data)
    _results(book, data)
    return xlsx_bytes(book)


def download(cycle, data, *, name: str) -> HttpResponse:
    return attachment(build(cycle, data), filename=f"{name}.xlsx", content_type=XLSX)
