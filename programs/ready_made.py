"""Ready-made questionnaires for a university's programme for new lecturers: registration and
the end-of-cycle self-assessment, for mentors and for mentees.

The texts are written in the language of the coordinator who adds them, so a Lithuanian
coordinator gets Lithuanian questions."""

from django.db import transaction
from django.utils.translation import gettext as _

from .models import Question, Questionnaire

Kind = Question.Kind
Tag = Question.MatchingTag


def _competences():
    return [
        _("Teaching methods"),
        _("Course design"),
        _("Assessment and feedback"),
        _("Digital tools"),
        _("Student engagement"),
        _("Research supervision"),
        _("Teaching in English"),
        _("Large groups and lectures"),
    ]


def _formats():
    return [_("In person"), _("Online"), _("Either")]


def _languages():
    return [_("Lithuanian"), _("Latvian"), _("Russian"), _("English")]


def _mentor_questions():
    return [
        (_("Department"), Kind.SHORT_TEXT, [], True, Tag.DEPARTMENT, ""),
        (_("Subjects you teach"), Kind.LONG_TEXT, [], True, "", ""),
        (_("Years of teaching experience"), Kind.NUMBER, [], True, "", ""),
        (
            _("Competences you can share"),
            Kind.MULTIPLE_CHOICE,
            _competences(),
            True,
            Tag.COMPETENCES_OFFERED,
            _("Choose all that apply."),
        ),
        (_("What do you expect from mentoring?"), Kind.LONG_TEXT, [], False, "", ""),
        (
            _("How many mentees can you take this year?"),
            Kind.NUMBER,
            [],
            True,
            Tag.CAPACITY,
            _("Each mentee needs about one hour a month, better one hour a week."),
        ),
        (
            _("Preferred meeting format"),
            Kind.SINGLE_CHOICE,
            _formats(),
            True,
            Tag.MEETING_FORMAT,
            "",
        ),
        (
            _("Languages you can mentor in"),
            Kind.MULTIPLE_CHOICE,
            _languages(),
            True,
            Tag.LANGUAGE,
            "",
        ),
    ]


def _mentee_questions():
    return [
        (_("Department"), Kind.SHORT_TEXT, [], True, Tag.DEPARTMENT, ""),
        (_("Subjects you teach or will teach"), Kind.LONG_TEXT, [], True, "", ""),
        (
            _("Teaching experience"),
            Kind.SINGLE_CHOICE,
            [_("None yet"), _("Less than a year"), _("1-3 years"), _("More than 3 years")],
            True,
            "",
            "",
        ),
        (
            _("Competences you want to develop"),
            Kind.MULTIPLE_CHOICE,
            _competences(),
            True,
            Tag.COMPETENCES_WANTED,
            _("Choose all that apply."),
        ),
        (_("What do you expect from mentoring?"), Kind.LONG_TEXT, [], False, "", ""),
        (_("Your goals for this year"), Kind.LONG_TEXT, [], True, "", ""),
        (
            _("When can you usually meet?"),
            Kind.SHORT_TEXT,
            [],
            False,
            Tag.AVAILABILITY,
            _("For example: Tuesday afternoons."),
        ),
        (
            _("Preferred meeting format"),
            Kind.SINGLE_CHOICE,
            _formats(),
            True,
            Tag.MEETING_FORMAT,
            "",
        ),
        (
            _("Languages you can be mentored in"),
            Kind.MULTIPLE_CHOICE,
            _languages(),
            True,
            Tag.LANGUAGE,
            "",
        ),
    ]


def _scale(text):
    return (text, Kind.SCALE, [], True, "", _("1 means not at all, 5 means fully."))


def _self_assessment(role_questions):
    events = [_("Seminars"), _("Practical workshops"), _("Reflection meetings"),
              _("Meetings with guest practitioners"), _("None")]  # fmt: skip
    return [
        _scale(_("How far did you reach the goals you set at the start?")),
        *role_questions,
        _scale(_("How useful were the meetings for you?")),
        (_("Which events helped you most?"), Kind.MULTIPLE_CHOICE, events, False, "",
         _("Choose all that apply.")),
        (_("Would you take part again?"), Kind.YES_NO, [], True, "", ""),
        (_("What would you change in the programme?"), Kind.LONG_TEXT, [], False, "", ""),
    ]  # fmt: skip


def _mentee_self_assessment():
    return _self_assessment(
        [
            _scale(_("How confident do you feel in your teaching now?")),
            (_("What changed in your teaching this year?"), Kind.LONG_TEXT, [], True, "", ""),
        ]
    )


def _mentor_self_assessment():
    return _self_assessment(
        [
            _scale(_("How well could you support your mentee?")),
            (_("What did you learn as a mentor?"), Kind.LONG_TEXT, [], True, "", ""),
        ]
    )


def _templates():
    return {
        Questionnaire.Purpose.MENTOR_REGISTRATION: (
            _("Registration of mentors"),
            _("Tell us what you can share with a new colleague and how much time you can give."),
            _mentor_questions(),
        ),
        Questionnaire.Purpose.MENTEE_REGISTRATION: (
            _("Registration of mentees"),
            _("Tell us what you would like to learn, so that we can find you a suitable mentor."),
            _mentee_questions(),
        ),
        Questionnaire.Purpose.MENTOR_SELF_ASSESSMENT: (
            _("Self-assessment of mentors"),
            _("Look back at the cycle: how it went for you and for your mentee."),
            _mentor_self_assessment(),
        ),
        Questionnaire.Purpose.MENTEE_SELF_ASSESSMENT: (
            _("Self-assessment of mentees"),
            _("Look back at the cycle: what you set out to do and what changed."),
            _mentee_self_assessment(),
        ),
    }


@transaction.atomic
def add_ready_made_questionnaires(cycle) -> list[Questionnaire]:
    """Add the university questionnaires the cycle does not have yet; return those added."""
    existing = set(cycle.questionnaires.values_list("purpose", flat=True))
    added = []
    for purpose, (title, introduction, questions) in _templates().items():
        if purpose in existing:
            continue
        questionnaire = Questionnaire.objects.create(
            cycle=cycle, purpose=purpose, title=title, introduction=introduction
        )
        Question.objects.bulk_create(
            Question(
                questionnaire=questionnaire,
                order=order,
                text=text,
                kind=kind,
                options="\n".join(options),
                required=required,
                matching_tag=tag,
                help_text=help_text,
            )
            for order, (text, kind, options, required, tag, help_text) in enumerate(questions, 1)
        )
        added.append(questionnaire)
    return added
