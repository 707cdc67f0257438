"""The coordinators' pages: the overview of the cycles they coordinate, a cycle's dashboard, and
its end-of-cycle report as a printable page and as an XLSX workbook."""

import datetime
import html
import io
import json
import re
import zoneinfo
from types import SimpleNamespace

import openpyxl
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import formats, timezone, translation

from events.models import SignUp
from meetings.models import HelpRequest
from participants.models import Notification, Pairing, Participant, Response
from participants.registrations import self_assessment
from programs.models import Cycle, Question, StageEntry
from programs.ready_made import add_ready_made_questionnaires
from tests.factories import (
    CoordinatorFactory,
    CycleFactory,
    EventFactory,
    GoalFactory,
    MeetingFactory,
    ParticipantFactory,
    ProgramFactory,
    UserFactory,
    active_pairing,
    member_user,
)

pytestmark = pytest.mark.django_db

VILNIUS = zoneinfo.ZoneInfo("Europe/Vilnius")
DAY = datetime.timedelta(days=1)
ACCEPTED = Participant.Status.ACCEPTED

GOALS = "How far did you reach the goals you set at the start?"
SUPPORT = "How well could you support your mentee?"
EVENTS = "Which events helped you most?"
AGAIN = "Would you take part again?"
CHANGE = "What would you change in the programme?"
LEARNT = "What did you learn as a mentor?"


def ago(days) -> datetime.date:
    return timezone.localdate() - days * DAY


def working_cycle(program=None, **fields) -> Cycle:
    """A cycle a hundred days under way, in its working stage (a monthly programme)."""
    fields.setdefault("starts_on", ago(100))
    fields.setdefault("ends_on", ago(-200))
    fields.setdefault("stage", Cycle.Stage.WORKING)
    return CycleFactory(program=program or ProgramFactory(), **fields)


def rename(user, first, last):
    user.first_name, user.last_name = first, last
    user.save(update_fields=["first_name", "last_name"])
    return user


def held(days_ago, **fields):
    """An event of two hours that started `days_ago` days ago."""
    return EventFactory(starts_at=timezone.now() - days_ago * DAY, **fields)


def sign_up(event, *, status="confirmed", attended=None):
    return SignUp.objects.create(event=event, user=UserFactory(), status=status, attended=attended)


def email(recipient, program, state, period="2026-W10"):
    return Notification.objects.create(
        recipient=recipient, kind="meeting_reminder", about=recipient, period=period,
        program=program, state=state,
    )  # fmt: skip


def end(pairing):
    Pairing.objects.filter(pk=pairing.pk).update(status=Pairing.Status.ENDED, ends_on=ago(1))


