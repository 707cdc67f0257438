"""The workspace of a pairing: goals and the activity plan with their history, the meeting log
with its confirmation and edit window, the privacy of the notes, ended pairings and the
queries of the pairing page."""

import datetime
import html
import re
from urllib.parse import urljoin

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse
from django.utils import formats, timezone, translation

from meetings.models import Change, Goal, Meeting, PlanItem
from participants.models import Pairing
from tests.factories import (
    GoalFactory,
    MeetingFactory,
    UserFactory,
    active_pairing,
    member_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def pairing():
    return active_pairing()


@pytest.fixture
def mentor(pairing):
    return member_user(pairing, "mentor")


@pytest.fixture
def mentee(pairing):
    return member_user(pairing, "mentee")


def url(name, pairing, *args):
    return reverse(f"meetings:{name}", args=[pairing.pk, *args])


def text(response) -> str:
    """The page as the reader reads its characters (entities such as &#x27; unescaped)."""
    return html.unescape(response.content.decode())


def days(n) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def short_date(value) -> str:
    with translation.override("en"):
        return formats.date_format(value, "SHORT_DATE_FORMAT")


def long_date(value) -> str:
    with translation.override("en"):
        return formats.date_format(value, "DATE_FORMAT")


def short_datetime(value) -> str:
    with translation.override("en"):
        return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")


def goal_data(**fields):
    data = {
        "title": "Run a seminar with group work",
        "description": "Students discuss in groups of four.",
        "target_date": days(60).isoformat(),
        "status": Goal.Status.NOT_STARTED,
        "progress": 0,
    }
    return {**data, **fields}


def meeting_data(**fields):
    data = {
        "held_on": days(-1).isoformat(),
        "duration_minutes": 60,
        "format": Meeting.Format.ONLINE,
        "topics": ["planning", "assessment"],
        "notes": "We talked about the first lecture.",
        "next_steps": "Draft the syllabus.",
        "next_meeting_at": "",
    }
    return {**data, **fields}


def meeting_form_data(meeting, **fields):
    """What the edit form of `meeting` posts back unchanged, with `fields` changed."""
    data = {
        "held_on": meeting.held_on.isoformat(),
        "duration_minutes": meeting.duration_minutes,
        "format": meeting.format,
        "topics": meeting.topics,
        "notes": meeting.notes,
        "next_steps": meeting.next_steps,
        "next_meeting_at": "",
    }
    return {**data, **fields}


# Goals


def test_a_member_adds_a_goal_the_other_edits_it_and_both_see_who_changed_what(
    client, pairing, mentor, mentee
):
    moment = timezone.now().replace(microsecond=0)
    client.force_login(mentor)
    with time_machine.travel(moment, tick=False):
        response = client.post(url("goal_new", pairing), goal_data())
    assert response.status_code == 302
    goal = Goal.objects.get(pairing=pairing)
    assert (goal.title, goal.status, goal.progress) == (
        "Run a seminar with group work",
        Goal.Status.NOT_STARTED,
        0,
    )
    assert goal.target_date == days(60)

    client.force_login(mentee)
    later = moment + datetime.timedelta(hours=2)
    edit = goal_data(status=Goal.Status.IN_PROGRESS, progress=40, target_date=days(90).isoformat())
    with time_machine.travel(later, tick=False):
        response = client.post(url("goal_edit", pairing, goal.pk), edit)
    assert response.status_code == 302
    goal.refresh_from_db()
    assert (goal.status, goal.progress, goal.target_date) == ("in_progress", 40, days(90))

    added, changed = Change.objects.filter(pairing=pairing).order_by("at")
    assert (added.author, added.at, added.action, added.subject) == (
        mentor,
        moment,
        "created",
        "goal",
    )
    assert added.fields == []
    assert (changed.author, changed.at, changed.action) == (mentee, later, "changed")
    assert changed.fields == [
        {"field": "target_date", "old": days(60).isoformat(), "new": days(90).isoformat()},
        {"field": "status", "old": "not_started", "new": "in_progress"},
        {"field": "progress", "old": 0, "new": 40},
    ]

    page = text(client.get(url("pairing", pairing)))
    history = text(client.get(url("history", pairing)))
    for shown in (page, history):
        assert f"{mentor.get_full_name()} added the goal “Run a seminar with group work”." in shown
        assert (
            f"{mentee.get_full_name()} changed the goal “Run a seminar with group work”:" in shown
        )
        assert f"Target date: {short_date(days(60))} → {short_date(days(90))}" in shown
        assert "Status: Not started → In progress" in shown
        assert "Progress (%): 0 → 40" in shown
        assert short_datetime(later) in shown
    assert ">Run a seminar with group work</h3>" in page
    assert "Progress: 40%" in page
    assert "Students discuss in groups of four." in page


def test_saving_a_goal_unchanged_writes_no_history(client, pairing, mentor):
    goal = GoalFactory(pairing=pairing, title="Unchanged", description="", progress=10)
    client.force_login(mentor)
    data = goal_data(title="Unchanged", description="", target_date="", progress=10)
    assert client.post(url("goal_edit", pairing, goal.pk), data).status_code == 302
    assert not Change.objects.exists()


def test_a_deleted_goal_leaves_the_page_and_its_deletion_stays_in_the_history(
    client, pairing, mentee
):
    goal = GoalFactory(pairing=pairing, title="Grade with a rubric")
    client.force_login(mentee)
    assert client.get(url("pairing", pairing)).context["goals"][0] == goal

    response = client.post(url("goal_delete", pairing, goal.pk), follow=True)

    assert not Goal.objects.exists()
    change = Change.objects.get()
    assert (change.author, change.action, change.title) == (mentee, "deleted", goal.title)
    page = text(response)
    assert "The goal is deleted." in page
    assert "No goals yet." in page
    assert f"{mentee.get_full_name()} deleted the goal “Grade with a rubric”." in page
    history = text(client.get(url("history", pairing)))
    assert f"{mentee.get_full_name()} deleted the goal “Grade with a rubric”." in history


@pytest.mark.parametrize(
    ("progress", "error"),
    [
        (101, "Ensure this value is less than or equal to 100."),
        (-1, "Ensure this value is greater than or equal to 0."),
    ],
)
def test_a_progress_outside_0_to_100_is_refused_and_the_title_kept(
    client, pairing, mentor, progress, error
):
    client.force_login(mentor)
    data = goal_data(title="Keep what I typed", progress=progress)

    response = client.post(url("goal_new", pairing), data)

    assert response.status_code == 200
    assert response.context["form"].errors["progress"] == [error]
    page = text(response)
    assert error in page
    assert 'value="Keep what I typed"' in page
    assert not Goal.objects.exists()
    assert not Change.objects.exists()


def test_editing_a_goal_to_a_progress_over_100_changes_nothing(client, pairing, mentee):
    goal = GoalFactory(pairing=pairing, progress=30)
    client.force_login(mentee)
    response = client.post(url("goal_edit", pairing, goal.pk), goal_data(progress=101))
    assert response.context["form"].errors["progress"]
    goal.refresh_from_db()
    assert goal.progress == 30
    assert not Change.objects.exists()


# The activity plan


def test_plan_items_are_added_done_undone_edited_and_deleted_with_their_history(
    client, pairing, mentor, mentee
):
    goal = GoalFactory(pairing=pairing, title="Use peer feedback")
    client.force_login(mentor)
    data = {"what": "Observe a seminar", "due_on": days(14).isoformat(), "goal": goal.pk}
    assert client.post(url("plan_item_new", pairing), data).status_code == 302
    item = PlanItem.objects.get(pairing=pairing)
    assert (item.what, item.due_on, item.goal, item.done) == (
        "Observe a seminar",
        days(14),
        goal,
        False,
    )
    page = text(client.get(url("pairing", pairing)))
    assert "Observe a seminar" in page
    assert f"by {long_date(days(14))} · Use peer feedback" in page

    client.force_login(mentee)
    client.post(url("plan_item_done", pairing, item.pk), {"done": "1"})
    item.refresh_from_db()
    assert item.done
    client.post(url("plan_item_done", pairing, item.pk), {"done": "1"})  # a second click
    client.post(url("plan_item_done", pairing, item.pk), {"done": "0"})
    item.refresh_from_db()
    assert not item.done
    done, undone = Change.objects.filter(action="changed").order_by("at", "pk")
    assert (done.author, done.fields) == (mentee, [{"field": "done", "old": False, "new": True}])
    assert undone.fields == [{"field": "done", "old": True, "new": False}]

    edit = {"what": "Observe two seminars", "due_on": days(21).isoformat(), "goal": ""}
    assert client.post(url("plan_item_edit", pairing, item.pk), edit).status_code == 302
    item.refresh_from_db()
    assert (item.what, item.due_on, item.goal) == ("Observe two seminars", days(21), None)

    assert client.post(url("plan_item_delete", pairing, item.pk)).status_code == 302
    assert not PlanItem.objects.exists()

    history = text(client.get(url("history", pairing)))
    assert f"{mentor.get_full_name()} added the plan item “Observe a seminar”." in history
    assert f"{mentee.get_full_name()} changed the plan item “Observe a seminar”:" in history
    assert "Done: no → yes" in history
    assert "Done: yes → no" in history
    assert f"{mentee.get_full_name()} changed the plan item “Observe two seminars”:" in history
    assert "What: Observe a seminar → Observe two seminars" in history
    assert f"By when: {short_date(days(14))} → {short_date(days(21))}" in history
    assert "For the goal: Use peer feedback → -" in history
    assert f"{mentee.get_full_name()} deleted the plan item “Observe two seminars”." in history
    assert Change.objects.filter(pairing=pairing, subject="plan_item").count() == 5


def test_a_plan_item_cannot_point_to_a_goal_of_another_pairing(client, pairing, mentor):
    others_goal = GoalFactory(pairing=active_pairing(), title="Someone else's goal")
    client.force_login(mentor)
    data = {"what": "Borrow a goal", "due_on": "", "goal": others_goal.pk}

    response = client.post(url("plan_item_new", pairing), data)

    assert response.status_code == 200
    error = "Select a valid choice. That choice is not one of the available choices."
    assert response.context["form"].errors["goal"] == [error]
    assert error in text(response)
    assert "Someone else's goal" not in text(response)
    assert not PlanItem.objects.exists()
    assert not Change.objects.exists()


def test_a_plan_item_cannot_be_moved_to_a_goal_of_another_pairing(client, pairing, mentee):
    item = PlanItem.objects.create(pairing=pairing, what="Read a chapter")
    others_goal = GoalFactory(pairing=active_pairing())
    client.force_login(mentee)
    edit = {"what": "Read a chapter", "due_on": "", "goal": others_goal.pk}
    response = client.post(url("plan_item_edit", pairing, item.pk), edit)
    assert response.context["form"].errors["goal"]
    item.refresh_from_db()
    assert item.goal is None


# The meeting log


def test_the_new_meeting_form_suggests_the_programmes_meeting_length(client, pairing, mentor):
    program = pairing.cycle.program
    program.meeting_minutes = 45
    program.save()
    client.force_login(mentor)

    response = client.get(url("meeting_new", pairing))

    assert response.context["form"]["duration_minutes"].value() == 45
    assert 'name="duration_minutes" value="45"' in text(response)


@pytest.mark.parametrize("author_role", ["mentee", "mentor"])
def test_a_member_logs_a_meeting_and_the_other_confirms_it(client, pairing, author_role):
    author = member_user(pairing, author_role)
    other = member_user(pairing, "mentor" if author_role == "mentee" else "mentee")
    client.force_login(author)
    data = meeting_data(next_meeting_at=f"{days(10).isoformat()}T15:30")
    response = client.post(url("meeting_new", pairing), data, follow=True)

    meeting = Meeting.objects.get(pairing=pairing)
    assert (meeting.logged_by, meeting.held_on, meeting.duration_minutes) == (
        author,
        days(-1),
        60,
    )
    assert meeting.topics == ["planning", "assessment"]
    assert timezone.localtime(meeting.next_meeting_at).replace(tzinfo=None) == (
        datetime.datetime.combine(days(10), datetime.time(15, 30))
    )
    assert meeting.confirmed_at is None
    page = text(response)
    assert "The meeting is logged. The others in your pairing can confirm it." in page
    assert f"Logged by {author.get_full_name()}" in page
    assert "not confirmed yet" in page
    assert "Confirm this meeting" not in page, "the author does not confirm their own log"

    client.force_login(other)
    assert "Confirm this meeting" in text(client.get(url("pairing", pairing)))
    moment = timezone.now().replace(microsecond=0)
    with time_machine.travel(moment, tick=False):
        response = client.post(url("meeting_confirm", pairing, meeting.pk), follow=True)

    meeting.refresh_from_db()
    assert (meeting.confirmed_by, meeting.confirmed_at) == (other, moment)
    page = text(response)
    assert "Thank you: the meeting is confirmed." in page
    assert f"confirmed by {other.get_full_name()}" in page
    assert "Confirm this meeting" not in page


def test_the_author_cannot_confirm_their_own_meeting(client, pairing, mentor):
    meeting = MeetingFactory(pairing=pairing, logged_by=mentor)
    client.force_login(mentor)

    response = client.post(url("meeting_confirm", pairing, meeting.pk), follow=True)

    meeting.refresh_from_db()
    assert (meeting.confirmed_by, meeting.confirmed_at) == (None, None)
    assert "This meeting needs no confirmation from you." in text(response)


def test_confirming_a_meeting_twice_changes_nothing(client, pairing, mentor, mentee):
    meeting = MeetingFactory(pairing=pairing, logged_by=mentor)
    client.force_login(mentee)
    first = timezone.now().replace(microsecond=0)
    with time_machine.travel(first, tick=False):
        client.post(url("meeting_confirm", pairing, meeting.pk))
    with time_machine.travel(first + datetime.timedelta(hours=1), tick=False):
        response = client.post(url("meeting_confirm", pairing, meeting.pk), follow=True)

    meeting.refresh_from_db()
    assert (meeting.confirmed_by, meeting.confirmed_at) == (mentee, first)
    assert "This meeting needs no confirmation from you." in text(response)


def test_a_meeting_exactly_a_week_ahead_can_be_logged(client, pairing, mentor):
    client.force_login(mentor)
    response = client.post(url("meeting_new", pairing), meeting_data(held_on=days(7).isoformat()))
    assert response.status_code == 302
    assert Meeting.objects.get().held_on == days(7)


@pytest.mark.parametrize(
    ("field", "typed", "error"),
    [
        ("held_on", "before the cycle", "Give a date within the cycle, from {start} to {end}."),
        ("held_on", "after the cycle", "Give a date within the cycle, from {start} to {end}."),
        (
            "held_on",
            "8 days ahead",
            "A meeting can be logged at most a week ahead: log it once it has taken place, and "
            "put the date in “next meeting” of your last log instead.",
        ),
        ("duration_minutes", 0, "Give how long the meeting lasted, in minutes: at least 1."),
        ("duration_minutes", -5, "Give how long the meeting lasted, in minutes: at least 1."),
        ("notes", "x" * 4001, "Ensure this value has at most 4000 characters (it has 4001)."),
        ("next_meeting_at", "before the meeting", "The next meeting must come after this one."),
    ],
)
def test_a_wrong_meeting_log_is_explained_on_its_field_kept_and_not_saved(
    client, field, typed, error
):
    # A cycle that ends in three days, so that a date after it is still within the week ahead.
    pairing = active_pairing(ends_on=days(3)) if typed == "after the cycle" else active_pairing()
    cycle = pairing.cycle
    values = {
        "before the cycle": (cycle.starts_on - datetime.timedelta(days=1)).isoformat(),
        "after the cycle": (cycle.ends_on + datetime.timedelta(days=1)).isoformat(),
        "8 days ahead": days(8).isoformat(),
        "before the meeting": f"{days(-2).isoformat()}T10:00",
    }
    typed = values.get(typed, typed)
    error = error.format(start=short_date(cycle.starts_on), end=short_date(cycle.ends_on))
    client.force_login(member_user(pairing, "mentee"))

    response = client.post(url("meeting_new", pairing), meeting_data(**{field: typed}))

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors == {field: [error]}
    assert form[field].value() == str(typed)
    page = text(response)
    assert error in page
    assert str(typed) in page, "what was typed is shown again"
    assert not Meeting.objects.exists()


# The edit window


@pytest.fixture
def meeting(pairing, mentor):
    return MeetingFactory(pairing=pairing, logged_by=mentor, notes="First notes.")


def link_below(page_url, target) -> str:
    """The link the pairing's page gives to `target`, an address below its own."""
    assert target.startswith(page_url)
    return f'href="{target.removeprefix(page_url)}"'


def test_the_author_edits_a_meeting_for_14_days_and_then_no_more(client, pairing, mentor, meeting):
    page_url, edit_url = url("pairing", pairing), url("meeting_edit", pairing, meeting.pk)
    edit_link = link_below(page_url, edit_url)
    client.force_login(mentor)
    assert edit_link in text(client.get(page_url))
    until = timezone.localtime(meeting.created_at + datetime.timedelta(days=14))
    with translation.override("en"):
        until = formats.date_format(until, "DATETIME_FORMAT")
    assert f"You can change or delete this log until {until}." in text(client.get(edit_url))

    almost = meeting.created_at + datetime.timedelta(days=14, minutes=-1)
    with time_machine.travel(almost, tick=False):
        client.force_login(mentor)  # a session lasts two weeks
        response = client.post(edit_url, meeting_form_data(meeting, notes="Second notes."))
        assert response.status_code == 302
        assert edit_link in text(client.get(page_url))
    meeting.refresh_from_db()
    assert meeting.notes == "Second notes."

    after = meeting.created_at + datetime.timedelta(days=14, minutes=1)
    with time_machine.travel(after, tick=False):
        client.force_login(mentor)
        assert client.get(edit_url).status_code == 403
        response = client.post(edit_url, meeting_form_data(meeting, notes="Too late."))
        assert response.status_code == 403
        assert client.post(url("meeting_delete", pairing, meeting.pk)).status_code == 403
        page = text(client.get(page_url))
    assert edit_link not in page
    assert "Second notes." in page
    meeting.refresh_from_db()
    assert meeting.notes == "Second notes."


def test_the_author_deletes_a_meeting_within_14_days(client, pairing, mentor, meeting):
    client.force_login(mentor)
    with time_machine.travel(meeting.created_at + datetime.timedelta(days=13), tick=False):
        client.force_login(mentor)
        response = client.post(url("meeting_delete", pairing, meeting.pk), follow=True)
    assert not Meeting.objects.exists()
    assert "The meeting is deleted from the log." in text(response)


def test_the_other_member_never_edits_nor_deletes_a_meeting(client, pairing, mentee, meeting):
    edit_url = url("meeting_edit", pairing, meeting.pk)
    client.force_login(mentee)
    page = text(client.get(url("pairing", pairing)))
    assert link_below(url("pairing", pairing), edit_url) not in page
    assert client.get(edit_url).status_code == 403
    response = client.post(edit_url, meeting_form_data(meeting, notes="Not mine to change."))
    assert response.status_code == 403
    assert client.post(url("meeting_delete", pairing, meeting.pk)).status_code == 403
    meeting.refresh_from_db()
    assert meeting.notes == "First notes."


@pytest.mark.parametrize(
    ("changed", "still_confirmed"),
    [("the date", False), ("the length", False), ("the notes and topics", True)],
)
def test_changing_the_date_or_length_of_a_confirmed_meeting_asks_for_confirmation_again(
    client, pairing, mentor, mentee, meeting, changed, still_confirmed
):
    meeting.confirm(mentee)
    change = {
        "the date": {"held_on": days(-2).isoformat()},
        "the length": {"duration_minutes": 90},
        "the notes and topics": {"notes": "Better notes.", "topics": ["assessment"]},
    }[changed]
    client.force_login(mentor)

    response = client.post(
        url("meeting_edit", pairing, meeting.pk), meeting_form_data(meeting, **change)
    )

    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.confirmed_at is not None) is still_confirmed
    assert (meeting.confirmed_by == mentee) is still_confirmed
    client.force_login(mentee)
    page = text(client.get(url("pairing", pairing)))
    assert ("Confirm this meeting" not in page) is still_confirmed


