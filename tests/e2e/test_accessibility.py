"""The main pages, each as the person who uses it: no serious or critical axe-core findings,
no sideways scrolling on a 375 px phone; and the meeting form filled with the keyboard alone."""

import datetime

import pytest
from django.utils import timezone, translation

from meetings.models import Meeting
from programs.ready_made import add_ready_made_questionnaires
from tests.factories import (
    PASSWORD,
    CoordinatorFactory,
    EventFactory,
    GoalFactory,
    MeetingFactory,
    UserFactory,
    active_pairing,
    member_user,
)

from .conftest import axe_violations, log_in, scrolls_sideways

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# (name, who, address); the address is formatted with the objects of `world`.
PAGES = [
    ("home", "mentor", "/"),
    ("events", "mentor", "/events/"),
    ("event", "mentor", "/events/{event}/"),
    ("my-mentorship", "mentor", "/my/"),
    ("pairing", "mentor", "/pairings/{pairing}/"),
    ("meeting-form", "mentor", "/pairings/{pairing}/meetings/new/"),
    ("registration", "newcomer", "/cycles/{cycle}/register/mentee/"),
    ("coordinate", "coordinator", "/coordinate/"),
    ("dashboard", "coordinator", "/coordinate/cycles/{cycle}/dashboard/"),
    ("registrations", "coordinator", "/coordinate/cycles/{cycle}/registrations/"),
    ("matching", "coordinator", "/coordinate/cycles/{cycle}/matching/"),
    ("report", "coordinator", "/coordinate/cycles/{cycle}/report/"),
]

# The innermost elements that reach past the right edge of the screen, to name the culprit.
WIDER_THAN_SCREEN = """() => {
    const width = document.documentElement.clientWidth;
    const wide = [...document.querySelectorAll('body *')].filter(
        e => e.getBoundingClientRect().right > width + 1 && e.offsetParent !== null);
    return wide.filter(e => !wide.some(o => o !== e && e.contains(o))).slice(0, 5).map(
        e => e.tagName.toLowerCase()
            + (e.className ? '.' + String(e.className).split(' ').join('.') : '')
            + ' "' + e.textContent.trim().slice(0, 40) + '"');
}"""


@pytest.fixture
def world(db):
    """A cycle under way (registration still open) with one pair, a goal, a meeting, an event
    for its members, its coordinator and someone about to register."""
    pairing = active_pairing()
    cycle = pairing.cycle
    with translation.override("en"):
        add_ready_made_questionnaires(cycle)
    coordinator = CoordinatorFactory()
    cycle.program.coordinators.add(coordinator)
    mentor = member_user(pairing, "mentor")
    goal = GoalFactory(pairing=pairing)
    meeting = MeetingFactory(pairing=pairing, logged_by=mentor)
    meeting.goals.add(goal)
    event = EventFactory(program=cycle.program, kind="workshop", audience="members")
    return {
        "pairing": pairing,
        "cycle": cycle,
        "event": event,
        "people": {
            "mentor": mentor,
            "mentee": member_user(pairing, "mentee"),
            "coordinator": coordinator,
            "newcomer": UserFactory(),
        },
    }


def address(world, path):
    return path.format(
        event=world["event"].pk, pairing=world["pairing"].pk, cycle=world["cycle"].pk
    )


@pytest.mark.parametrize(("name", "who", "path"), PAGES, ids=[p[0] for p in PAGES])
def test_page_is_accessible(page, browser, world, name, who, path):
    user = world["people"][who]
    log_in(page, user.email, PASSWORD)
    response = page.goto(page.base + address(world, path))
    assert response.ok, f"{name}: {response.status}"
    assert axe_violations(page) == [], name


@pytest.mark.parametrize(("name", "who", "path"), PAGES, ids=[p[0] for p in PAGES])
def test_page_fits_a_phone(browser, live_server, world, name, who, path):
    context = browser.new_context(viewport={"width": 375, "height": 800}, locale="en-GB")
    try:
        page = context.new_page()
        page.base = live_server.url
        user = world["people"][who]
        log_in(page, user.email, PASSWORD)
        response = page.goto(page.base + address(world, path))
        assert response.ok, f"{name}: {response.status}"
        wide = page.evaluate(WIDER_THAN_SCREEN)
        assert not scrolls_sideways(page), f"{name}: wider than the screen: {wide}"
    finally:
        context.close()


def test_meeting_form_with_the_keyboard_alone(page, world):
    pairing = world["pairing"]
    mentor = world["people"]["mentor"]
    log_in(page, mentor.email, PASSWORD)
    page.goto(page.base + f"/pairings/{pairing.pk}/meetings/new/")
    keyboard = page.keyboard

    def focused():
        return page.evaluate("() => document.activeElement.id")

    for _ in range(80):  # from the top of the page to the first field, as a keyboard user
        keyboard.press("Tab")
        if focused() == "id_held_on":
            break
    assert focused() == "id_held_on"
    held_on = timezone.localdate() - datetime.timedelta(days=2)
    # Debian's Chromium orders the date's parts by its own interface language (en-US: month,
    # day, year), not by the context's locale; each part moves on to the next when full.
    keyboard.type(held_on.strftime("%m%d%Y"))
    assert page.input_value("#id_held_on") == held_on.isoformat()
    for _ in range(5):  # past the date's own parts (and its calendar button)
        keyboard.press("Tab")
        if focused() != "id_held_on":
            break
    assert focused() == "id_duration_minutes"
    keyboard.press("Control+A")
    keyboard.type("45")
    keyboard.press("Tab")
    assert focused() == "id_format"
    keyboard.press("Tab")
    assert focused() == "id_topics_0"
    keyboard.press("Space")
    keyboard.press("Shift+Tab")
    keyboard.press("Shift+Tab")
    assert focused() == "id_duration_minutes"
    with page.expect_navigation():
        keyboard.press("Enter")
    meeting = Meeting.objects.get(pairing=pairing, held_on=held_on)
    assert meeting.duration_minutes == 45
    assert meeting.topics == ["planning"]
    assert meeting.logged_by == mentor