def visible(fragment: str) -> str:
    """The text a reader sees in a piece of HTML, with its spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def between(page: str, start: str, stop: str) -> str:
    begin = page.index(start) + len(start)
    return page[begin : page.index(stop, begin)]


def section(page: str, heading_id: str) -> str:
    return between(page, f'aria-labelledby="{heading_id}">', "</section>")


def rows(fragment: str) -> list[list[str]]:
    """The visible text of each cell of each table row in `fragment`."""
    return [
        [visible(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", fragment, re.S)
    ]


def by_label(fragment: str) -> dict[str, list[str]]:
    """Table rows keyed by their first cell."""
    return {row[0]: row[1:] for row in rows(fragment) if row}


def chart(page: str, script_id: str) -> dict:
    found = re.search(
        rf'<script id="{script_id}" type="application/json">(.*?)</script>', page, re.S
    )
    assert found, f"no JSON block {script_id}"
    return json.loads(found.group(1))


def get(client, user, name, *args):
    client.force_login(user)
    return client.get(reverse(name, args=args))


def page_of(client, user, name, *args) -> str:
    response = get(client, user, name, *args)
    assert response.status_code == 200
    return response.content.decode()


def assert_login_redirect(response):
    assert response.status_code == 302
    assert response.url.startswith(f"{reverse('account_login')}?next=")


def short_date(value) -> str:
    with translation.override("en"):
        return formats.date_format(value, "SHORT_DATE_FORMAT")


# Who may look


@pytest.fixture
def world():
    """A programme's cycle under way with one pair, its coordinator, a coordinator of another
    programme, a participant, a superuser and a coordinator of nothing yet."""
    pairing = active_pairing(program__name="New lecturers")
    cycle = pairing.cycle
    w = SimpleNamespace(cycle=cycle, pairing=pairing)
    w.coordinator = CoordinatorFactory()
    cycle.program.coordinators.add(w.coordinator)
    w.other_cycle = working_cycle(ProgramFactory(name="Pupil to pupil"))
    w.other_coordinator = CoordinatorFactory()
    w.other_cycle.program.coordinators.add(w.other_coordinator)
    w.participant = member_user(pairing, "mentee")
    w.superuser = UserFactory(is_staff=True, is_superuser=True)
    w.newcomer = CoordinatorFactory()
    return w


@pytest.mark.parametrize("name", ["dashboard", "report", "report_xlsx"])
def test_a_cycles_pages_are_for_its_coordinators_and_superusers_and_404_for_the_others(
    client, world, name
):
    url = reverse(name, args=[world.cycle.pk])
    assert_login_redirect(client.get(url))
    for user in (world.participant, world.other_coordinator, world.newcomer):
        assert get(client, user, name, world.cycle.pk).status_code == 404
    for user in (world.coordinator, world.superuser):
        response = get(client, user, name, world.cycle.pk)
        assert response.status_code == 200
        if name != "report_xlsx":
            assert "New lecturers" in response.content.decode()
    assert get(client, world.other_coordinator, name, world.other_cycle.pk).status_code == 200


def test_the_overview_is_for_coordinators_and_lists_only_their_own_cycles(client, world):
    assert_login_redirect(client.get(reverse("coordinate")))
    assert get(client, world.participant, "coordinate").status_code == 404

    dashboard = reverse("dashboard", args=[world.cycle.pk])
    other_dashboard = reverse("dashboard", args=[world.other_cycle.pk])
    mine = page_of(client, world.coordinator, "coordinate")
    assert dashboard in mine and other_dashboard not in mine
    # The coordinator of another programme has an overview too, of their own cycles only.
    theirs = page_of(client, world.other_coordinator, "coordinate")
    assert other_dashboard in theirs and dashboard not in theirs
    everything = page_of(client, world.superuser, "coordinate")
    assert dashboard in everything and other_dashboard in everything


def test_a_coordinator_with_no_programme_yet_sees_the_overview_empty(client, world):
    page = page_of(client, world.newcomer, "coordinate")
    assert "None of your cycles is under way." in page
    assert "<table" not in page


def test_the_overview_counts_people_pairs_overdue_pairs_and_open_help_of_each_cycle(client):
    coordinator = CoordinatorFactory()
    program = ProgramFactory(name="Alpha", coordinators=[coordinator])
    cycle = working_cycle(program, name="2025/26")
    active_pairing(cycle, started_days_ago=20)
    late = active_pairing(cycle, started_days_ago=90)  # monthly: overdue after 60 days
    ParticipantFactory(cycle=cycle, role="mentee")  # applied
    ParticipantFactory(cycle=cycle, role="mentor", status="declined")
    asker = late.members.first()
    HelpRequest.objects.create(participant=asker, topic="methods", message="?")
    HelpRequest.objects.create(participant=asker, topic="methods", message="?", status="closed")
    working_cycle(program, name="2023/24", starts_on=ago(800), ends_on=ago(400))
    working_cycle(ProgramFactory(name="Not mine"))

    page = page_of(client, coordinator, "coordinate")
    table = by_label(page)
    assert table["Alpha 2025/26"][:6] == [
        "6. The pairs' and groups' work",
        "4",  # accepted
        "1",  # waiting for a decision
        "2",  # active pairs and groups
        "1",  # overdue
        "1",  # open help requests
    ]
    assert "2023/24" not in page, "a cycle that ended over a year ago has dropped off"
    assert "Not mine" not in page
    assert reverse("report", args=[cycle.pk]) in page


# The dashboard


def dashboard(client, cycle) -> str:
    coordinator = CoordinatorFactory()
    cycle.program.coordinators.add(coordinator)
    return page_of(client, coordinator, "dashboard", cycle.pk)


def test_the_dashboard_counts_registrations_by_role_and_status(client):
    cycle = working_cycle()
    for role, status, number in [
        ("mentor", "applied", 2), ("mentor", "accepted", 1), ("mentor", "withdrawn", 1),
        ("mentee", "applied", 1), ("mentee", "accepted", 3), ("mentee", "waitlisted", 2),
        ("mentee", "declined", 1),
    ]:  # fmt: skip
        for _ in range(number):
            ParticipantFactory(cycle=cycle, role=role, status=status)
    ParticipantFactory(cycle=working_cycle(cycle.program), role="mentor", status="applied")

    page = dashboard(client, cycle)
    table = by_label(between(page, 'card-title">Registrations</h2>', "</table>"))
    assert table == {
        "": ["Mentors", "Mentees"],
        "Applied": ["2", "1"],
        "Accepted": ["1", "3"],
        "Waitlisted": ["0", "2"],
        "Declined or withdrawn": ["1", "1"],
    }


def test_the_dashboard_counts_active_pairs_groups_ended_ones_and_people_still_unpaired(client):
    cycle = working_cycle()
    active_pairing(cycle)
    active_pairing(cycle, mentors=1, mentees=2)
    end(active_pairing(cycle))  # its two people are without a pair again
    draft = active_pairing(cycle)
    Pairing.objects.filter(pk=draft.pk).update(status=Pairing.Status.DRAFT)
    ParticipantFactory(cycle=cycle, role="mentee", status=ACCEPTED)
    ParticipantFactory(cycle=cycle, role="mentee")  # applied, not accepted: not counted
    active_pairing(working_cycle(cycle.program))

    card = visible(between(dashboard(client, cycle), 'card-title">Pairs and groups</h2>', "</div>"))
    assert card.startswith("2 active, 1 of them a group · 1 ended")
    assert "Still without a pair: 2 mentors, 3 mentees." in card


def test_an_ended_group_is_not_counted_among_the_active_groups(client):
    cycle = working_cycle()
    active_pairing(cycle)
    end(active_pairing(cycle, mentors=1, mentees=2))
    card = visible(between(dashboard(client, cycle), 'card-title">Pairs and groups</h2>', "</div>"))
    assert card.startswith("1 active, 0 of them groups · 1 ended")


def test_the_meeting_rhythm_counts_pairs_on_track_due_and_overdue_and_names_the_overdue(client):
    cycle = working_cycle()  # monthly: due after 30 days, overdue after 60
    on_track = active_pairing(cycle, started_days_ago=50)
    MeetingFactory(pairing=on_track, held_on=ago(5))
    active_pairing(cycle, started_days_ago=40)  # no meeting yet: due
    late = active_pairing(cycle, started_days_ago=90)
    MeetingFactory(pairing=late, held_on=ago(70))
    rename(member_user(late, "mentor"), "Ona", "Vėlyvoji")
    rename(member_user(late, "mentee"), "Jonas", "Tolimasis")
    never = active_pairing(cycle, started_days_ago=65)
    rename(member_user(never, "mentor"), "Rūta", "Tylioji")
    end(active_pairing(cycle, started_days_ago=95))  # ended: no longer followed

    page = dashboard(client, cycle)
    assert "1 on track, 1 due, 2 overdue" in visible(section(page, "rhythm-heading"))
    assert chart(page, "cadence-data")["series"][0]["values"] == [1, 1, 2]
    overdue = section(page, "overdue-heading")
    assert f"Ona Vėlyvoji - Jonas Tolimasis last meeting {short_date(ago(70))}" in visible(overdue)
    assert reverse("meetings:pairing", args=[late.pk]) in overdue
    assert "Rūta Tylioji" in visible(overdue) and "no meeting yet" in visible(overdue)
    assert str(member_user(on_track, "mentor")) not in overdue


def test_a_dashboard_with_every_pair_meeting_says_none_is_overdue(client):
    cycle = working_cycle()
    MeetingFactory(pairing=active_pairing(cycle), held_on=ago(3))
    page = dashboard(client, cycle)
    assert "None: every pair and group meets." in section(page, "overdue-heading")
    assert "1 on track, 0 due, 0 overdue" in visible(section(page, "rhythm-heading"))


def test_the_weekly_chart_counts_each_weeks_meetings_from_the_mondays_of_the_cycle(
    client, time_machine
):
    time_machine.move_to(datetime.datetime(2026, 3, 12, 10, tzinfo=VILNIUS), tick=False)
    cycle = working_cycle(starts_on=datetime.date(2026, 1, 7), ends_on=datetime.date(2026, 9, 30))
    pairing = active_pairing(cycle)
    for day in ["2026-01-07", "2026-02-16", "2026-02-22", "2026-03-09", "2026-03-12"]:
        MeetingFactory(pairing=pairing, held_on=datetime.date.fromisoformat(day))
    other = active_pairing(working_cycle(starts_on=datetime.date(2026, 1, 1)))
    MeetingFactory(pairing=other, held_on=datetime.date(2026, 2, 17))

    weekly = chart(dashboard(client, cycle), "weekly-data")
    # Wednesday 7 January is in the week of Monday 5 January; today is in the week of 9 March.
    mondays = [datetime.date(2026, 1, 5) + n * 7 * DAY for n in range(10)]
    assert weekly["labels"] == [monday.isoformat() for monday in mondays]
    assert weekly["labels"][-1] == "2026-03-09"
    counts = dict(zip(weekly["labels"], weekly["series"][0]["values"], strict=True))
    assert counts == {
        **dict.fromkeys(weekly["labels"], 0),
        "2026-01-05": 1,
        "2026-02-16": 2,  # Monday to Sunday: one week
        "2026-03-09": 2,
    }
    assert weekly["type"] == "bar" and weekly["series"][0]["label"] == "Meetings"


def test_the_dashboard_shows_open_help_requests_and_upcoming_events_with_their_places(client):
    cycle = working_cycle()
    pairing = active_pairing(cycle)
    asker = pairing.members.first()
    for status in ("open", "open", "answered", "closed"):
        HelpRequest.objects.create(participant=asker, topic="methods", message="?", status=status)
    elsewhere = active_pairing(working_cycle()).members.first()
    HelpRequest.objects.create(participant=elsewhere, topic="methods", message="?")
    workshop = EventFactory(program=cycle.program, title="Workshop on feedback", capacity=3)
    for status in ("confirmed", "confirmed", "confirmed", "waitlisted", "cancelled"):
        sign_up(workshop, status=status)
    EventFactory(program=cycle.program, title="Open seminar")
    held(3, program=cycle.program, title="Seminar that took place")
    EventFactory(title="Seminar of another programme")

    page = dashboard(client, cycle)
    assert "2 open help requests" in visible(page)
    events = visible(section(page, "events-heading"))
    assert "Workshop on feedback" in events
    assert "3 of 3 places taken · 1 waiting" in events
    assert "Open seminar" in events and "0 signed up" in events
    assert "Seminar that took place" not in events
    assert "Seminar of another programme" not in events


def test_the_dashboard_counts_who_answered_the_self_assessment_by_role(client):
    cycle = working_cycle()
    add_ready_made_questionnaires(cycle)
    mentors = [ParticipantFactory(cycle=cycle, role="mentor", status=ACCEPTED) for _ in range(2)]
    mentee = ParticipantFactory(cycle=cycle, role="mentee", status=ACCEPTED)
    waitlisted = ParticipantFactory(cycle=cycle, role="mentor", status="waitlisted")
    for participant in (mentors[0], waitlisted):
        Response.objects.create(
            participant=participant, questionnaire=cycle.self_assessment_for("mentor")
        )
    Response.objects.create(  # a registration is not a self-assessment
        participant=mentee, questionnaire=cycle.questionnaire_for("mentee_registration")
    )

    page = visible(dashboard(client, cycle))
    assert "Self-assessment Mentors: 1 of 2 Mentees: 0 of 1" in page


def test_the_dashboard_counts_the_programmes_emails_and_who_switched_reminders_off(client):
    cycle = working_cycle()
    pairing = active_pairing(cycle)
    mentor, mentee = member_user(pairing, "mentor"), member_user(pairing, "mentee")
    for n, state in enumerate(["sent", "sent", "sent", "failed", "pending"]):
        email(mentor, cycle.program, state, period=f"2026-W1{n}")
    email(mentee, ProgramFactory(), "failed")
    mentor.muted_notifications = ["meeting_reminder"]
    mentor.save(update_fields=["muted_notifications"])
    applicant = ParticipantFactory(cycle=cycle, role="mentee").user
    elsewhere = member_user(active_pairing(working_cycle()), "mentee")
    for user in (applicant, elsewhere):
        user.muted_notifications = ["event_reminder"]
        user.save(update_fields=["muted_notifications"])

    page = visible(dashboard(client, cycle))
    assert "Emails of the programme: 3 sent, 1 failed; 1 people switched reminders off" in page


def test_the_stages_mark_the_current_one_and_show_when_each_was_entered(client, time_machine):
    time_machine.move_to(datetime.datetime(2026, 1, 5, 10, tzinfo=VILNIUS), tick=False)
    cycle = working_cycle(
        stage=Cycle.Stage.PREPARATION,
        starts_on=datetime.date(2026, 2, 1),
        ends_on=datetime.date(2026, 12, 31),
    )
    time_machine.move_to(datetime.datetime(2026, 2, 2, 10, tzinfo=VILNIUS), tick=False)
    assert cycle.advance_stage()
    time_machine.move_to(datetime.datetime(2026, 3, 9, 10, tzinfo=VILNIUS), tick=False)
    assert cycle.advance_stage()
    assert StageEntry.objects.filter(cycle=cycle).count() == 3

    page = dashboard(client, cycle)
    stages = re.findall(
        r'<li class="list-group-item flex-fill[^"]*"( aria-current="step")?>(.*?)</li>',
        section(page, "stages-heading"),
        re.S,
    )
    assert [visible(text) for _, text in stages] == [
        "1. Preparing the conditions 01/05/2026",
        "2. Building the base of mentees 02/02/2026",
        "3. Building the base of mentors 03/09/2026",
        "4. Selecting and training mentors",
        "5. Forming pairs and groups",
        "6. The pairs' and groups' work",
        "7. Completing the mentorship",
    ]
    assert [bool(current) for current, _ in stages] == [False, False, True, *[False] * 4]


# The report


@pytest.fixture
def closing():
    """A cycle near its end (2025/26) after an earlier one (2024/25) of the same programme,
    with pairs, a group, an ended pair and a draft, meetings, events, help requests and the
    self-assessment answered by two mentors and two mentees."""
    coordinator = CoordinatorFactory()
    program = ProgramFactory(name="New lecturers", slug="new-lecturers")
    program.coordinators.add(coordinator)
    previous = working_cycle(program, name="2024/25", starts_on=ago(465), ends_on=ago(165))
    cycle = working_cycle(program, name="2025/26")
    working_cycle(program, name="2026/27", starts_on=ago(-300), ends_on=ago(-600))
    working_cycle(ProgramFactory(), name="2020/21", starts_on=ago(2000), ends_on=ago(1700))
    c = SimpleNamespace(coordinator=coordinator, program=program, cycle=cycle, previous=previous)

    before = active_pairing(previous)
    for _ in range(2):
        MeetingFactory(pairing=before, held_on=ago(300), duration_minutes=90)

    c.pair = active_pairing(cycle)
    rename(member_user(c.pair, "mentor"), "Ona", "Petraitė")
    rename(member_user(c.pair, "mentee"), "Jonas", "Jonaitis")
    MeetingFactory(pairing=c.pair, held_on=ago(40), duration_minutes=60)
    MeetingFactory(pairing=c.pair, held_on=ago(10), duration_minutes=50)
    c.group = active_pairing(cycle, mentors=1, mentees=2)
    rename(member_user(c.group, "mentor"), "Rasa", "Grupienė")
    for mentee, (first, last) in zip(
        c.group.mentees, [("Birutė", "Balčiūnaitė"), ("Aistė", "Antanaitė")], strict=True
    ):
        rename(mentee.user, first, last)
    MeetingFactory(pairing=c.group, held_on=ago(20), duration_minutes=50)
    c.ended = active_pairing(cycle)
    rename(member_user(c.ended, "mentor"), "Petras", "Baigęs")
    MeetingFactory(pairing=c.ended, held_on=ago(80), duration_minutes=30)
    end(c.ended)
    draft = active_pairing(cycle)
    rename(member_user(draft, "mentor"), "Darius", "Juodraštis")
    Pairing.objects.filter(pk=draft.pk).update(status=Pairing.Status.DRAFT)
    ParticipantFactory(cycle=cycle, role="mentor", status="waitlisted")
    ParticipantFactory(cycle=cycle, role="mentee", status="declined")

    seminar = held(10, program=program, title="Seminar on assessment")
    for attended in (True, True, False):
        sign_up(seminar, attended=attended)
    sign_up(seminar, status="cancelled")
    reflection = held(20, program=program, cycle=cycle, kind="reflection_middle",
                      title="Reflection in the middle")  # fmt: skip
    sign_up(reflection, attended=True)
    # Not held in this cycle: still to come, in the previous cycle's dates, another programme.
    sign_up(EventFactory(program=program, cycle=cycle, title="Closing event"), attended=True)
    sign_up(held(200, program=program, title="Opening of 2024/25"), attended=True)
    sign_up(held(5, title="Seminar of another programme"), attended=True)

    asker = c.pair.members.first()
    for status in ("open", "open", "answered", "closed"):
        HelpRequest.objects.create(participant=asker, topic="methods", message="?", status=status)
    HelpRequest.objects.create(participant=before.members.first(), topic="methods", message="?")

    add_ready_made_questionnaires(cycle)
    questions = {
        role: {q.text: q for q in cycle.self_assessment_for(role).questions.all()}
        for role in ("mentor", "mentee")
    }
    questions["mentor"][LEARNT].anonymous = True
    questions["mentor"][LEARNT].save(update_fields=["anonymous"])

    texts = {"goals": GOALS, "support": SUPPORT, "events": EVENTS, "again": AGAIN,
             "change": CHANGE, "learnt": LEARNT}  # fmt: skip

    def answer(participant, **values):
        role = participant.role
        self_assessment.answer(
            participant=participant,
            questionnaire=cycle.self_assessment_for(role),
            answers={questions[role][texts[key]]: value for key, value in values.items()},
        )

    mentor_ona, mentor_rasa = c.pair.members.get(role="mentor"), c.group.members.get(role="mentor")
    mentee_jonas, mentee_group = c.pair.members.get(role="mentee"), c.group.mentees[0]
    answer(
        mentor_ona,
        goals=3,
        support=4,
        events=["Seminars", "Reflection meetings"],
        again=True,
        change="More workshops",
        learnt="Patience",
    )
    answer(mentor_rasa, goals=4, support=5, events=["Seminars"], again=False, learnt="Listening")
    answer(mentee_jonas, goals=5, again=True, change="Shorter forms")
    answer(mentee_group, goals=4, again=True)
    waitlisted = ParticipantFactory(cycle=cycle, role="mentee", status="waitlisted")
    rename(waitlisted.user, "Vida", "Laukianti")
    answer(waitlisted, goals=1, again=False, change="Let me in")
    return c


def report(client, c) -> str:
    return page_of(client, c.coordinator, "report", c.cycle.pk)


def test_the_report_puts_the_cycles_figures_beside_the_previous_cycles(client, closing):
    page = report(client, closing)
    summary = section(page, "summary-heading")
    assert by_label(summary) == {
        "": ["2025/26", "2024/25"],
        "Mentors": ["4", "1"],
        "Mentees": ["5", "1"],
        "Pairs and groups formed": ["3", "1"],
        "Meetings held": ["4", "2"],
        "Hours of meetings": ["3.2", "3.0"],  # 190 minutes; 180 minutes
        "Events held": ["2", "1"],
        "Attendances at events": ["3", "1"],
        "Self-assessments answered": ["4", "0"],
    }
    assert "first cycle" not in summary


def test_an_event_nobody_signed_up_for_still_counts_as_held(client, closing):
    held(30, program=closing.program, title="Open lecture")
    page = report(client, closing)
    assert "Open lecture" in section(page, "events-heading")
    assert by_label(section(page, "summary-heading"))["Events held"] == ["3", "1"]


def test_the_first_cycle_of_a_programme_has_nothing_to_compare_with(client):
    coordinator = CoordinatorFactory()
    cycle = working_cycle(ProgramFactory(coordinators=[coordinator]), name="2025/26")
    working_cycle(ProgramFactory(), starts_on=ago(500), ends_on=ago(200))
    MeetingFactory(pairing=active_pairing(cycle), duration_minutes=45)

    page = page_of(client, coordinator, "report", cycle.pk)
    summary = section(page, "summary-heading")
    assert "This is the programme's first cycle: there is no earlier one to compare with." in (
        visible(summary)
    )
    table = by_label(summary)
    assert table[""] == ["2025/26"]
    assert table["Meetings held"] == ["1"] and table["Hours of meetings"] == ["0.8"]
    assert "No events were held in this cycle." in section(page, "events-heading")
    assert "Nobody has answered the self-assessment yet." in section(page, "results-heading")


def test_the_report_lists_each_pairings_meetings_and_hours_and_no_drafts(client, closing):
    meetings = section(report(client, closing), "meetings-heading")
    table = rows(between(meetings, "<tbody>", "</tbody>"))
    ended_mentee = str(member_user(closing.ended, "mentee"))
    assert table[0] == ["Ona Petraitė", "Jonas Jonaitis", "2", "1.8"]
    assert sorted(table[1:]) == sorted(
        [
            ["Rasa Grupienė", "Aistė Antanaitė, Birutė Balčiūnaitė", "1", "0.8"],
            ["Petras Baigęs", f"{ended_mentee} (ended)", "1", "0.5"],
        ]
    )
    assert "Juodraštis" not in meetings


def test_a_long_report_lists_the_pairings_with_most_meetings_and_sends_to_the_workbook_for_all(
    client, closing, monkeypatch
):
    monkeypatch.setattr("mentorship.pages.coordinate.REPORT_LISTS", 1)
    meetings = section(report(client, closing), "meetings-heading")
    table = rows(between(meetings, "<tbody>", "</tbody>"))
    assert table == [["Ona Petraitė", "Jonas Jonaitis", "2", "1.8"]]
    listed = "The 1 pairings with the most meetings are listed here; all 3 are in"
    assert listed in visible(meetings)
    assert reverse("report_xlsx", args=[closing.cycle.pk]) in meetings
    _, book = workbook(client, closing)
    assert len(sheet_rows(book[book.sheetnames[2]])) > 2, "the workbook lists every pairing"


def test_the_report_lists_the_events_held_with_sign_ups_and_attendance(client, closing):
    events = section(report(client, closing), "events-heading")
    table = [row[1:] for row in rows(between(events, "<tbody>", "</tbody>"))]
    assert table == [
        ["Reflection in the middle Reflection in the middle of the cycle", "1", "1"],
        ["Seminar on assessment Seminar", "3", "2"],
    ]


def test_the_report_counts_help_requests_by_state(client, closing):
    help_requests = visible(section(report(client, closing), "help-heading"))
    assert help_requests == "Help requests 2 open, 1 answered, 1 closed."


def results_of(page: str, question: str) -> dict[str, str]:
    """The mentors' and the mentees' columns of one question's results."""
    results = section(page, "results-heading")
    block = results[results.index(f'<h3 class="h6">{question}</h3>') :]
    end = block.find('<div class="mb-3">')
    mentors, mentees = block[: end if end > 0 else None].split('<div class="col-6">')[1:]
    return {"mentors": mentors, "mentees": mentees}


