"""The meeting cadence of pairings (`meetings/cadence.py`): on track while the last meeting, or
before the first one the pairing's start, is less than one period ago; due from then on;
overdue once two periods have passed. Counted in calendar days in Europe/Vilnius."""

import datetime
import zoneinfo
from collections import Counter

import pytest
import time_machine
from django.db.models import Count, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import formats, timezone, translation

from meetings.cadence import State, cadence_of, with_cadence, with_meetings_this_month
from meetings.models import Meeting, note_last_meetings
from mentorship.pages import figures
from participants.models import Pairing
from programs.models import Cycle
from tests.factories import CycleFactory, MeetingFactory, active_pairing, member_user

pytestmark = pytest.mark.django_db

VILNIUS = zoneinfo.ZoneInfo("Europe/Vilnius")
CADENCES = [("weekly", 7, 4), ("biweekly", 14, 2), ("monthly", 30, 1)]


def ago(n) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


def working_cycle(cadence):
    return CycleFactory(
        program__cadence=cadence,
        starts_on=ago(120),
        ends_on=ago(-200),
        stage=Cycle.Stage.WORKING,
    )


def cadences(pairings, today=None) -> dict:
    """The cadence of each pairing by its id, read as the pages read it."""
    queryset = Pairing.objects.filter(pk__in=[p.pk for p in pairings])
    annotated = with_cadence(queryset.select_related("cycle__program"), today)
    return {pairing.pk: cadence_of(pairing) for pairing in annotated}


def expected_states(period) -> dict:
    return {
        period - 1: State.ON_TRACK,
        period: State.DUE,
        2 * period - 1: State.DUE,
        2 * period: State.OVERDUE,
    }


@pytest.mark.parametrize(("cadence", "period", "a_month"), CADENCES)
def test_a_pairing_is_on_track_then_due_then_overdue_after_its_last_meeting(
    cadence, period, a_month, django_assert_num_queries
):
    cycle = working_cycle(cadence)
    pairings = {}
    for days_ago in expected_states(period):
        pairing = active_pairing(cycle, started_days_ago=100)
        MeetingFactory(pairing=pairing, held_on=ago(days_ago))
        # Logged later, held earlier: the date held is what counts.
        MeetingFactory(pairing=pairing, held_on=ago(days_ago + 3))
        pairings[days_ago] = pairing

    with django_assert_num_queries(1):  # the pairings with their cadence, in one query
        found = cadences(pairings.values())

    for days_ago, state in expected_states(period).items():
        cadence_now = found[pairings[days_ago].pk]
        assert cadence_now.state == state, f"last meeting {days_ago} days ago"
        assert cadence_now.last_meeting_on == ago(days_ago)
        assert cadence_now.due_on == ago(days_ago - period)
        assert cadence_now.expected_this_month == a_month


@pytest.mark.parametrize(("cadence", "period", "a_month"), CADENCES)
def test_the_state_worked_out_in_python_is_the_one_the_query_works_out(cadence, period, a_month):
    """The member's pages work the state out from the pairing's columns; the lists that count
    or filter by it, in SQL. Day by day around both limits, they agree."""
    cycle = working_cycle(cadence)
    pairings = []
    for days_ago in range(2 * period + 2):
        pairing = active_pairing(cycle, started_days_ago=100)
        MeetingFactory(pairing=pairing, held_on=ago(days_ago))
        pairings.append(pairing)
    pairings += [active_pairing(cycle, started_days_ago=n) for n in (period - 1, period)]

    in_query = cadences(pairings)
    queryset = Pairing.objects.filter(pk__in=[p.pk for p in pairings])
    in_python = {
        pairing.pk: cadence_of(pairing)
        for pairing in with_meetings_this_month(queryset.select_related("cycle__program"))
    }

    assert in_python == in_query
    assert {found.state for found in in_python.values()} == set(State)


@pytest.mark.parametrize(("cadence", "period", "a_month"), CADENCES)
def test_the_dashboard_counts_each_state_as_each_pairings_own_cadence_has_it(
    cadence, period, a_month
):
    """The dashboard counts one cycle's pairings by comparing dates, without the case of every
    cadence: day by day around both limits, it agrees with the pairings one by one."""
    cycle = working_cycle(cadence)
    pairings = [active_pairing(cycle, started_days_ago=n) for n in (period - 1, period)]
    for days_ago in range(2 * period + 2):
        pairing = active_pairing(cycle, started_days_ago=100)
        MeetingFactory(pairing=pairing, held_on=ago(days_ago))
        pairings.append(pairing)
    one_by_one = {pk: found.state for pk, found in cadences(pairings).items()}

    counted = figures.cadence(cycle)

    states = Counter(one_by_one.values())
    assert counted["counts"] == {state.value: states[state] for state in State}
    overdue = {pk for pk, state in one_by_one.items() if state == State.OVERDUE}
    assert {pairing.pk for pairing in counted["overdue"]} == overdue
    assert {pairing.cadence.state for pairing in counted["overdue"]} == {State.OVERDUE}


