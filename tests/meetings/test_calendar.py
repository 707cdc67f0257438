"""The agreed next meetings in calendar apps: the person's private feed (a secret address,
no login) and the download of one meeting."""

import datetime

import icalendar
import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from participants.models import Membership, Pairing, Participant
from tests.factories import (
    CoordinatorFactory,
    MeetingFactory,
    ParticipantFactory,
    UserFactory,
    active_pairing,
    member_user,
)

pytestmark = pytest.mark.django_db


def in_days(days: int, hour: int = 15) -> datetime.datetime:
    """A whole minute, local time, some days from now (calendars keep no microseconds)."""
    moment = timezone.localtime() + datetime.timedelta(days=days)
    return moment.replace(hour=hour, minute=30, second=0, microsecond=0)


def feed_url(user) -> str:
    return reverse("calendar_feed", args=[user.calendar_token])


def events(response) -> list:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.content).walk("VEVENT")


def starts(event) -> datetime.datetime:
    start = event.decoded("dtstart")
    assert start.utcoffset() == datetime.timedelta(0), "times are written in UTC"
    return start


@pytest.fixture
def pairing():
    return active_pairing()


@pytest.fixture
def mentor(pairing):
    user = member_user(pairing, "mentor")
    user.calendar_feed_token()
    return user


@pytest.fixture
def mentee(pairing):
    return member_user(pairing, "mentee")


def test_making_the_calendar_address_shows_it_on_my_mentorship(client, pairing, mentee):
    client.force_login(mentee)
    assert "Make my calendar address" in client.get(reverse("my_mentorship")).content.decode()

    response = client.post(reverse("calendar_renew"))
    assert response.status_code == 302
    assert response.url == reverse("my_mentorship") + "#calendar"
    mentee.refresh_from_db()
    assert mentee.calendar_token
    page = client.get(reverse("my_mentorship")).content.decode()
    assert f'value="{settings.SITE_URL}{feed_url(mentee)}"' in page
    assert "Your calendar address is ready." in page


def test_the_feed_lists_the_agreed_next_meetings_without_a_login(pairing, mentor, mentee):
    first, second = in_days(3), in_days(10, hour=9)
    MeetingFactory(pairing=pairing, logged_by=mentor, next_meeting_at=first)
    MeetingFactory(pairing=pairing, logged_by=mentee, next_meeting_at=second)
    MeetingFactory(pairing=pairing, logged_by=mentee, next_meeting_at=None)

    found = events(Client().get(feed_url(mentor)))
    assert sorted(starts(e) for e in found) == [first, second]
    for event in found:
        assert str(event["summary"]) == f"Mentoring meeting: {mentee.get_full_name()}"
        assert pairing.cycle.program.name in str(event["description"])


def test_each_entry_keeps_its_uid_from_one_request_to_the_next(pairing, mentor):
    MeetingFactory(pairing=pairing, logged_by=mentor, next_meeting_at=in_days(3))
    MeetingFactory(pairing=pairing, logged_by=mentor, next_meeting_at=in_days(5))
    anonymous = Client()
    uids = [sorted(str(e["uid"]) for e in events(anonymous.get(feed_url(mentor)))) for _ in "12"]
    assert len(uids[0]) == 2
    assert uids[0] == uids[1]


def test_two_logs_agreeing_the_same_time_give_one_event(pairing, mentor, mentee):
    agreed = in_days(4)
    MeetingFactory(pairing=pairing, logged_by=mentor, next_meeting_at=agreed)
    MeetingFactory(
        pairing=pairing,
        logged_by=mentee,
        held_on=timezone.localdate() - datetime.timedelta(days=2),
        next_meeting_at=agreed,
    )
    [event] = events(Client().get(feed_url(mentor)))
    assert starts(event) == agreed