def distribution(column: str) -> list[tuple[int, int]]:
    found = re.findall(r'<span class="d-block text-body-secondary">(\d)</span>(\d+)</td>', column)
    return [(int(value), int(count)) for value, count in found]


def test_a_scale_question_shows_each_roles_average_and_count_of_each_value(client, closing):
    page = report(client, closing)
    assert "Answered by 2 of 4 mentors and 2 of 5 mentees." in visible(page)
    goals = results_of(page, GOALS)
    assert visible(goals["mentors"]).startswith("Mentors · 2 answers Average 3.5 of 5")
    assert distribution(goals["mentors"]) == [(1, 0), (2, 0), (3, 1), (4, 1), (5, 0)]
    # The waitlisted mentee's 1 does not count: only accepted participants' answers do.
    assert visible(goals["mentees"]).startswith("Mentees · 2 answers Average 4.5 of 5")
    assert distribution(goals["mentees"]) == [(1, 0), (2, 0), (3, 0), (4, 1), (5, 1)]
    support = results_of(page, SUPPORT)  # the mentors' questionnaire only
    assert visible(support["mentors"]).startswith("Mentors · 2 answers Average 4.5 of 5")
    assert visible(support["mentees"]).startswith("Mentees · 0 answers -")


def test_choices_and_yes_or_no_are_counted_option_by_option(client, closing):
    page = report(client, closing)
    events = results_of(page, EVENTS)
    assert visible(events["mentors"]) == (
        "Mentors · 2 answers Seminars: 2 Practical workshops: 0 Reflection meetings: 1 "
        "Meetings with guest practitioners: 0 None: 0"
    )
    again = results_of(page, AGAIN)
    assert visible(again["mentors"]) == "Mentors · 2 answers Yes: 1 No: 1"
    assert visible(again["mentees"]) == "Mentees · 2 answers Yes: 2 No: 0"


