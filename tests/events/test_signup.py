"""Taking a place at an event, the waitlist that fills freed places, the sign-up deadline, two
people asking for the last place at once, the coordinators' edits in the admin and the
calendar files."""

import datetime
import threading
from html.parser import HTMLParser

import icalendar
import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from events import signup as signups
from events.models import Event, SignUp
from programs.coordinators import grant_coordinator_access
from tests.factories import CycleFactory, EventFactory, ProgramFactory, UserFactory

pytestmark = pytest.mark.django_db

CONFIRMED, WAITLISTED, CANCELLED = (
    SignUp.Status.CONFIRMED,
    SignUp.Status.WAITLISTED,
    SignUp.Status.CANCELLED,
)


def soon(days=7):
    """A time in whole minutes: calendar files and the admin's form drop the seconds'
    fractions, so the event's times survive a round trip through them."""
    moment = timezone.now() + datetime.timedelta(days=days)
    return moment.replace(second=0, microsecond=0)


def event_with(capacity=None, **fields):
    starts_at = fields.pop("starts_at", soon())
    fields.setdefault("ends_at", starts_at + datetime.timedelta(hours=2))
    return EventFactory(capacity=capacity, starts_at=starts_at, **fields)


def sign_up_earlier(event, user, *, minutes_ago):
    """Sign `user` up as if they had asked `minutes_ago`: the waitlist's order is the order
    in which people asked, whoever's row is older."""
    with time_machine.travel(timezone.now() - datetime.timedelta(minutes=minutes_ago), tick=False):
        return signups.sign_up(event, user)


def status_of(event, user):
    return SignUp.objects.get(event=event, user=user).status


def post(client, name, event):
    return client.post(reverse(f"events:{name}", args=[event.pk]), follow=True)


@pytest.fixture
def emails(django_capture_on_commit_callbacks):
    """Run what the code queues after the commit (the emails), and see what was sent."""
    mail.outbox.clear()

    def sent_by(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args, **kwargs)

    return sent_by


# Signing up on the event's page


def test_a_logged_in_person_signs_up_on_the_events_page(client, person):
    event = event_with()
    client.force_login(person)
    page = client.get(event.get_absolute_url()).content.decode()
    assert "Sign up for this event</button>" in page

    response = post(client, "signup", event)

    assert status_of(event, person) == CONFIRMED
    page = response.content.decode()
    assert "You are signed up. The event is in your calendar feed." in page
    assert "Cancel my sign-up</button>" in page
    assert "1 signed up" in page


def test_an_anonymous_sign_up_is_sent_to_the_login_page(client):
    event = event_with()
    response = client.post(reverse("events:signup", args=[event.pk]))
    assert response.status_code == 302
    assert response.url == f"{reverse('account_login')}?next={event.get_absolute_url()}"
    assert not SignUp.objects.exists()


def test_signing_up_twice_says_so_and_keeps_one_row(client, person):
    event = event_with()
    client.force_login(person)
    post(client, "signup", event)

    response = post(client, "signup", event)

    assert "You have already signed up for this event." in response.content.decode()
    assert SignUp.objects.filter(event=event).count() == 1
    assert status_of(event, person) == CONFIRMED


# Capacity and the waitlist


def test_when_the_places_are_taken_the_next_person_joins_the_waitlist(client, person):
    event = event_with(capacity=2)
    for _ in range(2):
        signups.sign_up(event, UserFactory())
    client.force_login(person)
    page = client.get(event.get_absolute_url()).content.decode()
    assert "2 of 2 places taken" in page
    assert "Join the waitlist</button>" in page

    response = post(client, "signup", event)

    assert status_of(event, person) == WAITLISTED
    assert event.signups.confirmed().count() == 2
    page = response.content.decode()
    assert "The event is full: you are on the waitlist." in page
    assert "You are on the waitlist, number 1." in page
    assert "Leave the waitlist</button>" in page


def test_a_waitlisted_person_sees_how_many_are_ahead_of_them(client):
    event = event_with(capacity=1)
    sign_up_earlier(event, UserFactory(), minutes_ago=60)
    first, second = UserFactory(), UserFactory()
    sign_up_earlier(event, second, minutes_ago=10)
    sign_up_earlier(event, first, minutes_ago=20)
    client.force_login(second)
    assert (
        "You are on the waitlist, number 2."
        in client.get(event.get_absolute_url()).content.decode()
    )


