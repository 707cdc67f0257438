"""The coordinators' review of a cycle's registrations, and the exports of the bases."""

from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from mentorship import spreadsheets
from participants.models import Answer, AuditEntry, Participant, display_value
from participants.registrations import exports
from participants.registrations import services as registration
from participants.registrations.access import coordinated_participant_or_404
from programs.access import coordinated_cycle_or_404
from programs.models import Question, Questionnaire

PAGE_SIZE = 50


class RegistrationFilter(forms.Form):
    role = forms.ChoiceField(
        label=gettext_lazy("Role"),
        required=False,
        choices=[("", gettext_lazy("All roles")), *Participant.Role.choices],
    )
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        choices=[("", gettext_lazy("All statuses")), *Participant.Status.choices],
    )
    department = forms.ChoiceField(label=gettext_lazy("Department"), required=False)

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [
            ("", _("All departments")),
            *((d, d) for d in departments),
        ]

    def apply(self, participants):
        if not self.is_bound:
            return participants
        self.is_valid()  # an invalid field is reported on the form and not applied
        data = self.cleaned_data
        if data.get("role"):
            participants = participants.filter(role=data["role"])
        if data.get("status"):
            participants = participants.filter(status=data["status"])
        if data.get("department"):
            participants = participants.filter(
                responses__answers__question__matching_tag=Question.MatchingTag.DEPARTMENT,
                responses__answers__value=data["department"],
            )
        return participants


def _departments(cycle) -> list[str]:
    values = (
        # From the cycle's department questions to their answers, which only the cycle's
        # people give: no join to the people, whose condition read every answer first.
        Answer.objects.filter(
            question__questionnaire__cycle=cycle,
            question__matching_tag=Question.MatchingTag.DEPARTMENT,
        )
        .order_by()
        .values_list("value", flat=True)
        .distinct()  # a few departments from thousands of answers
    )
    return sorted({v for v in values if isinstance(v, str) and v})


@dataclass(frozen=True)
class Shown:
    """One answer as the list shows it."""

    question: Question
    display: str


REGISTRATION = [
    Questionnaire.Purpose.MENTOR_REGISTRATION,
    Questionnaire.Purpose.MENTEE_REGISTRATION,
]


def _registration_answers(participant) -> list[Shown]:
    """The person's answers to their cycle's registration questions, in the questions' order,
    as plain rows (an object for each answer cost more than the query)."""
    questions = {
        question.pk: question
        for question in Question.objects.filter(
            questionnaire__cycle=participant.cycle_id, questionnaire__purpose__in=REGISTRATION
        )
    }
    rows = Answer.objects.filter(
        response__participant=participant, question__in=list(questions)
    ).values_list("question", "value")
    shown = [Shown(questions[question], display_value(value)) for question, value in rows]
    return sorted(shown, key=lambda answer: (answer.question.order, answer.question.pk))


def _answers_counted():
    """How many registration answers each person gave: the list says so, and loads the
    answers themselves only when a row is opened (400 a page cost most of its time)."""
    # The answers of the person's registration: a response's answers are to its own
    # questionnaire's questions, so no question is looked up for each answer.
    per_person = (
        Answer.objects.filter(
            response__participant=OuterRef("pk"),
            response__questionnaire__purpose__in=REGISTRATION,
        )
        .order_by()
        .values("response__participant")
    )
    return Coalesce(Subquery(per_person.annotate(n=Count("*")).values("n")), 0)