def test_written_answers_are_listed_with_names_unless_the_question_is_anonymous(client, closing):
    page = report(client, closing)
    change = results_of(page, CHANGE)
    assert visible(change["mentors"]) == "Mentors · 1 answer More workshops (Ona Petraitė)"
    assert visible(change["mentees"]) == "Mentees · 1 answer Shorter forms (Jonas Jonaitis)"
    learnt = visible(results_of(page, LEARNT)["mentors"])
    assert learnt == "Mentors · 2 answers Patience Listening"
    assert "Let me in" not in page and "Laukianti" not in page


# The workbook


def workbook(client, c):
    response = get(client, c.coordinator, "report_xlsx", c.cycle.pk)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return response, openpyxl.load_workbook(io.BytesIO(response.content))


def sheet_rows(sheet) -> list[list]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_the_workbook_has_a_sheet_for_each_part_of_the_report(client, closing):
    response, book = workbook(client, closing)
    assert response["Content-Disposition"] == (
        'attachment; filename="new-lecturers-202526-report.xlsx"'
    )
    assert book.sheetnames == [
        "Summary", "Participants", "Pairs and groups", "Meetings", "Events", "Self-assessment",
    ]  # fmt: skip
    summary = {row[0]: row[1:] for row in sheet_rows(book["Summary"])}
    assert summary["Figure"] == ["New lecturers 2025/26", "New lecturers 2024/25"]
    assert summary["Meetings held"] == [4, 2]
    assert summary["Hours of meetings"] == [3.2, 3.0]
    assert summary["Attendances at events"] == [3, 1]
    participants = {row[0]: row[1:] for row in sheet_rows(book["Participants"])}
    assert participants["Accepted"] == [4, 5]
    assert participants["Waitlisted"] == [1, 1]
    pairs = sheet_rows(book["Pairs and groups"])
    assert pairs[1] == ["Ona Petraitė", "Jonas Jonaitis", "Active", 2, 1.8]
    assert len(pairs) == 4, "the header and three pairings, no draft"
    meetings = book["Meetings"]
    assert sum(row[1] for row in sheet_rows(meetings)[1:]) == 4
    assert meetings._charts, "a bar chart of the meetings per month"
    events = {row[1]: row[2:] for row in sheet_rows(book["Events"])[1:]}
    assert events["Seminar on assessment"] == ["Seminar", 3, 2]
    results = {row[0]: row[1:] for row in sheet_rows(book["Self-assessment"])}
    assert results[GOALS] == [
        *(2, 3.5, "1: 0, 2: 0, 3: 1, 4: 1, 5: 0"),  # mentors: answers, average, distribution
        *(2, 4.5, "1: 0, 2: 0, 3: 0, 4: 1, 5: 1"),  # mentees
    ]
    assert results[AGAIN][:3] == [2, None, "Yes: 1, No: 1"]
    assert results[CHANGE][2] == "More workshops (Ona Petraitė)"
    assert results[LEARNT][2] == "Patience\nListening"


