"""Pages kept between visits (`mentorship.freshness.kept`): the registrations list, a pairing's
page, a person's home and the events list show the HTML they rendered before until something
in it changes, each only to the viewers it was made for, with forms whose CSRF tokens work."""

import datetime
import html
import re
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from events.models import SignUp
from participants import registration
from participants.models import Participant
from tests.factories import (
    CoordinatorFactory,
    EventFactory,
    GoalFactory,
    MeetingFactory,
    ParticipantFactory,
    UserFactory,
    active_pairing,
    member_user,
)

pytestmark = pytest.mark.django_db


def main(response) -> str:
    """What the page shows between the layout's header and footer, as its reader sees it."""
    assert response.status_code == 200
    content = response.content.decode()
    part = content[content.index('<main id="main"') : content.index("</main>")]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", part)).split())


@pytest.fixture
def world():
    """An active pair (its programme's events open to everyone), its coordinator, a mentee
    waiting for a decision, and a seminar of the programme."""
    coordinator = CoordinatorFactory()
    pairing = active_pairing()
    pairing.cycle.program.coordinators.add(coordinator)
    applicant = ParticipantFactory(cycle=pairing.cycle, role="mentee", status="applied")
    return SimpleNamespace(
        pairing=pairing,
        cycle=pairing.cycle,
        coordinator=coordinator,
        mentor=member_user(pairing, "mentor"),
        mentee=member_user(pairing, "mentee"),
        applicant=applicant,
        event=EventFactory(program=pairing.cycle.program, title="Seminar on feedback"),
    )


def url_of(name, world) -> str:
    return {
        "registrations": reverse("participants:registrations", args=[world.cycle.pk]),
        "pairing": reverse("meetings:pairing", args=[world.pairing.pk]),
        "home": reverse("my_mentorship"),
        "events": reverse("events:list"),
    }[name]


# A second visit reads who is logged in (session, user), what they may see (their reach, the
# cycle or the pairing with its members), inside the request's savepoint and its release:
# nothing of what the page lists.
@pytest.mark.parametrize(
    ("name", "viewer", "queries", "shows"),
    [("registrations", "coordinator", 5, "Mentee Applied"), ("pairing", "mentor", 7,
      "Meeting rhythm"), ("home", "mentor", 5, "Who you work with"), ("events", "mentor", 5,
      "Seminar on feedback")],
)  # fmt: skip
def test_a_second_visit_shows_the_kept_page_without_reading_it_again(
    client, world, django_assert_num_queries, name, viewer, queries, shows
):
    client.force_login(getattr(world, viewer))
    url = url_of(name, world)
    first = main(client.get(url))
    with django_assert_num_queries(queries):
        second = main(client.get(url))
    assert second == first
    assert shows in second


def test_the_registrations_list_shows_a_decision_and_a_new_name_at_once(client, world):
    client.force_login(world.coordinator)
    url = url_of("registrations", world)
    person = world.applicant.user
    assert f"{person.email} Erase data Mentee Applied" in main(client.get(url))

    registration.decide(participants=[world.applicant], status="accepted", by=world.coordinator)
    assert f"{person.email} Erase data Mentee Accepted" in main(client.get(url))

    person.first_name, person.last_name = "Ramunė", "Vaitkutė"
    person.save()
    assert "Ramunė Vaitkutė" in main(client.get(url))


def test_a_pairings_page_shows_a_meeting_logged_and_a_goal_added_at_once(client, world):
    client.force_login(world.mentor)
    url = url_of("pairing", world)
    assert "No meeting logged yet." in main(client.get(url))

    MeetingFactory(pairing=world.pairing, logged_by=world.mentee, notes="We planned the term.")
    page = main(client.get(url))
    assert "We planned the term." in page
    assert "Confirm this meeting" in page

    GoalFactory(pairing=world.pairing, title="Run a seminar with group work")
    assert "Run a seminar with group work" in main(client.get(url))


def test_a_coordinator_is_never_given_a_members_kept_pairing_page(client, world):
    MeetingFactory(pairing=world.pairing, logged_by=world.mentee, notes="Private to the pair.")
    client.force_login(world.mentor)
    assert "Private to the pair." in main(client.get(url_of("pairing", world)))

    client.force_login(world.coordinator)
    page = main(client.get(url_of("pairing", world)))
    assert "Private to the pair." not in page
    assert "You see this pairing as a coordinator" in page


