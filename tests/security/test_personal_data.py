"""A person reads, downloads and erases their data; a coordinator erases a participant by the
same rule; what pairs and reports need stays, without a name."""

import json

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from events.models import SignUp
from meetings.models import Change, Goal, HelpRequest, Meeting
from participants.models import Answer, Notification, Participant, Response, User
from tests.factories import (
    PASSWORD,
    EventFactory,
    GoalFactory,
    MeetingFactory,
    UserFactory,
    active_pairing,
    member_user,
    registration_questionnaire,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """A mentee with answers, a logged meeting with notes, a goal, a help request, a sign-up
    and a planned email; and their mentor."""
    pairing = active_pairing()
    mentee, mentor = member_user(pairing, "mentee"), member_user(pairing, "mentor")
    participant = pairing.memberships.get(participant__role="mentee").participant
    questionnaire = registration_questionnaire(pairing.cycle, "mentee")
    response = Response.objects.create(participant=participant, questionnaire=questionnaire)
    question = questionnaire.questions.get(text="Your goals")
    Answer.objects.create(response=response, question=question, value="Teach large groups")
    meeting = MeetingFactory(pairing=pairing, logged_by=mentee, notes="Talked about Tomas.")
    goal = GoalFactory(pairing=pairing, title="Plan a seminar")
    Change.objects.create(
        pairing=pairing, author=mentee, subject="goal", title=goal.title, action="created"
    )
    HelpRequest.objects.create(participant=participant, topic="other", message="My boss…")
    event = EventFactory(program=pairing.cycle.program)
    SignUp.objects.create(event=event, user=mentee, status="confirmed", attended=True)
    Notification.objects.create(recipient=mentee, kind="meeting_reminder", about=mentee, period="p")
    return {"pairing": pairing, "mentee": mentee, "mentor": mentor, "meeting": meeting}


def test_a_person_reads_and_downloads_everything_held_about_them(client, world):
    mentee = world["mentee"]
    client.force_login(mentee)
    page = client.get(reverse("my_data")).content.decode()
    for shown in (mentee.email, "Teach large groups", "Talked about Tomas.", "My boss…"):
        assert shown in page
    response = client.get(reverse("my_data_json"))
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert data["account"]["email"] == mentee.email
    assert data["answers"][0]["answer"] == "Teach large groups"
    assert data["meetings_logged"][0]["notes"] == "Talked about Tomas."
    assert data["pairings"][0]["goals"][0]["title"] == "Plan a seminar"
    assert data["events"][0]["attended"] is True
    assert world["mentor"].email not in response.content.decode(), "nobody else's data"


def test_the_data_pages_need_a_login(client):
    for name in ("my_data", "my_data_json", "erase_account"):
        assert client.get(reverse(name)).url.startswith(reverse("account_login"))


def test_erasing_needs_the_password_and_changes_nothing_without_it(client, world):
    client.force_login(world["mentee"])
    response = client.post(reverse("erase_account"), {"password": "wrong"})
    assert "That is not your password." in response.content.decode()
    assert User.objects.get(pk=world["mentee"].pk).email == world["mentee"].email


def test_erasing_removes_what_the_person_wrote_and_keeps_the_pairs_records(client, world):
    mentee, pairing = world["mentee"], world["pairing"]
    client.force_login(mentee)
    response = client.post(reverse("erase_account"), {"password": PASSWORD})
    assert response.url == reverse("home")
    assert "_auth_user_id" not in client.session

    person = User.objects.get(pk=mentee.pk)
    assert person.email.endswith("@invalid") and not person.is_active
    assert person.get_full_name() == "Erased person" and str(person) == "Erased person"
    assert not person.has_usable_password()
    assert not EmailAddress.objects.filter(user=person).exists()
    assert not Answer.objects.filter(response__participant__user=person).exists()
    assert not Notification.objects.filter(recipient=person).exists()
    assert HelpRequest.objects.get(participant__user=person).message == "(erased)"
    meeting = Meeting.objects.get(pk=world["meeting"].pk)
    assert (meeting.notes, meeting.logged_by, meeting.duration_minutes) == ("", None, 60)
    assert Change.objects.get(pairing=pairing).author is None
    assert Goal.objects.filter(pairing=pairing).exists(), "the pair's goals stay"
    assert pairing.members.filter(user=person).exists(), "the pairing keeps its placeholder"
    assert SignUp.objects.get(user=person).attended is True, "attendance counts stay"
    login = {"login": mentee.email, "password": PASSWORD}
    assert client.post(reverse("account_login"), login).status_code == 200, "cannot log in"

    client.force_login(world["mentor"])
    page = client.get(reverse("meetings:pairing", args=[pairing.pk])).content.decode()
    assert "Erased person" in page and mentee.last_name not in page


def test_a_coordinator_erases_a_participant_of_their_programme_only(client, world):
    mentee, pairing = world["mentee"], world["pairing"]
    participant = Participant.objects.get(user=mentee)
    url = reverse("erase_participant", args=[participant.pk])
    outsider = UserFactory()
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    coordinator = UserFactory()
    pairing.cycle.program.coordinators.add(coordinator)
    client.force_login(coordinator)
    page = client.get(url).content.decode()
    assert mentee.email in page and "cannot be undone" in page
    response = client.post(url)
    assert response.url == reverse("participants:registrations", args=[pairing.cycle_id])
    assert User.objects.get(pk=mentee.pk).erased_at is not None
    assert not Answer.objects.filter(response__participant__user=mentee).exists()


def test_after_the_retention_period_the_data_of_ended_cycles_is_erased(settings, world):
    import datetime

    from django.utils import timezone

    from mentorship.privacy.tasks import erase_expired_data
    from tests.factories import CycleFactory, ParticipantFactory

    settings.PERSONAL_DATA_RETENTION_DAYS = 365
    old = world["pairing"].cycle
    old.starts_on = timezone.localdate() - datetime.timedelta(days=800)
    old.ends_on = timezone.localdate() - datetime.timedelta(days=366)
    old.save()
    mentee, mentor = world["mentee"], world["mentor"]
    ParticipantFactory(user=mentor, cycle=CycleFactory())  # the mentor takes part again
    ended = timezone.localdate() - datetime.timedelta(days=10)
    recent = ParticipantFactory(
        cycle__starts_on=ended - datetime.timedelta(days=300), cycle__ends_on=ended
    )
    kept = Response.objects.create(
        participant=recent, questionnaire=registration_questionnaire(recent.cycle)
    )
    Answer.objects.create(
        response=kept, question=kept.questionnaire.questions.first(), value="Stays"
    )

    result = erase_expired_data.delay().get()

    assert result == {"answers": 1, "meetings": 1, "people": 1}
    assert not Answer.objects.filter(response__participant__cycle=old).exists()
    assert Meeting.objects.get(pk=world["meeting"].pk).notes == ""
    assert HelpRequest.objects.get(participant__cycle=old).message == "(erased)"
    assert User.objects.get(pk=mentee.pk).erased_at is not None, "took part in nothing newer"
    assert User.objects.get(pk=mentor.pk).erased_at is None, "takes part in a newer cycle"
    assert Answer.objects.filter(value="Stays").exists(), "a cycle within the period stays"
    assert erase_expired_data.delay().get() == {"answers": 0, "meetings": 0, "people": 0}