def test_a_cycle_without_meetings_downloads_a_workbook_without_a_chart(client):
    coordinator = CoordinatorFactory()
    cycle = working_cycle(ProgramFactory(coordinators=[coordinator]))
    active_pairing(cycle)
    response = get(client, coordinator, "report_xlsx", cycle.pk)
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert not book["Meetings"]._charts
    assert sheet_rows(book["Summary"])[0] == ["Figure", str(cycle)]


# Printing


def test_the_report_prints_through_the_stylesheet_and_runs_no_inline_script(client, closing):
    page = report(client, closing)
    assert '<div class="report">' in page
    css = (settings.BASE_DIR / "static/css/site.css").read_text()
    assert ".report section" in css[css.index("@media print") :]
    assert "<script>" not in page
    for tag in re.findall(r"<script[^>]*>", page):
        assert " src=" in tag or 'type="application/json"' in tag, tag
    assert chart(page, "monthly-data")["series"][0]["label"] == "Meetings"


def test_the_dashboard_runs_no_inline_script_either(client):
    cycle = working_cycle()
    page = dashboard(client, cycle)
    assert "<script>" not in page
    for tag in re.findall(r"<script[^>]*>", page):
        assert " src=" in tag or 'type="application/json"' in tag, tag


# Queries


def sized_cycle(*, pairings: int, meetings: int) -> Cycle:
    """A cycle where everything the dashboard and the report count grows with `pairings`:
    meetings, goals, overdue pairs, sign-ups, help requests, self-assessment answers, emails
    and people who switched reminders off."""
    coordinator = CoordinatorFactory()
    cycle = working_cycle(ProgramFactory(coordinators=[coordinator]))
    working_cycle(cycle.program, starts_on=ago(500), ends_on=ago(200))
    add_ready_made_questionnaires(cycle)
    questionnaires = {role: cycle.self_assessment_for(role) for role in ("mentor", "mentee")}
    questions = {role: list(q.questions.all()) for role, q in questionnaires.items()}
    upcoming = EventFactory(program=cycle.program, capacity=100)
    seminar = held(10, program=cycle.program)
    for n in range(pairings):
        pairing = active_pairing(cycle, started_days_ago=95)
        GoalFactory(pairing=pairing)
        first = 3 if n % 2 else 65  # every other pairing overdue
        for k in range(meetings):
            MeetingFactory(pairing=pairing, held_on=ago(first + 3 * k))
        for participant in pairing.members.select_related("user"):
            user = participant.user
            SignUp.objects.create(event=upcoming, user=user, status="confirmed")
            SignUp.objects.create(event=seminar, user=user, status="confirmed", attended=True)
            HelpRequest.objects.create(participant=participant, topic="methods", message="?")
            email(user, cycle.program, "sent")
            user.muted_notifications = ["meeting_reminder"]
            user.save(update_fields=["muted_notifications"])
            role = participant.role
            self_assessment.answer(
                participant=participant,
                questionnaire=questionnaires[role],
                answers={q: answer_for(q, n) for q in questions[role]},
            )
    cycle.coordinator = coordinator
    return cycle