# The privacy of the notes


def test_coordinators_see_that_meetings_took_place_but_not_their_notes(
    client, pairing, mentor, mentee
):
    MeetingFactory(
        pairing=pairing,
        logged_by=mentor,
        held_on=days(-3),
        duration_minutes=75,
        topics=["planning", "assessment"],
        notes="The head of department is hard to work with.",
        next_steps="Rewrite the syllabus by Friday.",
    )
    coordinator = UserFactory()
    pairing.cycle.program.coordinators.add(coordinator)

    client.force_login(coordinator)
    response = client.get(url("pairing", pairing))

    assert response.status_code == 200
    page = text(response)
    assert f"{long_date(days(-3))} · 75 minutes · In person" in page
    assert "Topics: Planning, Assessment" in page
    assert "The head of department is hard to work with." not in page
    assert "Rewrite the syllabus by Friday." not in page
    assert "meeting notes and agreed steps are private and not shown" in page

    for member in (mentor, mentee):
        client.force_login(member)
        page = text(client.get(url("pairing", pairing)))
        assert "The head of department is hard to work with." in page
        assert "Rewrite the syllabus by Friday." in page


def test_meetings_and_changes_of_a_deleted_account_still_show(client, pairing, mentor, mentee):
    MeetingFactory(pairing=pairing, logged_by=mentee, notes="Logged before leaving.")
    goal = GoalFactory(pairing=pairing, title="Shared goal")
    Change.record(pairing=pairing, author=mentee, instance=goal, action="created")
    mentee.delete()  # the meeting and the change keep no author (SET_NULL)

    client.force_login(mentor)
    history = client.get(url("history", pairing))
    assert history.status_code == 200
    assert "someone added the goal “Shared goal”." in text(history)
    page = client.get(url("pairing", pairing))
    assert page.status_code == 200
    assert "Logged before leaving." in text(page)
    assert "Logged by -" in text(page)


