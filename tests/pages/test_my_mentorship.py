"""My mentorship: a person's home after login, with what to do next and who they work with."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import SignUp
from meetings.models import HelpRequest
from participants.models import Pairing, Participant
from programs.models import Cycle
from tests.factories import (
    PASSWORD,
    CycleFactory,
    EventFactory,
    GoalFactory,
    MeetingFactory,
    ParticipantFactory,
    UserFactory,
    active_pairing,
    member_user,
)

pytestmark = pytest.mark.django_db


def page(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("my_mentorship"))
    assert response.status_code == 200
    return response.content.decode()


def todo(text: str) -> str:
    if "What to do next" not in text:
        return ""
    return text[text.index("What to do next") : text.index("</section>")]


def test_logging_in_leads_to_my_mentorship(client):
    user = UserFactory()
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("my_mentorship")


def test_a_new_pairing_is_asked_to_set_goals_and_shows_who_to_work_with(client):
    pairing = active_pairing(started_days_ago=2)
    mentor, mentee = member_user(pairing, "mentor"), member_user(pairing, "mentee")
    text = page(client, mentee)
    assert "Set your goals together" in todo(text)
    assert reverse("meetings:goal_new", args=[pairing.pk]) in todo(text)
    assert "A meeting is due" not in todo(text), "two days in, no meeting is due yet"
    assert mentor.get_full_name() in text and f'href="mailto:{mentor.email}"' in text
    assert mentee.email not in text.split("Who you work with")[1].split("Your programmes")[0]
    assert "On track" in text
    assert reverse("meetings:pairing", args=[pairing.pk]) in text


def test_a_meeting_to_confirm_and_an_overdue_rhythm_are_on_the_list(client):
    pairing = active_pairing(started_days_ago=90)  # monthly programme: overdue after 60 days
    mentor, mentee = member_user(pairing, "mentor"), member_user(pairing, "mentee")
    GoalFactory(pairing=pairing)
    MeetingFactory(
        pairing=pairing, logged_by=mentor, held_on=timezone.localdate() - datetime.timedelta(61)
    )
    text = page(client, mentee)
    assert "Confirm the meetings your pairing logged" in todo(text)
    assert "A meeting is due: meet and log it" in todo(text)
    assert "Set your goals" not in todo(text)
    assert "Overdue" in text
    # The one who logged it has nothing to confirm.
    assert "Confirm the meetings" not in todo(page(client, mentor))


def test_the_next_agreed_meeting_and_an_answered_question_show(client):
    pairing = active_pairing()
    mentor, mentee = member_user(pairing, "mentor"), member_user(pairing, "mentee")
    GoalFactory(pairing=pairing)
    agreed = timezone.now() + datetime.timedelta(days=3)
    MeetingFactory(pairing=pairing, logged_by=mentor, confirmed_at=timezone.now(),
                   next_meeting_at=agreed)  # fmt: skip
    question = HelpRequest.objects.create(
        participant=pairing.members.get(user=mentee), topic="methods", message="How?"
    )
    question.answer_with("Like this.", by=UserFactory())
    text = page(client, mentee)
    assert "Next meeting:" in text
    assert "The coordinators answered your question about “Teaching methods" in todo(text)
    assert reverse("meetings:help_request", args=[question.pk]) in todo(text)
    assert "Confirm" not in todo(text) and "A meeting is due" not in todo(text)


def test_each_registration_says_what_happens_next(client):
    user = UserFactory()
    early = CycleFactory(stage=Cycle.Stage.MENTEE_BASE)
    forming = CycleFactory(stage=Cycle.Stage.FORMING_PAIRS)
    ParticipantFactory(user=user, cycle=early, role="mentee")
    ParticipantFactory(user=user, cycle=early, role="mentor", status="waitlisted")
    ParticipantFactory(user=user, cycle=forming, role="mentee", status="accepted")
    text = page(client, user)
    assert "Registration received on" in text and "you can change your answers" in text
    assert "You are on the waiting list." in text
    assert "The coordinators are forming the pairs and groups now" in text
    assert "What to do next" not in text


def test_an_accepted_person_before_pairing_is_told_when_pairs_are_formed(client):
    participant = ParticipantFactory(status="accepted", cycle__stage=Cycle.Stage.MENTOR_TRAINING)
    text = page(client, participant.user)
    assert "Pairs and groups are formed in the stage “Forming pairs and groups”" in text
    assert "Selecting and training mentors" in text


def test_an_ended_pairing_stays_readable_without_tasks(client):
    pairing = active_pairing()
    Pairing.objects.filter(pk=pairing.pk).update(
        status=Pairing.Status.ENDED, ends_on=timezone.localdate()
    )
    text = page(client, member_user(pairing, "mentee"))
    assert "Ended on" in text
    assert "What to do next" not in text


def test_drafts_are_not_shown_to_their_would_be_members(client):
    pairing = active_pairing()
    Pairing.objects.filter(pk=pairing.pk).update(status=Pairing.Status.DRAFT)
    text = page(client, member_user(pairing, "mentee"))
    assert "Who you work with" not in text
    assert member_user(pairing, "mentor").email not in text


def test_the_calendar_address_is_made_on_request_and_shown(client):
    pairing = active_pairing()
    mentee = member_user(pairing, "mentee")
    assert "Make my calendar address" in page(client, mentee)
    response = client.post(reverse("calendar_renew"))
    assert response.url == reverse("my_mentorship") + "#calendar"
    mentee.refresh_from_db()
    text = page(client, mentee)
    assert reverse("calendar_feed", args=[mentee.calendar_token]) in text
    assert "Your calendar address is ready." in text


def _pairings_of(user, count):
    for _ in range(count):
        pairing = active_pairing()
        participant = Participant.objects.create(
            user=user, cycle=pairing.cycle, role="mentor", status="accepted"
        )
        pairing.memberships.create(participant=participant)
        GoalFactory(pairing=pairing)
        other = member_user(pairing, "mentee")
        for days in (3, 10, 20):
            MeetingFactory(pairing=pairing, logged_by=other,
                           held_on=timezone.localdate() - datetime.timedelta(days))  # fmt: skip
        HelpRequest.objects.create(
            participant=participant, topic="methods", message="?", status="answered"
        )
        event = EventFactory(program=pairing.cycle.program, audience="members")
        SignUp.objects.create(event=event, user=user, status="confirmed")


@pytest.mark.parametrize("pairings", [1, 6])
def test_my_mentorship_takes_the_same_queries_however_many_pairings(
    client, django_assert_num_queries, pairings
):
    user = UserFactory()
    _pairings_of(user, pairings)
    client.force_login(user)
    # Session, user, the request's savepoint and its release, what the person is part of
    # (`programs.reach`), registrations, pairings (with their goals counted), their members,
    # their meetings (for the cadence, meetings to confirm and the next one), answered
    # questions, next events: no query per pairing, meeting or event.
    with django_assert_num_queries(11):
        response = client.get(reverse("my_mentorship"))
    assert response.content.decode().count("Goals and meetings") == pairings
    assert response.content.decode().count("Seminar ") == min(pairings, 5)