def answer_for(question, n):
    return {
        Question.Kind.SCALE: n % 5 + 1,
        Question.Kind.MULTIPLE_CHOICE: question.choices[: n % 3 + 1],
        Question.Kind.YES_NO: n % 2 == 0,
    }.get(question.kind, f"Answer {n}")


SIZES = pytest.mark.parametrize(("pairings", "meetings"), [(2, 3), (12, 10)])


@SIZES
def test_the_dashboard_takes_the_same_queries_however_big_the_cycle(
    client, django_assert_num_queries, pairings, meetings
):
    cycle = sized_cycle(pairings=pairings, meetings=meetings)
    client.force_login(cycle.coordinator)
    # Session, user, the request's savepoint and its release, the cycle; stages,
    # registrations, unmatched people, pairings, groups, rhythm counts, the overdue pairings
    # and their members' names (one query), meetings per week, help requests, upcoming events with
    # their places, self-assessment completion, emails, opt-outs: a query per figure, none per
    # person, pairing (its members or rhythm), meeting, sign-up, answer or email.
    with django_assert_num_queries(19):
        response = client.get(reverse("dashboard", args=[cycle.pk]))
    page = response.content.decode()
    assert f"{pairings // 2} overdue" in page
    assert f"Mentors: {pairings} of {pairings}" in page


