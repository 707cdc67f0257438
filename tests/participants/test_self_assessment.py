"""The end-of-cycle self-assessment (`participants/registrations/self_assessment.py`): who
is asked and when (the cycle's `self_assessment_days` before its end, or once it enters its
completion stage), the two follow-ups a week apart, and the page where a participant answers."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import formats, translation

from participants.models import Notification, Participant, Response
from participants.notifications.ledger import dispatch, plan
from participants.registrations.self_assessment import due_prompts
from programs.models import Cycle, Question, Questionnaire
from programs.ready_made import add_ready_made_questionnaires
from tests.factories import CycleFactory, ParticipantFactory, QuestionFactory, QuestionnaireFactory

pytestmark = pytest.mark.django_db

VILNIUS = zoneinfo.ZoneInfo("Europe/Vilnius")
Purpose = Questionnaire.Purpose
ACCEPTED = Participant.Status.ACCEPTED
ENDS_ON = datetime.date(2026, 6, 3)  # 21 days after Wednesday 13 May 2026
PROMPT = "Your self-assessment for "
FOLLOW_UP = "Reminder: your self-assessment for "


def at(*moment) -> datetime.datetime:
    return datetime.datetime(*moment, tzinfo=VILNIUS)


def days(n) -> datetime.timedelta:
    return datetime.timedelta(days=n)


@pytest.fixture
def job(hourly_job):
    """The hourly job at a moment; returns the self-assessment emails that run sent."""

    def run(moment):
        return [m for m in hourly_job(moment) if "self-assessment for" in m.subject]

    return run


def cycle_with(*purposes, ends_on=ENDS_ON, stage=Cycle.Stage.WORKING):
    """A cycle under way with a one-question questionnaire for each of `purposes`."""
    cycle = CycleFactory(starts_on=ends_on - days(300), ends_on=ends_on, stage=stage)
    for purpose in purposes:
        questionnaire = QuestionnaireFactory(
            cycle=cycle, purpose=purpose, title=Purpose(purpose).label
        )
        QuestionFactory(
            questionnaire=questionnaire, text="How far did you reach your goals?", kind="scale"
        )
    return cycle


def accepted(cycle, role="mentee", **fields):
    fields.setdefault("status", ACCEPTED)
    return ParticipantFactory(cycle=cycle, role=role, **fields)


def to(sent) -> list[str]:
    return sorted(m.to[0] for m in sent)


def emails(*participants) -> list[str]:
    return sorted(p.user.email for p in participants)


def page_url(participant) -> str:
    return reverse("participants:self_assessment", args=[participant.pk])


# Who is asked, and when


def test_from_21_days_before_the_end_each_accepted_participant_with_a_questionnaire_is_asked(
    job,
):
    mentors_only = cycle_with(Purpose.MENTOR_SELF_ASSESSMENT)
    mentor = accepted(mentors_only, "mentor")
    accepted(mentors_only, "mentee")  # no questionnaire for mentees
    ParticipantFactory(cycle=mentors_only, role="mentor")  # applied
    accepted(mentors_only, "mentor", status=Participant.Status.WAITLISTED)
    accepted(mentors_only, "mentor", user__is_active=False)
    shared = cycle_with(Purpose.SELF_ASSESSMENT)
    both = [accepted(shared, "mentor"), accepted(shared, "mentee")]
    accepted(cycle_with(), "mentee")  # no self-assessment at all

    assert job(at(2026, 5, 12, 12)) == [], "22 days before the end"
    sent = job(at(2026, 5, 13, 10))

    assert to(sent) == emails(mentor, *both)
    assert Notification.objects.filter(kind="self_assessment").count() == 3, "no one else planned"
    for email in sent:
        assert email.subject.startswith(PROMPT)
        participant = Participant.objects.get(user__email=email.to[0])
        assert email.subject == PROMPT + participant.cycle.program.name
        assert settings.SITE_URL + page_url(participant) in email.body
        assert "/emails/stop/" in email.extra_headers["List-Unsubscribe"]
    assert job(at(2026, 5, 13, 12)) == []


def test_a_cycle_moved_to_its_completion_stage_asks_at_once(job):
    cycle = cycle_with(
        Purpose.SELF_ASSESSMENT, ends_on=datetime.date(2026, 9, 1), stage=Cycle.Stage.FORMING_PAIRS
    )
    participant = accepted(cycle)

    assert cycle.advance_stage() and cycle.stage == Cycle.Stage.WORKING
    assert job(at(2026, 5, 13, 12)) == []
    assert cycle.advance_stage() and cycle.stage == Cycle.Stage.COMPLETION
    assert to(job(at(2026, 5, 13, 13))) == emails(participant)


def test_two_follow_ups_a_week_apart_and_never_a_third(job):
    participant = accepted(cycle_with(Purpose.SELF_ASSESSMENT))

    (prompt,) = job(at(2026, 5, 13, 10))
    assert prompt.subject.startswith(PROMPT)
    assert job(at(2026, 5, 19, 10)) == [], "6 days"
    assert job(at(2026, 5, 20, 9, 59)) == [], "a minute short of 7 days"
    (first,) = job(at(2026, 5, 20, 10))
    assert first.subject == FOLLOW_UP + participant.cycle.program.name
    assert "is still waiting for your answers" in first.body
    assert job(at(2026, 5, 26, 10)) == []
    (second,) = job(at(2026, 5, 27, 10))
    assert second.subject.startswith(FOLLOW_UP)
    for moment in (at(2026, 6, 3, 10), at(2026, 6, 10, 10), at(2026, 7, 1, 10)):
        assert job(moment) == [], "never a third"
    periods = Notification.objects.filter(kind="self_assessment").values_list("period", flat=True)
    assert sorted(periods) == ["follow-up-1", "follow-up-2", "prompt"]


def test_answering_stops_the_follow_ups(job, client, django_capture_on_commit_callbacks):
    cycle = cycle_with(Purpose.SELF_ASSESSMENT)
    answers, waits, answers_late = accepted(cycle), accepted(cycle), accepted(cycle)
    assert len(job(at(2026, 5, 13, 10))) == 3
    question = cycle.self_assessment_for("mentee").questions.get()

    with time_machine.travel(at(2026, 5, 15, 10), tick=False):
        client.force_login(answers.user)
        assert client.post(page_url(answers), {f"q{question.pk}": "4"}).status_code == 302
    assert to(job(at(2026, 5, 20, 10))) == emails(waits, answers_late)
    assert not Notification.objects.filter(recipient=answers.user, period="follow-up-1").exists()
    with time_machine.travel(at(2026, 5, 27, 10), tick=False):
        assert plan(due_prompts()) == 2
        client.force_login(answers_late.user)
        assert client.post(page_url(answers_late), {f"q{question.pk}": "5"}).status_code == 302
        with django_capture_on_commit_callbacks(execute=True):
            dispatch()

    assert to(mail.outbox) == emails(waits)
    late = Notification.objects.get(recipient=answers_late.user, period="follow-up-2")
    assert late.state == Notification.State.SKIPPED


# The page


def ready_made(cycle):
    with translation.override("en"):
        add_ready_made_questionnaires(cycle)
    return cycle.self_assessment_for("mentee")


def filled(questionnaire, **changed) -> dict:
    """An answer to every question of `questionnaire`; `changed` by question text."""
    values = {
        Question.Kind.SCALE: "4",
        Question.Kind.LONG_TEXT: "More group work, less lecturing.",
        Question.Kind.SHORT_TEXT: "Physics",
        Question.Kind.YES_NO: "yes",
        Question.Kind.NUMBER: "3",
        Question.Kind.DATE: "2026-05-01",
    }
    data = {}
    for question in questionnaire.questions.all():
        if question.kind == Question.Kind.MULTIPLE_CHOICE:
            value = question.choices[:2]
        elif question.kind == Question.Kind.SINGLE_CHOICE:
            value = question.choices[0]
        else:
            value = values[question.kind]
        data[f"q{question.pk}"] = changed.get(question.text, value)
    return {name: value for name, value in data.items() if value is not None}


def stored(participant, questionnaire) -> dict:
    response = Response.objects.get(participant=participant, questionnaire=questionnaire)
    return {answer.question.text: answer.value for answer in response.answers.all()}


@pytest.fixture
def in_may():
    """Wednesday 20 May 2026: the self-assessment of a cycle ending on ENDS_ON is open."""
    with time_machine.travel(at(2026, 5, 20, 10), tick=False):
        yield


@pytest.fixture
def open_cycle(in_may):
    return cycle_with(ends_on=ENDS_ON)


def test_the_page_opens_with_the_questions_and_no_errors(client, open_cycle):
    questionnaire = ready_made(open_cycle)
    participant = accepted(open_cycle)
    client.force_login(participant.user)

    page = client.get(page_url(participant)).content.decode()

    assert questionnaire.title in page and "Save my self-assessment" in page
    assert all(q.text in page for q in questionnaire.questions.all())
    assert "Some answers need your attention" not in page
    assert "This field is required." not in page


def test_a_participant_answers_on_the_page_and_sees_the_answers_afterwards(client, open_cycle):
    questionnaire = ready_made(open_cycle)
    participant = accepted(open_cycle)
    client.force_login(participant.user)
    changed = "What changed in your teaching this year?"

    response = client.post(page_url(participant), filled(questionnaire))

    assert response.status_code == 302 and response.url == page_url(participant)
    answers = stored(participant, questionnaire)
    assert answers[changed] == "More group work, less lecturing."
    assert answers["Would you take part again?"] is True
    assert answers["How useful were the meetings for you?"] == 4
    assert answers["Which events helped you most?"] == ["Seminars", "Practical workshops"]
    client.post(page_url(participant), filled(questionnaire, **{changed: "Shorter lectures."}))
    assert stored(participant, questionnaire)[changed] == "Shorter lectures."
    assert participant.responses.filter(questionnaire=questionnaire).count() == 1
    with time_machine.travel(at(2026, 8, 3, 10), tick=False):  # 61 days after the end
        client.force_login(participant.user)
        closed = client.get(page_url(participant)).content.decode()
    assert "Your answers" in closed and "Shorter lectures." in closed
    assert "Save my self-assessment" not in closed
    # While it is open, the form shows the answers given, to change them.
    page = client.get(page_url(participant)).content.decode()
    assert "Your answers are saved (" in page
    assert ">Shorter lectures.</textarea>" in page.replace("\n", "")
    assert "Some answers need your attention" not in page


def test_required_questions_must_be_answered_and_nothing_is_saved_until_they_are(
    client, open_cycle
):
    questionnaire = ready_made(open_cycle)
    participant = accepted(open_cycle)
    client.force_login(participant.user)
    incomplete = filled(questionnaire, **{"What changed in your teaching this year?": None})

    response = client.post(page_url(participant), incomplete)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Some answers need your attention" in page and "This field is required." in page
    assert not Response.objects.filter(participant=participant).exists()


def test_each_role_answers_its_own_questionnaire_else_the_shared_one(client, in_may):
    cycle = cycle_with(Purpose.MENTEE_SELF_ASSESSMENT, Purpose.SELF_ASSESSMENT)
    for role, title in [
        ("mentee", Purpose.MENTEE_SELF_ASSESSMENT.label),
        ("mentor", Purpose.SELF_ASSESSMENT.label),
    ]:
        participant = accepted(cycle, role)
        client.force_login(participant.user)
        page = client.get(page_url(participant)).content.decode()
        assert f'<h1 class="h2">{title}</h1>' in page, role


def test_only_the_accepted_participant_themselves_opens_the_page(client, open_cycle):
    ready_made(open_cycle)
    participant = accepted(open_cycle)
    applied = ParticipantFactory(cycle=open_cycle)
    waitlisted = accepted(open_cycle, status=Participant.Status.WAITLISTED)
    without_questionnaire = accepted(cycle_with(ends_on=ENDS_ON))

    assert client.get(page_url(participant)).status_code == 302, "to the login page"
    for someone in (applied, waitlisted, without_questionnaire):
        client.force_login(someone.user)
        assert client.get(page_url(someone)).status_code == 404
    client.force_login(applied.user)
    assert client.get(page_url(participant)).status_code == 404
    assert client.post(page_url(participant), {}).status_code == 404


def test_before_it_opens_the_page_says_when_and_saves_nothing(client, in_may):
    cycle = cycle_with(ends_on=datetime.date(2026, 7, 1))  # opens on 10 June
    questionnaire = ready_made(cycle)
    participant = accepted(cycle)
    client.force_login(participant.user)

    page = client.get(page_url(participant)).content.decode()
    response = client.post(page_url(participant), filled(questionnaire))

    with translation.override("en"):
        opens = formats.date_format(datetime.date(2026, 6, 10), "DATE_FORMAT")
    assert f"The self-assessment opens towards the end of the cycle (on {opens}" in page
    assert "Save my self-assessment" not in page
    assert response.status_code == 200
    assert not Response.objects.filter(participant=participant).exists()


def test_my_mentorship_asks_for_the_self_assessment_while_it_is_unanswered(client, open_cycle):
    questionnaire = ready_made(open_cycle)
    participant = accepted(open_cycle)
    client.force_login(participant.user)
    todo = f"Answer the self-assessment of {open_cycle.program.name} {open_cycle.name}."

    page = client.get(reverse("my_mentorship")).content.decode()
    assert todo in page and f'href="{page_url(participant)}"' in page
    client.post(page_url(participant), filled(questionnaire))
    assert todo not in client.get(reverse("my_mentorship")).content.decode()