@pytest.mark.parametrize(("cadence", "period", "a_month"), CADENCES)
def test_before_the_first_meeting_the_pairings_start_counts(cadence, period, a_month):
    cycle = working_cycle(cadence)
    pairings = {
        days_ago: active_pairing(cycle, started_days_ago=days_ago)
        for days_ago in expected_states(period)
    }

    found = cadences(pairings.values())

    for days_ago, state in expected_states(period).items():
        cadence_now = found[pairings[days_ago].pk]
        assert cadence_now.state == state, f"started {days_ago} days ago"
        assert cadence_now.last_meeting_on is None
        assert cadence_now.meetings_this_month == 0
        assert cadence_now.due_on == ago(days_ago - period)


def test_a_pairing_without_a_start_date_counts_from_the_cycles_start():
    cycle = CycleFactory(
        program__cadence="biweekly", starts_on=ago(14), ends_on=ago(-200), stage=Cycle.Stage.WORKING
    )
    pairing = active_pairing(cycle)
    Pairing.objects.filter(pk=pairing.pk).update(starts_on=None)
    cadence_now = cadences([pairing])[pairing.pk]
    assert cadence_now.state == State.DUE
    assert cadence_now.due_on == ago(0)


def test_a_meeting_resets_the_clock_of_an_overdue_pairing():
    pairing = active_pairing(working_cycle("weekly"), started_days_ago=40)
    assert cadences([pairing])[pairing.pk].state == State.OVERDUE
    MeetingFactory(pairing=pairing, held_on=ago(2))
    assert cadences([pairing])[pairing.pk].state == State.ON_TRACK


def test_meetings_this_month_are_those_of_the_calendar_month_in_vilnius(client):
    # Half past midnight on 1 June in Vilnius is still 31 May in UTC.
    with time_machine.travel(datetime.datetime(2026, 6, 1, 0, 30, tzinfo=VILNIUS), tick=False):
        pairing = active_pairing(program__cadence="weekly")
        mentor = member_user(pairing)
        for held_on in [(5, 31), (5, 31), (6, 1), (7, 1)]:
            MeetingFactory(pairing=pairing, logged_by=mentor, held_on=datetime.date(2026, *held_on))

        cadence_now = cadences([pairing])[pairing.pk]
        assert cadence_now.meetings_this_month == 1
        client.force_login(mentor)
        page = client.get(reverse("meetings:pairing", args=[pairing.pk])).content.decode()

    assert "1 meeting this month; the programme asks for meetings weekly." in page
    may = cadences([pairing], today=datetime.date(2026, 5, 15))[pairing.pk]
    assert may.meetings_this_month == 2
    december = cadences([pairing], today=datetime.date(2026, 12, 31))[pairing.pk]
    assert december.meetings_this_month == 0


@pytest.mark.parametrize(
    "moment",
    [
        # Summer time ends on 25 October 2026 at 04:00, begins on 29 March 2026 at 03:00; just
        # after midnight, the date in UTC is still the day before.
        datetime.datetime(2026, 10, 25, 0, 30),
        datetime.datetime(2026, 10, 25, 12, 0),
        datetime.datetime(2026, 10, 26, 0, 30),
        datetime.datetime(2026, 3, 29, 0, 30),
        datetime.datetime(2026, 3, 29, 12, 0),
        datetime.datetime(2026, 3, 30, 0, 30),
    ],
    ids=str,
)
def test_days_are_counted_in_calendar_days_across_a_change_of_summer_time(moment):
    with time_machine.travel(moment.replace(tzinfo=VILNIUS), tick=False):
        today = moment.date()
        assert timezone.localdate() == today
        cycle = working_cycle("weekly")
        pairings = {}
        for days_ago in expected_states(7):
            pairing = active_pairing(cycle, started_days_ago=60)
            MeetingFactory(pairing=pairing, held_on=today - datetime.timedelta(days=days_ago))
            pairings[days_ago] = pairing

        found = cadences(pairings.values())

    for days_ago, state in expected_states(7).items():
        assert found[pairings[days_ago].pk].state == state, f"last meeting {days_ago} days ago"
        due_on = today + datetime.timedelta(days=7 - days_ago)
        assert found[pairings[days_ago].pk].due_on == due_on


def test_the_pairing_page_shows_the_rhythm(client):
    pairing = active_pairing(program__cadence="biweekly", started_days_ago=60)
    mentee = member_user(pairing, "mentee")
    MeetingFactory(pairing=pairing, logged_by=mentee, held_on=ago(20))
    client.force_login(mentee)

    page = client.get(reverse("meetings:pairing", args=[pairing.pk])).content.decode()

    with translation.override("en"):
        last, due = (formats.date_format(d, "DATE_FORMAT") for d in (ago(20), ago(6)))
    assert "Meeting due" in page
    assert f"Last meeting: {last}." in page
    assert f"Next meeting due by {due}." in page
    assert "the programme asks for meetings every two weeks." in page


# The date of the last meeting, kept on the pairing