def test_a_cancelled_place_goes_to_whoever_joined_the_waitlist_first(client, person, emails):
    event = event_with(capacity=1)
    sign_up_earlier(event, person, minutes_ago=60)
    later, earlier = UserFactory(), UserFactory()
    sign_up_earlier(event, later, minutes_ago=10)  # the older row, but asked later
    sign_up_earlier(event, earlier, minutes_ago=20)
    client.force_login(person)

    response = emails(post, client, "cancel", event)

    page = response.content.decode()
    assert "Your sign-up is cancelled." in page and "Join the waitlist</button>" in page
    assert status_of(event, person) == CANCELLED
    assert status_of(event, earlier) == CONFIRMED
    assert status_of(event, later) == WAITLISTED
    [sent] = mail.outbox
    assert sent.to == [earlier.email]
    assert event.title in sent.subject


def test_the_promoted_person_is_emailed_in_english_with_a_link_to_the_event(emails):
    event = event_with(capacity=1)
    taken = signups.sign_up(event, UserFactory())
    waiting = UserFactory(first_name="Ona")
    signups.sign_up(event, waiting)

    promoted = emails(signups.cancel, taken)

    assert promoted.user == waiting
    [sent] = mail.outbox
    assert sent.to == [waiting.email]
    assert sent.subject == f"A place is yours: {event.title}"
    assert "Hello Ona," in sent.body
    assert event.get_absolute_url() in sent.body


def test_the_promoted_person_is_emailed_in_their_own_language(emails):
    event = event_with(capacity=1)
    taken = signups.sign_up(event, UserFactory())
    waiting = UserFactory(language="lt")
    signups.sign_up(event, waiting)

    emails(signups.cancel, taken)

    [sent] = mail.outbox
    assert sent.extra_headers["Content-Language"] == "lt"
    assert event.title in sent.subject
    assert sent.subject != f"A place is yours: {event.title}", "in Lithuanian, not English"


def test_leaving_the_waitlist_promotes_nobody(client, emails):
    event = event_with(capacity=1)
    holder, leaving, staying = UserFactory(), UserFactory(), UserFactory()
    sign_up_earlier(event, holder, minutes_ago=60)
    sign_up_earlier(event, leaving, minutes_ago=20)
    sign_up_earlier(event, staying, minutes_ago=10)
    client.force_login(leaving)

    response = emails(post, client, "cancel", event)

    assert "Your sign-up is cancelled." in response.content.decode()
    assert status_of(event, leaving) == CANCELLED
    assert status_of(event, holder) == CONFIRMED
    assert status_of(event, staying) == WAITLISTED
    assert mail.outbox == []


def test_signing_up_again_after_cancelling_goes_to_the_back_of_the_waitlist(client, person):
    event = event_with(capacity=1)
    sign_up_earlier(event, person, minutes_ago=60)
    first, second = UserFactory(), UserFactory()
    sign_up_earlier(event, first, minutes_ago=20)
    sign_up_earlier(event, second, minutes_ago=10)
    client.force_login(person)
    post(client, "cancel", event)
    assert status_of(event, first) == CONFIRMED

    response = post(client, "signup", event)

    assert status_of(event, person) == WAITLISTED
    assert SignUp.objects.filter(event=event, user=person).count() == 1
    assert "You are on the waitlist, number 2." in response.content.decode()
    signups.cancel(SignUp.objects.get(event=event, user=first))
    assert status_of(event, second) == CONFIRMED, "the one waiting longer comes first"
    assert status_of(event, person) == WAITLISTED


# The deadline


def test_after_the_sign_up_deadline_signing_up_is_refused(client, person):
    event = event_with(signup_deadline=timezone.now() - datetime.timedelta(minutes=1))
    client.force_login(person)
    page = client.get(event.get_absolute_url()).content.decode()
    assert "The sign-up has closed." in page and "Sign up for this event</button>" not in page

    response = post(client, "signup", event)

    assert "The sign-up for this event has closed." in response.content.decode()
    assert not SignUp.objects.exists()


def test_the_sign_up_closes_at_the_deadline_exactly(person):
    deadline = soon(days=2)
    event = event_with(signup_deadline=deadline)
    with time_machine.travel(deadline - datetime.timedelta(seconds=1), tick=False):
        signups.sign_up(event, person)
    with time_machine.travel(deadline, tick=False), pytest.raises(signups.SignUpError):
        signups.sign_up(event, UserFactory())
    assert list(SignUp.objects.values_list("user", flat=True)) == [person.pk]