# An ended pairing


def test_an_ended_pairing_is_read_only_for_its_members(client, pairing, mentor, mentee, meeting):
    goal = GoalFactory(pairing=pairing, title="Finished goal")
    item = PlanItem.objects.create(pairing=pairing, what="Finished step")
    pairing.status = Pairing.Status.ENDED
    pairing.save()

    client.force_login(mentor)
    page = text(client.get(url("pairing", pairing)))
    assert "This pairing has ended. Its record stays here to read." in page
    assert "Finished goal" in page and "Finished step" in page
    assert "Log a meeting" not in page
    assert url("meeting_new", pairing) not in page
    assert url("goal_new", pairing) not in page
    assert f'href="{url("meeting_edit", pairing, meeting.pk)}"' not in page

    forms = [
        url("goal_new", pairing),
        url("goal_edit", pairing, goal.pk),
        url("plan_item_new", pairing),
        url("plan_item_edit", pairing, item.pk),
        url("meeting_new", pairing),
        url("meeting_edit", pairing, meeting.pk),
    ]
    for form in forms:
        assert client.get(form).status_code == 403, form
    assert client.post(url("meeting_new", pairing), meeting_data()).status_code == 403
    assert client.post(url("goal_new", pairing), goal_data()).status_code == 403
    assert client.post(url("goal_delete", pairing, goal.pk)).status_code == 403
    assert client.post(url("plan_item_done", pairing, item.pk), {"done": "1"}).status_code == 403
    assert client.post(url("plan_item_delete", pairing, item.pk)).status_code == 403
    client.force_login(mentee)
    assert client.post(url("meeting_confirm", pairing, meeting.pk)).status_code == 403

    meeting.refresh_from_db()
    assert meeting.confirmed_at is None
    assert list(Goal.objects.all()) == [goal]
    assert not PlanItem.objects.get().done
    assert not Change.objects.exists()


