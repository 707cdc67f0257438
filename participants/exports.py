"""The base of mentors and the base of mentees: one row a person, one column a question."""

import csv
import io

from django.db.models import Prefetch
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from programs.models import Questionnaire

from .models import Answer, Participant, display_value

# A cell starting with one of these is run as a formula by spreadsheet programs.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def base_table(cycle, role) -> tuple[list[str], list[list]]:
    """The header and the rows of the base of `role` in `cycle`."""
    questionnaire = cycle.questionnaire_for(Questionnaire.registration_purpose(role))
    questions = list(questionnaire.questions.order_by("order", "pk")) if questionnaire else []
    participants = (
        Participant.objects.filter(cycle=cycle, role=role)
        .select_related("user", "cycle")
        .prefetch_related(
            Prefetch(
                "responses__answers",
                queryset=Answer.objects.filter(response__questionnaire=questionnaire),
                to_attr="registration_answers",
            )
        )
        .order_by("user__last_name", "user__first_name")
    )
    header = [_("Last name"), _("First name"), _("Email"), _("Status"), _("Applied")]
    if role == Participant.Role.MENTOR:
        header.append(_("Capacity"))
    header += [q.text for q in questions]
    rows = []
    for participant in participants:
        answers = {
            answer.question_id: answer.value
            for response in participant.responses.all()
            for answer in response.registration_answers
        }
        row = [
            participant.user.last_name,
            participant.user.first_name,
            participant.user.email,
            participant.get_status_display(),
            local_time(participant.applied_at),
        ]
        if role == Participant.Role.MENTOR:
            row.append(participant.effective_capacity)
        row += [display_value(answers.get(q.pk)) for q in questions]
        rows.append([safe_cell(cell) for cell in row])
    return [safe_cell(cell) for cell in header], rows


def local_time(moment) -> str:
    """A time as spreadsheets sort it, in the site's time zone."""
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def as_csv(header, rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    # With a byte-order mark Excel opens UTF-8 (Lithuanian, Latvian, Russian) correctly.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def as_xlsx(header, rows, title: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download(header, rows, *, name: str, fmt: str, title: str) -> HttpResponse:
    """A table as a CSV or XLSX file to download; `fmt` must be one of the two."""
    rows = [[safe_cell(cell) for cell in row] for row in rows]
    header = [safe_cell(cell) for cell in header]
    if fmt == "csv":
        content, content_type = as_csv(header, rows), "text/csv; charset=utf-8"
    else:
        content, content_type = as_xlsx(header, rows, title=str(title)), XLSX
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