def test_without_a_deadline_signing_up_closes_when_the_event_starts(client, person):
    event = event_with(starts_at=timezone.now() - datetime.timedelta(minutes=5))
    client.force_login(person)

    response = post(client, "signup", event)

    assert "The sign-up for this event has closed." in response.content.decode()
    assert not SignUp.objects.exists()


def test_a_place_cannot_be_cancelled_once_the_event_has_started(client, person, emails):
    starts_at = soon(days=1)
    event = event_with(capacity=1, starts_at=starts_at)
    signups.sign_up(event, person)
    waiting = UserFactory()
    signups.sign_up(event, waiting)
    client.force_login(person)

    with time_machine.travel(starts_at + datetime.timedelta(minutes=10), tick=False):
        response = emails(post, client, "cancel", event)

    page = response.content.decode()
    assert "The event has started: a sign-up can no longer be cancelled." in page
    assert status_of(event, person) == CONFIRMED
    assert status_of(event, waiting) == WAITLISTED
    assert mail.outbox == []


# Two people asking for the last places at the same moment


def sign_up_at_once(event, users):
    """Each person asks in their own thread, transaction and database connection, all
    released at the same moment."""
    start = threading.Barrier(len(users))
    failures = []

    def ask(user):
        try:
            connection.ensure_connection()  # connected beforehand, so they ask together
            start.wait()
            signups.sign_up(event, user)
        except Exception as exc:  # whatever it is, the test shows it
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=ask, args=[user]) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    return sorted(SignUp.objects.filter(event=event).values_list("status", flat=True))


@pytest.mark.django_db(transaction=True)
def test_two_people_taking_the_last_place_at_once_never_both_get_it():
    for _ in range(3):  # a race lost without the lock shows up within a few tries
        event = event_with(capacity=1)
        statuses = sign_up_at_once(event, [UserFactory(), UserFactory()])
        assert statuses == [CONFIRMED, WAITLISTED]


@pytest.mark.django_db(transaction=True)
def test_five_people_asking_for_two_places_at_once_leave_three_waiting():
    event = event_with(capacity=2)
    statuses = sign_up_at_once(event, [UserFactory() for _ in range(5)])
    assert statuses == [CONFIRMED] * 2 + [WAITLISTED] * 3


# Coordinators edit the event in the admin


class _FormFields(HTMLParser):
    """What a browser sends with the page's form of the given id: its inputs, selects and
    text areas with their current values."""

    def __init__(self, form_id):
        super().__init__()
        self.form_id, self.inside, self.data = form_id, False, {}
        self.select = self.textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside or ("name" not in attrs and tag != "option"):
            return
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.data[attrs["name"]] = attrs.get("value", "on" if kind == "checkbox" else "")
        elif tag == "select":
            self.select = attrs["name"]
            self.data.setdefault(self.select, "")
        elif tag == "option" and self.select and "selected" in attrs:
            self.data[self.select] = attrs.get("value", "")
        elif tag == "textarea":
            self.textarea = attrs["name"]
            self.data[self.textarea] = ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data):
        if self.textarea:
            self.data[self.textarea] += data.removeprefix("\n")


def change_url(event):
    return reverse("admin:events_event_change", args=[event.pk])


def change_form(client, event) -> dict:
    """The admin's change form of the event as the page fills it in, inlines included."""
    response = client.get(change_url(event))
    assert response.status_code == 200
    parser = _FormFields("event_form")
    parser.feed(response.content.decode())
    assert "signups-TOTAL_FORMS" in parser.data and "materials-TOTAL_FORMS" in parser.data
    return parser.data


def local(moment):
    """A time as the admin's two boxes show it: the date and the time, in local time."""
    moment = timezone.localtime(moment)
    return {"0": moment.strftime("%Y-%m-%d"), "1": moment.strftime("%H:%M:%S")}


@pytest.fixture
def program(coordinator):
    program = ProgramFactory(coordinators=[coordinator])
    grant_coordinator_access(coordinator)
    return program


@pytest.fixture
def admin_client(client, coordinator, program):
    client.force_login(coordinator)
    return client


def test_a_full_event_saved_unchanged_in_the_admin_keeps_everyone_where_they_are(
    admin_client, program, emails
):
    """The form copied from the page is complete: sent back as it is, it saves, and nobody
    moves on or off the waitlist."""
    event = event_with(capacity=1, program=program, description="Bring a laptop.")
    holder, waiting = UserFactory(), UserFactory()
    signups.sign_up(event, holder)
    signups.sign_up(event, waiting)

    response = emails(admin_client.post, change_url(event), change_form(admin_client, event))

    assert response.status_code == 302
    saved = Event.objects.get(pk=event.pk)
    assert (saved.capacity, saved.starts_at, saved.ends_at) == (1, event.starts_at, event.ends_at)
    assert saved.description == "Bring a laptop."
    assert (status_of(event, holder), status_of(event, waiting)) == (CONFIRMED, WAITLISTED)
    assert mail.outbox == []


