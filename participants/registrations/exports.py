"""The base of mentors and the base of mentees: one row a person, one column a question."""

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from mentorship.spreadsheets import local_time
from participants.models import Answer, Participant, display_value
from programs.models import Questionnaire


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
        rows.append(row)
    return header, rows