def test_home_and_the_events_list_show_a_sign_up_at_once_and_only_to_the_person(client, world):
    other = Client()
    other.force_login(world.mentee)
    client.force_login(world.mentor)
    assert "Your next events" not in main(client.get(url_of("home", world)))
    assert "You are signed up" not in main(client.get(url_of("events", world)))
    assert "You are signed up" not in main(other.get(url_of("events", world)))

    SignUp.objects.create(event=world.event, user=world.mentor, status=SignUp.Status.CONFIRMED)

    assert "Your next events Seminar on feedback" in main(client.get(url_of("home", world)))
    assert "You are signed up" in main(client.get(url_of("events", world)))
    assert "You are signed up" not in main(other.get(url_of("events", world)))


def test_the_events_list_follows_what_the_person_is_part_of(client, world):
    members_only = EventFactory(
        program=world.cycle.program, audience="members", title="Reflection of the members"
    )
    newcomer = UserFactory()
    client.force_login(newcomer)
    assert members_only.title not in main(client.get(url_of("events", world)))

    joined = ParticipantFactory(cycle=world.cycle, user=newcomer, role="mentee")
    joined.set_status(Participant.Status.ACCEPTED)
    assert members_only.title in main(client.get(url_of("events", world)))


def test_forms_of_a_kept_page_carry_a_working_token_of_their_own(world):
    MeetingFactory(pairing=world.pairing, logged_by=world.mentee)
    meeting = world.pairing.meetings.get()
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world.mentor)
    url = url_of("pairing", world)
    confirm = reverse("meetings:meeting_confirm", args=[world.pairing.pk, meeting.pk])
    form = re.compile(
        rf'action="{confirm}">\s*<input type="hidden" name="csrfmiddlewaretoken" value="(\w+)"'
    )

    tokens = [form.search(browser.get(url).content.decode()).group(1) for _ in range(2)]

    assert tokens[0] != tokens[1], "each response masks the token afresh, kept or not"
    response = browser.post(confirm, {"csrfmiddlewaretoken": tokens[1]})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.confirmed_by == world.mentor


def test_a_kept_list_drops_an_event_the_moment_it_is_over(client, world, time_machine):
    noon = timezone.localtime().replace(hour=12, minute=0, second=0, microsecond=0)
    time_machine.move_to(noon, tick=False)
    EventFactory(
        program=world.cycle.program,
        title="Lunch workshop",
        starts_at=noon - datetime.timedelta(hours=1),
        ends_at=noon + datetime.timedelta(hours=1),
    )
    client.force_login(world.mentor)
    assert "Lunch workshop" in main(client.get(url_of("events", world)))

    time_machine.move_to(noon + datetime.timedelta(minutes=61), tick=False)
    # The same day, nothing saved: only the clock says the workshop is over.
    assert "Lunch workshop" not in main(client.get(url_of("events", world)))
    assert "Lunch workshop" in main(client.get(url_of("events", world) + "?when=past"))


def test_a_change_in_another_pair_leaves_a_pairings_page_and_home_kept(
    client, world, django_assert_num_queries
):
    client.force_login(world.mentor)
    pages = {url_of("pairing", world): 7, url_of("home", world): 5}  # as on a second visit
    for page in pages:
        client.get(page)

    other = active_pairing(world.cycle)
    MeetingFactory(pairing=other, logged_by=member_user(other))
    GoalFactory(pairing=other)

    for page, queries in pages.items():
        with django_assert_num_queries(queries):
            client.get(page)


def test_a_partners_new_name_shows_on_the_pairing_page_and_home_at_once(client, world):
    client.force_login(world.mentor)
    pages = [url_of("pairing", world), url_of("home", world)]
    for page in pages:
        assert world.mentee.get_full_name() in main(client.get(page))

    world.mentee.first_name, world.mentee.last_name = "Eglė", "Žemaitė"
    world.mentee.save()

    for page in pages:
        assert "Eglė Žemaitė" in main(client.get(page))