@login_required
def registrations(request, cycle_pk):
    cycle = coordinated_cycle_or_404(request.user, cycle_pk)
    filters = RegistrationFilter(request.GET or None, departments=_departments(cycle))
    participants = filters.apply(
        Participant.objects.filter(cycle=cycle).select_related("user")
    ).order_by("role", "status", "status_changed_at", "pk")
    paginator = Paginator(participants.annotate(answers_count=_answers_counted()), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = [_row(participant, cycle) for participant in page.object_list]
    params = request.GET.copy()
    params.pop("page", None)
    context = {"cycle": cycle, "filters": filters, "page": page, "query": params.urlencode()}
    return render(request, "participants/registrations.html", context)


def _row(participant, cycle):
    """What a row shows beyond the person's columns, worked out here: on 50 rows the
    template's filters and plural tags cost more than the rest of the row."""
    participant.cycle = cycle  # read already, for the mentors' default places
    applied = timezone.localtime(participant.applied_at)
    participant.applied = formats.date_format(applied, "SHORT_DATETIME_FORMAT")
    count = participant.answers_count
    participant.answers_label = ngettext("%(answers)s answer", "%(answers)s answers", count) % {
        "answers": count
    }
    return participant


@login_required
def registration_answers(request, cycle_pk, pk):
    """One row's answers, asked for when the coordinator opens it (htmx, at an address below
    the list's, so each row names it by the person's number alone), or as a page of their
    own without JavaScript: for the cycle's coordinators, as the list is; 404 for everyone
    else."""
    cycle = coordinated_cycle_or_404(request.user, cycle_pk)
    participant = get_object_or_404(
        Participant.objects.filter(cycle=cycle).select_related("user"), pk=pk
    )
    context = {"cycle": cycle, "participant": participant}
    context["answers"] = _registration_answers(participant)
    if request.headers.get("HX-Request"):
        return render(request, "participants/_registration_answers.html", context)
    return render(request, "participants/registration_answers.html", context)


@login_required
@require_POST
def decide(request, cycle_pk):
    cycle = coordinated_cycle_or_404(request.user, cycle_pk)
    status = request.POST.get("status")
    ids = request.POST.getlist("participants")
    back = f"{redirect('participants:registrations', cycle.pk).url}?{request.POST.get('query', '')}"
    if status not in Participant.DECISIONS:
        messages.error(request, _("Choose whether to accept, waitlist or decline."))
        return redirect(back)
    chosen = Participant.objects.filter(cycle=cycle, pk__in=[i for i in ids if i.isdecimal()])
    chosen = chosen.exclude(status=Participant.Status.WITHDRAWN).select_related("user")
    if not ids or not chosen:
        messages.error(request, _("Select at least one registration first."))
        return redirect(back)
    refusal = status == Participant.Status.ACCEPTED and registration.guardian_refusal(chosen)
    if refusal:
        messages.error(request, refusal)
        return redirect(back)
    changed = registration.decide(participants=list(chosen), status=status, by=request.user)
    if not changed:
        messages.info(request, _("Nothing changed: the selected registrations had that status."))
        return redirect(back)
    messages.success(
        request,
        ngettext(
            "%(count)d registration is now “%(status)s”; the person is told by email.",
            "%(count)d registrations are now “%(status)s”; each person is told by email.",
            changed,
        )
        % {"count": changed, "status": Participant.Status(status).label},
    )
    return redirect(back)


@login_required
def export_base(request, cycle_pk, role, fmt):
    cycle = coordinated_cycle_or_404(request.user, cycle_pk)
    if role not in Participant.Role.values or fmt not in ("csv", "xlsx"):
        raise Http404
    header, rows = exports.base_table(cycle, role)
    label = _("mentors") if role == Participant.Role.MENTOR else _("mentees")
    name = slugify(f"{cycle.program.slug}-{cycle.name}-{label}") or "export"
    AuditEntry.record(request.user, AuditEntry.Action.EXPORTED, cycle=cycle, details=name)
    return spreadsheets.download(header, rows, name=name, fmt=fmt, title=label)


@login_required
@require_POST
def guardian_consent(request, pk):
    """A coordinator records that a minor's parent or guardian agreed."""
    participant = coordinated_participant_or_404(request.user, pk)
    if participant.needs_guardian_consent:
        registration.record_guardian_consent(participant, by=request.user)
        messages.success(
            request,
            _("The guardian's consent for %(person)s is recorded.") % {"person": participant.user},
        )
    back = reverse("participants:registrations", args=[participant.cycle_id])
    return redirect(f"{back}?{request.POST.get('query', '')}")