def test_the_capacity_cannot_go_below_the_places_already_taken(admin_client, program):
    event = event_with(capacity=3, program=program)
    for _ in range(3):
        signups.sign_up(event, UserFactory())
    data = change_form(admin_client, event) | {"capacity": "2"}

    response = admin_client.post(change_url(event), data)

    assert response.status_code == 200
    assert (
        "3 people have a place already: give at least 3 places, or cancel sign-ups first."
        in response.content.decode()
    )
    event.refresh_from_db()
    assert event.capacity == 3
    assert event.signups.confirmed().count() == 3


def test_raising_the_capacity_gives_the_new_places_to_those_waiting_longest(
    admin_client, program, emails
):
    event = event_with(capacity=1, program=program)
    sign_up_earlier(event, UserFactory(), minutes_ago=60)
    third, first, second = UserFactory(), UserFactory(), UserFactory()
    sign_up_earlier(event, third, minutes_ago=10)
    sign_up_earlier(event, first, minutes_ago=30)
    sign_up_earlier(event, second, minutes_ago=20)
    data = change_form(admin_client, event) | {"capacity": "3"}

    response = emails(admin_client.post, change_url(event), data)

    assert response.status_code == 302
    event.refresh_from_db()
    assert event.capacity == 3
    assert (status_of(event, first), status_of(event, second)) == (CONFIRMED, CONFIRMED)
    assert status_of(event, third) == WAITLISTED
    assert sorted(m.to[0] for m in mail.outbox) == sorted([first.email, second.email])
    assert {m.subject for m in mail.outbox} == {f"A place is yours: {event.title}"}


def test_an_event_cannot_end_before_it_starts(admin_client, program):
    event = event_with(program=program)
    before = event.starts_at - datetime.timedelta(hours=1)
    data = change_form(admin_client, event)
    data |= {f"ends_at_{part}": value for part, value in local(before).items()}

    response = admin_client.post(change_url(event), data)

    assert response.status_code == 200
    assert "The event must end after it starts." in response.content.decode()
    event.refresh_from_db()
    assert event.ends_at == event.starts_at + datetime.timedelta(hours=2)


def test_an_event_cannot_take_a_cycle_of_another_programme(admin_client, coordinator, program):
    event = event_with(program=program)
    also_mine = ProgramFactory(coordinators=[coordinator])
    their_cycle, other_cycle = CycleFactory(), CycleFactory(program=also_mine)

    response = admin_client.post(
        change_url(event), change_form(admin_client, event) | {"cycle": str(other_cycle.pk)}
    )
    assert response.status_code == 200
    assert "Choose a cycle of the event&#x27;s programme." in response.content.decode()

    response = admin_client.post(
        change_url(event), change_form(admin_client, event) | {"cycle": str(their_cycle.pk)}
    )
    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    event.refresh_from_db()
    assert event.cycle is None


# Calendars


def test_the_events_calendar_file_has_its_start_in_utc_and_its_title(client):
    event = event_with(title="Feedback that helps")

    response = client.get(reverse("events:ics", args=[event.pk]))

    assert response["Content-Type"] == "text/calendar"
    [entry] = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    start = entry.decoded("dtstart")
    assert start == event.starts_at
    assert start.utcoffset() == datetime.timedelta(0)
    assert str(entry["summary"]) == "Feedback that helps"


def test_the_personal_feed_has_the_events_with_a_place_only(client, person):
    confirmed = event_with(capacity=1, title="Confirmed seminar")
    waitlisted = event_with(capacity=1, title="Waitlisted seminar")
    cancelled = event_with(title="Cancelled seminar")
    signups.sign_up(confirmed, person)
    signups.sign_up(waitlisted, UserFactory())
    assert signups.sign_up(waitlisted, person).status == WAITLISTED
    signups.cancel(signups.sign_up(cancelled, person))
    client.force_login(person)

    client.post(reverse("calendar_renew"))
    person.refresh_from_db()
    client.logout()
    response = client.get(reverse("calendar_feed", args=[person.calendar_token]))

    assert response.status_code == 200
    entries = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    assert [str(entry["summary"]) for entry in entries] == ["Confirmed seminar"]