# Queries


def fill_workspace(pairing, *, goals, meetings, plan_items):
    """Goals; meetings that discussed one or two of them, every other one confirmed by the
    other member; plan items for the goals; and a history of their changes."""
    mentor, mentee = member_user(pairing, "mentor"), member_user(pairing, "mentee")
    made = [GoalFactory(pairing=pairing) for _ in range(goals)]
    for n in range(meetings):
        meeting = MeetingFactory(
            pairing=pairing,
            logged_by=mentor,
            held_on=days(-1 - n),
            next_steps="Next.",
            next_meeting_at=timezone.now() + datetime.timedelta(days=7),
        )
        meeting.goals.set(made[: 1 + n % 2])
        if n % 2:
            meeting.confirm(mentee)
    for n in range(plan_items):
        item = PlanItem.objects.create(
            pairing=pairing, what=f"Step {n}", goal=made[n % goals], due_on=days(n)
        )
        Change.record(pairing=pairing, author=mentee, instance=item, action="created")
    for goal in made:
        Change.record(
            pairing=pairing,
            author=mentor,
            instance=goal,
            action="changed",
            changed=[("progress", 0, 50), ("status", "not_started", "in_progress")],
        )


def test_the_pairing_page_makes_the_same_queries_however_much_is_in_it(
    client, pairing, mentor, django_assert_num_queries
):
    fill_workspace(pairing, goals=2, meetings=2, plan_items=2)
    client.force_login(mentor)
    page = url("pairing", pairing)
    client.get(page)  # warm the session
    # Session, user, the request's savepoint and its release; what the visitor is part of
    # (`programs.reach`); the pairing with its programme and its meetings this month, its
    # members with their users; the page of meetings with authors and confirmers (their count
    # is the pairing's own); the goals; which goals each meeting discussed; the plan items
    # (their goals among those read); the history with its authors. This guards against the
    # N+1s of the lists: each meeting fetching its goals, its author and its confirmer, each
    # plan item its goal and each change its author.
    expected = 12
    with django_assert_num_queries(expected):
        small = client.get(page)
    fill_workspace(pairing, goals=8, meetings=23, plan_items=8)
    with django_assert_num_queries(expected):
        large = client.get(page)
    assert len(small.context["page"]) == 2
    assert len(large.context["page"]) == 20, "25 meetings: the first page of 20"
    assert len(large.context["goals"]) == 10
    assert len(large.context["plan"]) == 10
    assert len(large.context["history"]) == 8