def last_meeting(pairing) -> datetime.date | None:
    return Pairing.objects.values_list("last_meeting_on", flat=True).get(pk=pairing.pk)


def logged(pairing) -> tuple[int, int]:
    """The meetings and their minutes the pairing keeps."""
    kept = Pairing.objects.values_list("meetings_count", "meetings_minutes")
    return kept.get(pk=pairing.pk)


def test_the_pairing_keeps_the_date_of_its_latest_meeting_through_logs_edits_and_deletions():
    pairing = active_pairing(working_cycle("weekly"), started_days_ago=100)
    author = member_user(pairing)
    assert last_meeting(pairing) is None

    older = MeetingFactory(pairing=pairing, logged_by=author, held_on=ago(20))
    newer = MeetingFactory(pairing=pairing, logged_by=author, held_on=ago(5))
    assert last_meeting(pairing) == ago(5)

    newer.held_on = ago(30)
    newer.save()
    assert last_meeting(pairing) == ago(20), "an earlier date on the newest log"
    older.delete()
    assert last_meeting(pairing) == ago(30)
    newer.delete()
    assert last_meeting(pairing) is None
    assert cadences([pairing])[pairing.pk].state == State.OVERDUE, "from its start again"


def test_meetings_written_in_bulk_are_noted_on_their_pairings():
    cycle = working_cycle("monthly")
    first, second = (active_pairing(cycle, started_days_ago=90) for _ in range(2))
    Meeting.objects.bulk_create(
        Meeting(
            pairing=p,
            cycle=cycle,
            logged_by=member_user(p),
            held_on=ago(days),
            duration_minutes=minutes,
        )
        for p, days, minutes in ((first, 40, 60), (first, 10, 45), (second, 50, 90))
    )
    assert last_meeting(first) is None, "bulk writes skip save()"
    assert logged(first) == (0, 0)

    note_last_meetings()

    assert (last_meeting(first), last_meeting(second)) == (ago(10), ago(50))
    assert (logged(first), logged(second)) == ((2, 105), (1, 90))
    states = cadences([first, second])
    assert (states[first.pk].state, states[second.pk].state) == (State.ON_TRACK, State.DUE)


# How many meetings and minutes, kept on the pairing beside the last meeting's date


def test_the_pairing_keeps_its_meetings_and_their_minutes_through_logs_edits_and_deletions():
    pairing = active_pairing(working_cycle("weekly"), started_days_ago=100)
    author = member_user(pairing)
    assert logged(pairing) == (0, 0)

    first = MeetingFactory(pairing=pairing, logged_by=author, held_on=ago(20), duration_minutes=60)
    second = MeetingFactory(pairing=pairing, logged_by=author, held_on=ago(5), duration_minutes=45)
    assert logged(pairing) == (2, 105)

    second.duration_minutes = 90
    second.save()
    assert logged(pairing) == (2, 150), "a corrected length"
    first.delete()
    assert logged(pairing) == (1, 90)
    Meeting.objects.get(pk=second.pk).delete()
    assert logged(pairing) == (0, 0)
    assert last_meeting(pairing) is None


def test_a_meeting_moved_to_another_pairing_is_counted_there_and_no_longer_where_it_was():
    first = active_pairing(working_cycle("weekly"), started_days_ago=100)
    second = active_pairing(working_cycle("weekly"), started_days_ago=100)
    MeetingFactory(pairing=first, held_on=ago(30), duration_minutes=30)
    moved = MeetingFactory(pairing=first, held_on=ago(10), duration_minutes=60)
    assert moved.cycle == first.cycle

    meeting = Meeting.objects.get(pk=moved.pk)  # as read back by a later request
    meeting.pairing = second
    meeting.save()

    assert (logged(first), last_meeting(first)) == ((1, 30), ago(30))
    assert (logged(second), last_meeting(second)) == ((1, 60), ago(10))
    assert Meeting.objects.get(pk=moved.pk).cycle == second.cycle, "its new pairing's cycle"


def test_the_report_reads_the_kept_counts_which_agree_with_the_meetings_logged():
    cycle = working_cycle("weekly")
    pairings = [active_pairing(cycle, started_days_ago=100) for _ in range(3)]
    for n, pairing in enumerate(pairings):
        for day in range(n + 1):
            MeetingFactory(pairing=pairing, held_on=ago(day * 7 + 1), duration_minutes=30 + day)

    counted = Pairing.objects.filter(cycle=cycle).annotate(
        held=Count("meetings"), minutes=Coalesce(Sum("meetings__duration_minutes"), 0)
    )

    assert {p.pk: (p.meetings_count, p.meetings_minutes) for p in counted} == {
        p.pk: (p.held, p.minutes) for p in counted
    }
    kept = figures.key_figures(cycle)
    assert (kept["meetings"], kept["hours"]) == (6, (30 + 30 + 31 + 30 + 31 + 32) / 60)
    most_first = [(p.pk, p.meetings_count) for p in figures.per_pairing(cycle)]
    assert most_first == [(pairings[2].pk, 3), (pairings[1].pk, 2), (pairings[0].pk, 1)]