@SIZES
def test_the_report_takes_the_same_queries_however_big_the_cycle(
    client, django_assert_num_queries, pairings, meetings
):
    cycle = sized_cycle(pairings=pairings, meetings=meetings)
    client.force_login(cycle.coordinator)
    # Session, user, the request's savepoint and its release, the cycle, the previous cycle;
    # the registrations and the self-assessment completion, each read once for its table and
    # this cycle's key figures; for each cycle the pairs formed with their meetings and hours
    # (which each pairing keeps) and the events held; the previous cycle's registrations and
    # completion; the pairings listed and their members' names, meetings per month,
    # events held, help requests, and every self-assessment answer with its question and
    # person in one query: none per pairing (its members or hours), meeting, event, sign-up,
    # person or answer.
    with django_assert_num_queries(20):
        response = client.get(reverse("report", args=[cycle.pk]))
    assert by_label(section(response.content.decode(), "summary-heading"))["Meetings held"][0] == (
        str(pairings * meetings)
    )


@pytest.mark.parametrize("cycles", [1, 4])
def test_the_overview_takes_the_same_queries_however_many_cycles(
    client, django_assert_num_queries, cycles
):
    coordinator = CoordinatorFactory()
    for n in range(cycles):
        program = ProgramFactory(coordinators=[coordinator])
        cycle = working_cycle(program)
        late = active_pairing(cycle, started_days_ago=90)
        active_pairing(cycle, started_days_ago=5)
        ParticipantFactory(cycle=cycle, role="mentee")
        HelpRequest.objects.create(participant=late.members.first(), topic="other", message=f"{n}")
    client.force_login(coordinator)
    # Session, user, the request's savepoint and its release, the cycles with their people
    # and pairs counted, the overdue pairings of all of them, their open help requests: none
    # per cycle (its counts, programme, overdue pairings or help requests).
    with django_assert_num_queries(7):
        response = client.get(reverse("coordinate"))
    assert response.content.decode().count('<span class="badge text-bg-danger">1</span>') == cycles