def move_plan_items_between_goals(pairing, count):
    """`count` changes in the history, each moving a plan item from one goal to another."""
    author = member_user(pairing, "mentee")
    first, second = GoalFactory(pairing=pairing), GoalFactory(pairing=pairing)
    for n in range(count):
        item = PlanItem.objects.create(pairing=pairing, what=f"Moved step {n}", goal=second)
        Change.record(
            pairing=pairing,
            author=author,
            instance=item,
            action="changed",
            changed=[("goal", first, second)],
        )
    return first, second


@pytest.mark.parametrize("page_name", ["pairing", "history"])
def test_the_history_names_the_goals_of_plan_items_without_a_query_for_each_change(
    client, pairing, mentor, page_name
):
    first, second = move_plan_items_between_goals(pairing, 1)
    client.force_login(mentor)
    page = url(page_name, pairing)
    assert f"For the goal: {first.title} → {second.title}" in text(client.get(page))
    with CaptureQueriesContext(connection) as one_change:
        client.get(page)
    move_plan_items_between_goals(pairing, 7)
    with CaptureQueriesContext(connection) as eight_changes:
        response = client.get(page)
    assert text(response).count("For the goal: ") == 8
    # The titles of the goals the changes name come with the page's changes, not in two
    # queries for each change (16 more on the pairing page's 8, 100 on a history page of 50).
    assert len(eight_changes) == len(one_change)