def test_the_feed_leaves_out_other_pairings_ended_pairings_and_past_meetings(
    pairing, mentor, mentee
):
    ours = in_days(3)
    MeetingFactory(pairing=pairing, logged_by=mentor, next_meeting_at=ours)
    MeetingFactory(pairing=pairing, logged_by=mentor, next_meeting_at=in_days(-3))
    neighbours = active_pairing(pairing.cycle)
    MeetingFactory(pairing=neighbours, next_meeting_at=in_days(5))

    ended = active_pairing()
    registration = ParticipantFactory(
        user=mentor,
        cycle=ended.cycle,
        role=Participant.Role.MENTOR,
        status=Participant.Status.ACCEPTED,
    )
    Membership.objects.create(pairing=ended, participant=registration)
    MeetingFactory(pairing=ended, logged_by=mentor, next_meeting_at=in_days(6))
    ended.status = Pairing.Status.ENDED
    ended.save(update_fields=["status"])

    [event] = events(Client().get(feed_url(mentor)))
    assert starts(event) == ours
    assert str(event["summary"]) == f"Mentoring meeting: {mentee.get_full_name()}"


def test_renewing_the_address_stops_the_old_one(client, pairing, mentor):
    MeetingFactory(pairing=pairing, logged_by=mentor, next_meeting_at=in_days(3))
    old = feed_url(mentor)
    client.force_login(mentor)
    response = client.post(reverse("calendar_renew"))
    assert response.status_code == 302
    mentor.refresh_from_db()
    new = feed_url(mentor)
    assert new != old
    page = client.get(reverse("my_mentorship")).content.decode()
    assert "Your calendar has a new address." in page
    assert f"{settings.SITE_URL}{new}" in page
    assert f"{settings.SITE_URL}{old}" not in page

    anonymous = Client()
    assert anonymous.get(old).status_code == 404
    assert len(events(anonymous.get(new))) == 1


def test_an_unknown_address_answers_404(mentor):
    anonymous = Client()
    assert anonymous.get(reverse("calendar_feed", args=["no-such-token"])).status_code == 404
    wrong = reverse("calendar_feed", args=[mentor.calendar_token + "x"])
    assert anonymous.get(wrong).status_code == 404


def test_renewing_the_address_needs_a_logged_in_post(client, mentor):
    token = mentor.calendar_token
    response = client.post(reverse("calendar_renew"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    client.force_login(mentor)
    assert client.get(reverse("calendar_renew")).status_code == 405
    mentor.refresh_from_db()
    assert mentor.calendar_token == token


def test_a_member_downloads_the_agreed_next_meeting(client, pairing, mentor, mentee):
    agreed = in_days(2, hour=17)
    meeting = MeetingFactory(
        pairing=pairing,
        logged_by=mentor,
        next_meeting_at=agreed,
        next_steps="Bring the draft syllabus.",
    )
    client.force_login(mentee)
    response = client.get(reverse("meetings:meeting_ics", args=[pairing.pk, meeting.pk]))
    assert response["Content-Disposition"] == (f'attachment; filename="meeting-{meeting.pk}.ics"')
    [event] = events(response)
    assert starts(event) == agreed
    assert str(event["summary"]) == f"Mentoring meeting: {mentor.get_full_name()}"
    assert "Bring the draft syllabus." in str(event["description"])
    assert event.decoded("duration") == datetime.timedelta(
        minutes=pairing.cycle.program.meeting_minutes
    )


def test_the_download_is_for_members_and_for_an_agreed_time_only(client, pairing, mentor):
    coordinator = CoordinatorFactory()
    pairing.cycle.program.coordinators.add(coordinator)
    agreed = MeetingFactory(pairing=pairing, logged_by=mentor, next_meeting_at=in_days(2))
    open_ended = MeetingFactory(pairing=pairing, logged_by=mentor, next_meeting_at=None)

    ics = reverse("meetings:meeting_ics", args=[pairing.pk, agreed.pk])
    for someone_else in (coordinator, UserFactory()):
        client.force_login(someone_else)
        assert client.get(ics).status_code == 404
    client.force_login(mentor)
    assert client.get(ics).status_code == 200
    no_time = reverse("meetings:meeting_ics", args=[pairing.pk, open_ended.pk])
    assert client.get(no_time).status_code == 404