# Figures kept for FIGURES_SECONDS


def figures_part(page: str) -> str:
    return between(page, "Count again now</a></p>", "</main>")


def weekly_total(page: str) -> int:
    return sum(chart(page, "weekly-data")["series"][0]["values"])


@pytest.fixture
def watched(client, settings):
    """A working cycle with one active pairing, its coordinator logged in, and the figures kept
    for two minutes (the tests count them afresh on every visit otherwise)."""
    settings.FIGURES_SECONDS = 120
    coordinator = CoordinatorFactory()
    cycle = working_cycle(ProgramFactory(coordinators=[coordinator]))
    pairing = active_pairing(cycle, started_days_ago=20)
    client.force_login(coordinator)
    return SimpleNamespace(cycle=cycle, pairing=pairing, coordinator=coordinator)


def visit(client, name, cycle, **params) -> str:
    response = client.get(reverse(name, args=[cycle.pk]), params)
    assert response.status_code == 200
    return response.content.decode()


# Session, user, the request's savepoint and its release, the cycle: the figures were counted
# on the visit before.
@pytest.mark.parametrize("name", ["dashboard", "report"])
def test_a_second_visit_shows_the_figures_counted_before_without_counting_again(
    client, watched, django_assert_num_queries, name
):
    first = visit(client, name, watched.cycle)
    with django_assert_num_queries(5):
        second = visit(client, name, watched.cycle)
    assert figures_part(second) == figures_part(first)
    counted = formats.time_format(timezone.localtime(), "TIME_FORMAT")
    assert f"Figures counted at {counted}." in visible(second)


def test_figures_are_counted_again_once_they_are_older_than_figures_seconds(
    client, watched, time_machine, settings
):
    # Redis expires keys by its own clock: a cache in this process follows the moved one.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    time_machine.move_to(timezone.now(), tick=False)
    before = weekly_total(visit(client, "dashboard", watched.cycle))
    MeetingFactory(pairing=watched.pairing, held_on=ago(2))
    assert weekly_total(visit(client, "dashboard", watched.cycle)) == before, "a minute old"

    time_machine.move_to(timezone.now() + datetime.timedelta(seconds=121), tick=False)
    client.force_login(watched.coordinator)
    page = visit(client, "dashboard", watched.cycle)
    assert weekly_total(page) == before + 1
    counted = formats.time_format(timezone.localtime(), "TIME_FORMAT")
    assert f"Figures counted at {counted}." in visible(page)


@pytest.mark.parametrize("name", ["dashboard", "report"])
def test_count_again_now_counts_at_once_and_shows_the_page_without_asking_again(
    client, watched, name
):
    def mentors(page: str) -> str:
        if name == "report":
            return by_label(section(page, "summary-heading"))["Mentors"][0]
        return by_label(between(page, 'card-title">Registrations</h2>', "</table>"))["Accepted"][0]

    assert mentors(visit(client, name, watched.cycle)) == "1"
    ParticipantFactory(cycle=watched.cycle, role="mentor", status="accepted")
    assert mentors(visit(client, name, watched.cycle)) == "1", "kept for two minutes"
    again = client.get(reverse(name, args=[watched.cycle.pk]), {"fresh": 1})
    assert again.status_code == 302
    assert again["Location"] == reverse(name, args=[watched.cycle.pk])
    assert mentors(visit(client, name, watched.cycle)) == "2"


def test_a_change_the_models_do_not_see_shows_when_the_coordinator_counts_again(client, watched):
    sent = email(watched.coordinator, watched.cycle.program, "queued")
    assert "0 sent" in visible(visit(client, "dashboard", watched.cycle))
    Notification.objects.filter(pk=sent.pk).update(state="sent")
    assert "0 sent" in visible(visit(client, "dashboard", watched.cycle))
    client.get(reverse("dashboard", args=[watched.cycle.pk]), {"fresh": 1})
    assert "1 sent" in visible(visit(client, "dashboard", watched.cycle))


def test_figures_are_kept_for_each_language(client, watched):
    assert "Pairs and groups" in figures_part(visit(client, "dashboard", watched.cycle))
    watched.coordinator.language = "lt"
    watched.coordinator.save(update_fields=["language"])
    with translation.override("lt"):
        in_lithuanian = translation.gettext("Pairs and groups")
    assert in_lithuanian != "Pairs and groups"
    page = visit(client, "dashboard", watched.cycle)
    assert in_lithuanian in page
    assert "Pairs and groups" not in page


def test_coordinators_share_the_figures_and_nothing_of_each_other(
    client, watched, django_assert_num_queries
):
    rename(watched.coordinator, "Aldona", "Kairytė")
    colleague = rename(CoordinatorFactory(), "Baiba", "Ozola")
    watched.cycle.program.coordinators.add(colleague)
    first = visit(client, "dashboard", watched.cycle)
    assert "Aldona" in first

    client.force_login(colleague)
    with django_assert_num_queries(5):
        second = visit(client, "dashboard", watched.cycle)
    assert figures_part(second) == figures_part(first)
    assert "Aldona" not in second and watched.coordinator.email not in second
    assert "Baiba" in second