def test_each_meeting_names_the_goals_it_discussed_and_each_step_its_goal(client, pairing, mentor):
    first = GoalFactory(pairing=pairing, title="Observe a lecture")
    second = GoalFactory(pairing=pairing, title="Lead a seminar")
    meeting = MeetingFactory(pairing=pairing, logged_by=mentor, held_on=days(-2))
    meeting.goals.set([second, first])
    MeetingFactory(pairing=pairing, logged_by=mentor, held_on=days(-1))
    PlanItem.objects.create(pairing=pairing, what="Book the room", goal=second)
    client.force_login(mentor)

    page = client.get(url("pairing", pairing)).content.decode()

    assert page.count("Goals discussed:") == 1, "only the meeting that discussed some"
    assert "Goals discussed: Observe a lecture; Lead a seminar</p>" in page, "in the goals' order"
    assert re.search(r"Book the room\s*<span[^>]*>Lead a seminar</span>", page)


def test_every_link_below_the_pairings_page_names_one_of_its_own_pages(client, pairing, mentor):
    """Goals, steps and meetings are linked by addresses relative to the page: each resolves
    to a page of this pairing's workspace."""
    goal = GoalFactory(pairing=pairing)
    PlanItem.objects.create(pairing=pairing, what="Book the room", goal=goal)
    MeetingFactory(
        pairing=pairing,
        logged_by=mentor,
        next_meeting_at=timezone.now() + datetime.timedelta(days=1),
    )
    MeetingFactory(pairing=pairing, logged_by=member_user(pairing, "mentee"))
    page_url = url("pairing", pairing)
    client.force_login(mentor)

    page = client.get(page_url).content.decode()

    below = re.findall(r'(?:href|action)="([a-z][^":]*)"', page)
    names = {resolve(urljoin(page_url, link)).url_name for link in below}
    ours = {"goal_edit", "plan_item_edit", "plan_item_done"}
    assert names == ours | {"meeting_edit", "meeting_confirm", "meeting_ics"}
    assert all(resolve(urljoin(page_url, link)).kwargs["pk"] == pairing.pk for link in below)
