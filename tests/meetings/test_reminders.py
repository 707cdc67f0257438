"""The meeting reminders and the coordinators' digest (`meetings/reminders.py`): every member of
a pairing that is not on track is reminded once per period of its programme's cadence (an ISO
week, a fortnight from Monday 1 January 2024, a calendar month), from 09:00 in the programme's
time zone, in their own language; the coordinators get one digest a week of the pairings that
have not met for two periods."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.conf import settings as django_settings
from django.core import mail
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import formats, translation

from meetings.reminders import due_reminders
from participants.models import Notification, Pairing, Participant
from participants.notifications.ledger import dispatch, plan
from programs.models import Cycle, Document
from tests.factories import (
    CoordinatorFactory,
    CycleFactory,
    MeetingFactory,
    ProgramFactory,
    active_pairing,
    member_user,
)

pytestmark = pytest.mark.django_db

VILNIUS = zoneinfo.ZoneInfo("Europe/Vilnius")
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
UTC = datetime.UTC
SUBJECT = "Time for your next mentoring meeting: "
DIGEST_SUBJECT = "not met for a while"


def at(*moment, zone=VILNIUS) -> datetime.datetime:
    return datetime.datetime(*moment, tzinfo=zone)


def days(n) -> datetime.timedelta:
    return datetime.timedelta(days=n)


@pytest.fixture
def job(hourly_job):
    """The hourly job at a moment; returns the emails that run sent."""
    return hourly_job


def pairing_met(on, *, cadence="weekly", time_zone="Europe/Vilnius", program=None, **members):
    """An active pairing, under way for months, whose last meeting was held `on`."""
    program = program or ProgramFactory(cadence=cadence, time_zone=time_zone)
    cycle = CycleFactory(
        program=program, starts_on=on - days(100), ends_on=on + days(200), stage=Cycle.Stage.WORKING
    )
    with time_machine.travel(at(on.year, on.month, on.day, 12), tick=False):
        pairing = active_pairing(cycle, started_days_ago=60, **members)
    MeetingFactory(pairing=pairing, logged_by=member_user(pairing), held_on=on)
    return pairing


def members_of(pairing) -> list[str]:
    return sorted(pairing.memberships.values_list("participant__user__email", flat=True))


def reminded(sent) -> list[str]:
    return sorted(m.to[0] for m in sent if m.subject.startswith(SUBJECT))


def digests(sent, to=None) -> list:
    found = [m for m in sent if DIGEST_SUBJECT in m.subject]
    return [m for m in found if to is None or m.to == [to.email]]


# When a pairing is reminded


@pytest.mark.parametrize(
    ("cadence", "period"), [("weekly", 7), ("biweekly", 14), ("monthly", 30)], ids=str
)
def test_a_pairing_is_reminded_once_a_whole_period_has_passed_without_a_meeting(
    job, cadence, period
):
    today = datetime.date(2026, 5, 13)
    late = pairing_met(today - days(period), cadence=cadence)
    in_time = pairing_met(today - days(period - 1), cadence=cadence)

    sent = job(at(2026, 5, 13, 10))

    assert reminded(sent) == members_of(late)
    assert not set(members_of(in_time)) & {m.to[0] for m in sent}


def test_only_accepted_members_with_an_active_account_are_reminded(job):
    pairing = pairing_met(datetime.date(2026, 5, 6), mentees=3)
    mentees = list(pairing.memberships.filter(participant__role="mentee").order_by("pk"))
    withdrawn, inactive = mentees[1].participant, mentees[2].participant.user
    withdrawn.set_status(Participant.Status.WITHDRAWN)
    inactive.is_active = False
    inactive.save()

    sent = job(at(2026, 5, 13, 10))

    assert reminded(sent) == sorted(
        [member_user(pairing, "mentor").email, mentees[0].participant.user.email]
    )


def test_ended_pairings_and_pairings_of_a_cycle_that_is_over_are_not_reminded(job):
    ended = pairing_met(datetime.date(2026, 5, 1))
    Pairing.objects.filter(pk=ended.pk).update(status=Pairing.Status.ENDED)
    over = pairing_met(datetime.date(2026, 5, 1))
    Cycle.objects.filter(pk=over.cycle_id).update(ends_on=datetime.date(2026, 5, 12))

    assert reminded(job(at(2026, 5, 13, 10))) == []


def test_a_weekly_pairing_is_reminded_once_an_iso_week_until_it_meets(job):
    # Wednesday 13 May 2026 is in ISO week 20 (11-17 May); Monday 18 May starts week 21.
    silent = pairing_met(datetime.date(2026, 5, 6))
    meets = pairing_met(datetime.date(2026, 5, 6))

    assert reminded(job(at(2026, 5, 13, 10))) == sorted(members_of(silent) + members_of(meets))
    assert reminded(job(at(2026, 5, 13, 15))) == []
    MeetingFactory(pairing=meets, held_on=datetime.date(2026, 5, 15))
    assert reminded(job(at(2026, 5, 17, 23, 30))) == [], "Sunday is still the same week"
    assert reminded(job(at(2026, 5, 18, 9))) == members_of(silent)
    assert reminded(job(at(2026, 5, 20, 9))) == []
    assert Notification.objects.filter(kind="meeting_reminder").count() == 6


def test_a_meeting_logged_after_the_reminder_was_planned_stops_it(
    django_capture_on_commit_callbacks,
):
    pairing = pairing_met(datetime.date(2026, 5, 6))
    mail.outbox.clear()
    with (
        time_machine.travel(at(2026, 5, 13, 10), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert plan(due_reminders()) == 2
        MeetingFactory(pairing=pairing, held_on=datetime.date(2026, 5, 12))
        dispatch()

    assert mail.outbox == []
    states = Notification.objects.about(pairing).values_list("state")
    assert set(states) == {(Notification.State.SKIPPED,)}


def test_an_every_two_weeks_pairing_is_reminded_once_a_fortnight(job):
    # The fortnights run from Monday 1 January 2024: 4-17 May 2026 is one, 18-31 May the next.
    # Sunday 10 and Monday 11 May are in the same fortnight, though not in the same ISO week.
    pairing = pairing_met(datetime.date(2026, 4, 26), cadence="biweekly")

    assert reminded(job(at(2026, 5, 9, 12))) == [], "13 days"
    assert reminded(job(at(2026, 5, 10, 12))) == members_of(pairing), "14 days"
    assert reminded(job(at(2026, 5, 11, 12))) == [], "the next day, the same fortnight"
    assert reminded(job(at(2026, 5, 17, 23))) == [], "its last day"
    assert reminded(job(at(2026, 5, 18, 9))) == members_of(pairing), "the next fortnight"
    assert reminded(job(at(2026, 5, 19, 12))) == []


def test_a_monthly_pairing_is_reminded_once_a_calendar_month(job):
    pairing = pairing_met(datetime.date(2026, 7, 1), cadence="monthly")

    assert reminded(job(at(2026, 7, 30, 12))) == [], "29 days"
    assert reminded(job(at(2026, 7, 31, 12))) == members_of(pairing), "30 days"
    assert reminded(job(at(2026, 8, 1, 12))) == members_of(pairing), "a new month"
    assert reminded(job(at(2026, 8, 20, 12))) == [], "the same month"
    assert reminded(job(at(2026, 8, 31, 23))) == []


# At what time


def test_nothing_is_sent_before_nine_in_the_programmes_time_zone(job):
    pairing = pairing_met(datetime.date(2026, 5, 6))

    assert reminded(job(at(2026, 5, 13, 8, 59, 59))) == []
    assert reminded(job(at(2026, 5, 13, 9))) == members_of(pairing)


@pytest.mark.parametrize(
    "day",
    [datetime.date(2026, 1, 14), datetime.date(2026, 7, 15)],
    ids=["winter: New York 5 hours behind UTC", "summer: 4 hours"],
)
def test_each_programme_is_reminded_in_the_morning_of_its_own_time_zone(job, day):
    in_vilnius = pairing_met(day - days(7), time_zone="Europe/Vilnius")
    in_new_york = pairing_met(day - days(7), time_zone="America/New_York")
    noon_utc = at(day.year, day.month, day.day, 12, zone=UTC)
    assert noon_utc.astimezone(NEW_YORK).hour < 9 <= noon_utc.astimezone(VILNIUS).hour

    assert reminded(job(noon_utc)) == members_of(in_vilnius)
    assert reminded(job(noon_utc + datetime.timedelta(hours=2))) == members_of(in_new_york)


def test_a_programme_ahead_of_the_sites_date_is_reminded_at_nine_there(job):
    # At 09:00 on 14 January in Auckland (UTC+13) it is still 13 January in Vilnius: the
    # reminder is due by Auckland's date, and must not be dropped as "not needed any more".
    pairing = pairing_met(datetime.date(2026, 1, 7), time_zone="Pacific/Auckland")
    nine_in_auckland = at(2026, 1, 14, 9, zone=zoneinfo.ZoneInfo("Pacific/Auckland"))
    assert nine_in_auckland.astimezone(VILNIUS).date() == datetime.date(2026, 1, 13)

    assert reminded(job(nine_in_auckland - datetime.timedelta(minutes=1))) == []
    assert reminded(job(nine_in_auckland)) == members_of(pairing)


@pytest.mark.parametrize(
    "day",
    [datetime.date(2026, 10, 25), datetime.date(2026, 3, 29)],
    ids=["summer time ends", "summer time begins"],
)
def test_across_a_change_of_summer_time_the_reminder_goes_out_at_nine_local_time(job, day):
    pairing = pairing_met(day - days(7))

    assert reminded(job(at(day.year, day.month, day.day - 1, 23, 30))) == [], "6 days"
    assert reminded(job(at(day.year, day.month, day.day, 8, 59))) == []
    assert reminded(job(at(day.year, day.month, day.day, 9))) == members_of(pairing)
    sent_at = Notification.objects.filter(kind="meeting_reminder").values_list("sent_at", flat=True)
    assert {moment.astimezone(VILNIUS).time() for moment in sent_at} == {datetime.time(9)}


# The email


def test_the_reminder_names_the_others_the_last_meeting_and_links_to_log_and_to_the_guide(job):
    pairing = pairing_met(datetime.date(2026, 5, 6))
    program = pairing.cycle.program
    Document.objects.create(
        program=program,
        title="Rules",
        kind=Document.Kind.REGULATIONS,
        file=ContentFile(b"%PDF-", "r.pdf"),
    )
    guide = Document.objects.create(
        program=program,
        title="Guide",
        kind=Document.Kind.GUIDE,
        file=ContentFile(b"%PDF-", "g.pdf"),
    )
    mentor, mentee = member_user(pairing, "mentor"), member_user(pairing, "mentee")

    (email,) = [m for m in job(at(2026, 5, 13, 10)) if m.to == [mentor.email]]

    with translation.override("en"):
        last = formats.date_format(datetime.date(2026, 5, 6), "DATE_FORMAT")
    site = django_settings.SITE_URL
    html = email.alternatives[0][0]
    assert email.subject == SUBJECT + program.name
    assert mentee.get_full_name() in email.body and mentee.get_full_name() in html
    assert mentor.get_full_name() not in email.body
    assert f"last logged a meeting on {last}." in email.body
    for link in (reverse("meetings:meeting_new", args=[pairing.pk]), guide.get_absolute_url()):
        assert site + link in email.body and f'href="{site}{link}"' in html
    row = Notification.objects.get(recipient=mentor, kind="meeting_reminder")
    headers = email.message()
    assert headers["Message-ID"] == row.message_id
    stop = headers["List-Unsubscribe"]
    assert stop.startswith(f"<{site}/") and "/emails/stop/" in stop
    assert stop.strip("<>") in email.body
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_without_a_guide_the_reminder_links_to_the_programmes_page(job):
    pairing = pairing_met(datetime.date(2026, 5, 6))

    sent = job(at(2026, 5, 13, 10))

    page = django_settings.SITE_URL + pairing.cycle.program.get_absolute_url()
    assert len(sent) == 2 and all(page in email.body for email in sent)


def test_the_reminder_is_written_in_the_recipients_language(job):
    # Fails until the Lithuanian catalogue translates the reminders' new strings.
    pairing = pairing_met(datetime.date(2026, 5, 6))
    mentee = member_user(pairing, "mentee")
    mentee.language = "lt"
    mentee.save()

    sent = {m.to[0]: m for m in job(at(2026, 5, 13, 10))}

    english = sent[member_user(pairing, "mentor").email]
    lithuanian = sent[mentee.email]
    assert lithuanian.extra_headers["Content-Language"] == "lt"
    assert "Užregistruoti susitikimą" in lithuanian.alternatives[0][0]  # "Log a meeting"
    assert lithuanian.subject != english.subject


# The coordinators' digest


def test_a_coordinator_gets_one_digest_a_week_of_the_overdue_pairings_of_all_their_programmes(
    job,
):
    coordinator, other_coordinator = CoordinatorFactory(), CoordinatorFactory()
    weekly = ProgramFactory(cadence="weekly", coordinators=[coordinator])
    monthly = ProgramFactory(cadence="monthly", coordinators=[coordinator])
    calm = ProgramFactory(cadence="weekly", coordinators=[other_coordinator])
    overdue_weekly = pairing_met(datetime.date(2026, 4, 29), program=weekly)  # 14 days
    due_weekly = pairing_met(datetime.date(2026, 4, 30), program=weekly)  # 13 days
    overdue_monthly = pairing_met(datetime.date(2026, 3, 14), program=monthly)  # 60 days
    pairing_met(datetime.date(2026, 5, 1), program=calm)  # 12 days: due

    sent = job(at(2026, 5, 13, 10))

    (digest,) = digests(sent)
    assert digest.to == [coordinator.email]
    assert digest.subject == "2 pairings have not met for a while"
    for pairing, listed in [(overdue_weekly, True), (overdue_monthly, True), (due_weekly, False)]:
        link = django_settings.SITE_URL + reverse("meetings:pairing", args=[pairing.pk])
        assert (link in digest.body) is listed
    assert weekly.name in digest.body and monthly.name in digest.body
    assert "List-Unsubscribe" in digest.extra_headers
    for moment in (at(2026, 5, 14, 10), at(2026, 5, 17, 23)):
        assert digests(job(moment), coordinator) == [], "once an ISO week"
    assert len(digests(job(at(2026, 5, 18, 10)), coordinator)) == 1


def test_a_long_digest_names_the_pairings_longest_without_a_meeting_and_counts_the_rest(
    job, monkeypatch
):
    monkeypatch.setattr("meetings.reminders.DIGEST_LISTS", 2)
    coordinator = CoordinatorFactory()
    program = ProgramFactory(cadence="weekly", coordinators=[coordinator])
    pairings = [
        pairing_met(datetime.date(2026, 4, day), program=program) for day in (20, 10, 25, 15)
    ]

    (digest,) = digests(job(at(2026, 5, 13, 10)), coordinator)

    assert digest.subject == "4 pairings have not met for a while"
    listed = [p for p in pairings if reverse("meetings:pairing", args=[p.pk]) in digest.body]
    assert listed == [pairings[1], pairings[3]], "the two longest without a meeting"
    dashboard = django_settings.SITE_URL + reverse("coordinate")
    assert f"And 2 more pairings, on the dashboard: {dashboard}" in digest.body
    assert f'href="{dashboard}"' in digest.alternatives[0][0]


def test_the_digest_waits_for_the_digest_weekday(job, settings):
    settings.DIGEST_WEEKDAY = 2  # Wednesday
    coordinator = CoordinatorFactory()
    program = ProgramFactory(cadence="weekly", coordinators=[coordinator])
    pairing_met(datetime.date(2026, 4, 20), program=program)

    monday = job(at(2026, 5, 11, 10))
    assert digests(monday) == [] and reminded(monday), "the members are reminded on Monday"
    assert digests(job(at(2026, 5, 12, 10))) == []
    assert [d.to for d in digests(job(at(2026, 5, 13, 10)))] == [[coordinator.email]]


def test_no_digest_when_no_pairing_is_overdue(job):
    coordinator = CoordinatorFactory()
    program = ProgramFactory(cadence="weekly", coordinators=[coordinator])
    pairing_met(datetime.date(2026, 4, 30), program=program)  # 13 days: due, not overdue
    pairing_met(datetime.date(2026, 5, 12), program=program)

    sent = job(at(2026, 5, 13, 10))

    assert digests(sent) == [] and len(reminded(sent)) == 2
    assert not Notification.objects.filter(kind="coordinator_digest").exists()


def test_the_digest_leaves_out_the_pairings_of_a_cycle_that_is_over(job):
    coordinator = CoordinatorFactory()
    program = ProgramFactory(cadence="weekly", coordinators=[coordinator])
    overdue = pairing_met(datetime.date(2026, 4, 20), program=program)
    last_year = pairing_met(datetime.date(2026, 3, 1), program=program)
    Cycle.objects.filter(pk=last_year.cycle_id).update(ends_on=datetime.date(2026, 4, 30))

    (digest,) = digests(job(at(2026, 5, 13, 10)), coordinator)

    assert digest.subject == "1 pairing has not met for a while"
    assert reverse("meetings:pairing", args=[overdue.pk]) in digest.body
    assert reverse("meetings:pairing", args=[last_year.pk]) not in digest.body
