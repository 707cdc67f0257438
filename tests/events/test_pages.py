"""The event pages: who sees an event (its audience, its programme, its cycle), the list with
its filters and places, and the coordinators' attendance at the door, exports and messages."""

import csv
import datetime
import html
import io
import re
from types import SimpleNamespace

import openpyxl
import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from events import urls as events_urls
from events.models import Event, Material, Message, SignUp
from participants.models import Participant
from tests.factories import (
    CycleFactory,
    EventFactory,
    ParticipantFactory,
    SignUpFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

NOW = timezone.now()
DAY = datetime.timedelta(days=1)
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

CONFIRMED = SignUp.Status.CONFIRMED
WAITLISTED = SignUp.Status.WAITLISTED
CANCELLED = SignUp.Status.CANCELLED


def accepted(cycle, role):
    """The user of an accepted registration in `cycle`."""
    return ParticipantFactory(cycle=cycle, role=role, status=Participant.Status.ACCEPTED).user


@pytest.fixture
def world(cast):
    """The cast - programme P (New lecturers) with its cycle, its coordinator Rasa Vaitkute and
    its pair's mentor and mentee; programme Q (Pupil to pupil) and its coordinator; the
    outsider and a superuser - with P's cycle of next year, an applicant of P and an accepted
    mentee of Q."""
    w = SimpleNamespace(**vars(cast))
    w.next_cycle = CycleFactory(program=cast.program)
    w.anonymous = None
    w.applicant = ParticipantFactory(cycle=cast.cycle, role=Participant.Role.MENTEE).user
    w.other_mentee = accepted(cast.other_cycle, Participant.Role.MENTEE)
    return w


PEOPLE = [
    "anonymous",
    "outsider",
    "mentor",  # accepted mentor of P
    "mentee",  # accepted mentee of P
    "applicant",  # a mentee of P who applied and is not accepted (yet)
    "other_mentee",  # accepted mentee of Q
    "coordinator",  # coordinates P
    "other_coordinator",  # coordinates Q
    "superuser",
]

# Who sees an event of programme P, or of the whole institution (no programme), by audience:
# they find it on the list and open its page, its calendar file and its materials. The others
# do not find it, and get 404 for all three.
AUDIENCES = {
    ("programme", "everyone"): set(PEOPLE),
    ("programme", "members"): {"mentor", "mentee", "coordinator", "superuser"},
    ("programme", "mentors"): {"mentor", "coordinator", "superuser"},
    ("programme", "mentees"): {"mentee", "coordinator", "superuser"},
    ("programme", "coordinators"): {"coordinator", "superuser"},
    ("institution", "everyone"): set(PEOPLE),
    ("institution", "members"): {
        "mentor",
        "mentee",
        "other_mentee",
        "coordinator",
        "other_coordinator",
        "superuser",
    },
    ("institution", "mentors"): {"mentor", "superuser"},
    ("institution", "mentees"): {"mentee", "other_mentee", "superuser"},
    ("institution", "coordinators"): {"coordinator", "other_coordinator", "superuser"},
}


def log_in(client, user):
    if user is None:
        client.logout()
    else:
        client.force_login(user)


def listed(response) -> dict[str, str]:
    """The events on a list page, in their order: each title with its item's visible text."""
    assert response.status_code == 200
    items = {}
    page = response.content.decode()
    for item in re.findall(r'<a class="list-group-item[^>]*>(.*?)</a>', page, re.S):
        title = re.search(r'<span class="fw-semibold">(.*?)</span>', item).group(1)
        items[html.unescape(title)] = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", item)).split())
    return items


def events_list(client, **filters):
    return listed(client.get(reverse("events:list"), filters))


def assert_login_redirect(response):
    assert response.status_code == 302
    assert response.url.startswith(f"{reverse('account_login')}?next=")


def with_material(event) -> Material:
    material = Material(event=event, title="Slides of the seminar")
    material.file = ContentFile(PDF, name="Slides.pdf")
    material.save()
    return material


def test_every_url_of_the_events_app_is_covered_by_the_events_tests():
    names = {pattern.name for pattern in events_urls.urlpatterns}
    here = {"list", "detail", "ics", "material", *COORDINATOR_PAGES}
    in_test_signup = {"signup", "cancel"}
    assert names == here | in_test_signup


# Audience


@pytest.mark.parametrize(("scope", "audience"), sorted(AUDIENCES))
def test_an_event_and_its_materials_reach_its_audience_and_answer_404_to_everyone_else(
    client, world, scope, audience
):
    event = EventFactory(
        program=world.program if scope == "programme" else None,
        audience=audience,
        title="Assessment that helps learning",
    )
    download = reverse("events:material", args=[event.pk, with_material(event).pk])
    seen = {}
    for who in PEOPLE:
        log_in(client, getattr(world, who))
        page = client.get(event.get_absolute_url())
        material = client.get(download)
        seen[who] = {
            "listed": event.title in events_list(client),
            "page": page.status_code,
            "ics": client.get(reverse("events:ics", args=[event.pk])).status_code,
            "material": material.status_code,
        }
        if material.status_code == 200:
            assert material["Content-Disposition"] == 'attachment; filename="Slides.pdf"'
            assert material["Content-Type"] == "application/pdf"
            assert b"".join(material.streaming_content) == PDF
            assert f'href="{download}"' in page.content.decode(), who
    audience_of = AUDIENCES[(scope, audience)]
    sees = {"listed": True, "page": 200, "ics": 200, "material": 200}
    refused = {"listed": False, "page": 404, "ics": 404, "material": 404}
    assert seen == {who: sees if who in audience_of else refused for who in PEOPLE}


@pytest.mark.parametrize(
    ("audience", "reached"),
    [
        ("members", {"mentor", "mentee", "coordinator", "superuser"}),
        ("mentors", {"mentor", "coordinator", "superuser"}),
    ],
)
def test_an_event_of_one_cycle_reaches_only_that_cycles_accepted_participants(
    client, world, audience, reached
):
    world.next_year_mentee = accepted(world.next_cycle, Participant.Role.MENTEE)
    world.next_year_mentor = accepted(world.next_cycle, Participant.Role.MENTOR)
    event = EventFactory(program=world.program, cycle=world.cycle, audience=audience)
    seen = {}
    for who in [*PEOPLE, "next_year_mentee", "next_year_mentor"]:
        log_in(client, getattr(world, who))
        seen[who] = (
            event.title in events_list(client),
            client.get(event.get_absolute_url()).status_code,
        )
    assert {who for who, answer in seen.items() if answer == (True, 200)} == reached
    assert {who for who, answer in seen.items() if answer == (False, 404)} == set(seen) - reached


# The list


def test_the_list_shows_upcoming_events_soonest_first_and_past_ones_latest_first(client, world):
    EventFactory(title="Opening event", starts_at=NOW - 30 * DAY, ends_at=NOW - 30 * DAY + DAY)
    EventFactory(title="Mid-cycle reflection", starts_at=NOW - 2 * DAY, ends_at=NOW - DAY)
    EventFactory(title="Under way", starts_at=NOW - DAY, ends_at=NOW + DAY)
    EventFactory(title="Guest talk", starts_at=NOW + 10 * DAY, ends_at=NOW + 10 * DAY + DAY)
    EventFactory(title="Workshop on feedback", starts_at=NOW + 3 * DAY, ends_at=NOW + 4 * DAY)

    assert list(events_list(client)) == ["Under way", "Workshop on feedback", "Guest talk"]
    assert list(events_list(client, when="upcoming")) == list(events_list(client))
    assert list(events_list(client, when="past")) == ["Mid-cycle reflection", "Opening event"]
    assert list(events_list(client, when="someday")) == list(events_list(client))


def test_the_list_filters_by_programme_and_by_kind(client, world):
    EventFactory(title="P seminar", program=world.program, kind="seminar")
    EventFactory(title="P workshop", program=world.program, kind="workshop")
    EventFactory(title="Q workshop", program=world.other_program, kind="workshop")
    EventFactory(title="Institution workshop", program=None, kind="workshop")

    assert set(events_list(client, programme="new-lecturers")) == {"P seminar", "P workshop"}
    assert set(events_list(client, kind="workshop")) == {
        "P workshop",
        "Q workshop",
        "Institution workshop",
    }
    assert set(events_list(client, programme="pupil-to-pupil", kind="workshop")) == {"Q workshop"}
    assert events_list(client, programme="no-such-programme") == {}


def test_an_unknown_kind_is_ignored_and_the_whole_list_is_shown(client, world):
    EventFactory(title="P seminar", kind="seminar")
    EventFactory(title="P workshop", kind="workshop")

    response = client.get(reverse("events:list"), {"kind": "karaoke"})

    assert set(listed(response)) == {"P seminar", "P workshop"}


def test_the_list_shows_the_persons_own_place_and_the_places_taken(client, world):
    me, others = world.mentee, [UserFactory() for _ in range(3)]
    mine = EventFactory(title="Mine", capacity=2)
    waiting = EventFactory(title="Waiting", capacity=1)
    given_back = EventFactory(title="Given back")
    SignUp.objects.bulk_create(
        [
            SignUp(event=mine, user=me, status=CONFIRMED),
            SignUp(event=waiting, user=others[0], status=CONFIRMED),
            SignUp(event=waiting, user=me, status=WAITLISTED),
            SignUp(event=given_back, user=me, status=CANCELLED),
            SignUp(event=given_back, user=others[1], status=CONFIRMED),
            SignUp(event=given_back, user=others[2], status=CONFIRMED),
        ]
    )
    client.force_login(me)

    items = events_list(client)

    assert "You are signed up" in items["Mine"]
    assert "You are on the waitlist" not in items["Mine"]
    assert "1 of 2 places taken" in items["Mine"]
    assert "waiting" not in items["Mine"]
    assert "You are on the waitlist" in items["Waiting"]
    assert "You are signed up" not in items["Waiting"]
    assert "1 of 1 place taken · 1 waiting" in items["Waiting"]
    assert "You are" not in items["Given back"]
    assert "2 signed up" in items["Given back"]
    client.logout()
    assert "You are" not in " ".join(events_list(client).values())


# One query fetches the page's events with their programme (select_related), their places
# (`with_places`: taken, waiting) and the person's own sign-up (the `my_status` subquery): without
# them the list asks once per event for `event.program.name`, once or twice for "1 of 2 places
# taken · 1 waiting" and once for the "You are signed up" badge. The other seven: the session,
# the user, the request's savepoint and its release (ATOMIC_REQUESTS), what the person is part
# of (`programs.reach`, which the visibility rule starts from), the paginator's count and the
# programmes of the filter.
LIST_QUERIES = 8


@pytest.mark.parametrize("size", [3, 15])
def test_the_list_makes_the_same_number_of_queries_for_3_and_15_events(
    client, world, django_assert_num_queries, size
):
    me = world.mentee
    others = [UserFactory() for _ in range(2)]
    signups = []
    for n in range(size):
        event = EventFactory(
            program=[world.program, None][n % 2],
            audience=["everyone", "members", "mentees"][n % 3],
            title=f"Event number {n:02d}",
            starts_at=NOW + (n + 1) * DAY,
            capacity=2,
        )
        signups += [
            SignUp(event=event, user=others[0], status=CONFIRMED),
            SignUp(event=event, user=others[1], status=CONFIRMED),
            SignUp(event=event, user=me, status=[WAITLISTED, CANCELLED][n % 2]),
        ]
    SignUp.objects.bulk_create(signups)
    client.force_login(me)

    with django_assert_num_queries(LIST_QUERIES):
        items = events_list(client)

    assert len(items) == size
    assert all("2 of 2 places taken" in text for text in items.values())
    waiting = [title for title, text in items.items() if "You are on the waitlist" in text]
    assert len(waiting) == (size + 1) // 2


# The coordinators' pages


@pytest.fixture
def door(world):
    """An event of P for everyone, with two places taken, one person waiting and one who
    cancelled."""
    event = EventFactory(program=world.program, title="Reflection in the middle", capacity=2)
    signed_up_at = datetime.datetime(2026, 3, 2, 9, 30, tzinfo=timezone.get_current_timezone())
    people = {
        "ann": UserFactory(first_name="Ann", last_name="Able"),
        "ben": UserFactory(first_name="Ben", last_name="Brown", language="ru"),
        "cora": UserFactory(first_name="Cora", last_name="Cole"),
        "dan": UserFactory(first_name="Dan", last_name="Drew"),
    }
    statuses = {"ann": CONFIRMED, "ben": CONFIRMED, "cora": WAITLISTED, "dan": CANCELLED}
    signups = {
        name: SignUpFactory(
            event=event, user=user, status=statuses[name], signed_up_at=signed_up_at
        )
        for name, user in people.items()
    }
    return SimpleNamespace(event=event, people=people, signups=signups)


# Each coordinators' page: the method, its URL's arguments and what a coordinator posts.
COORDINATOR_PAGES = {
    "attendance": [("get", lambda d: [d.event.pk], None)],
    "mark_attendance": [
        ("post", lambda d: [d.event.pk, d.signups["ann"].pk], {"attended": "yes"}),
    ],
    "export": [
        ("get", lambda d: [d.event.pk, "xlsx"], None),
        ("get", lambda d: [d.event.pk, "csv"], None),
    ],
    "message": [
        ("get", lambda d: [d.event.pk], None),
        ("post", lambda d: [d.event.pk], {"subject": "Room change", "body": "Room 204."}),
    ],
}


def coordinator_requests(door):
    for name, requests in COORDINATOR_PAGES.items():
        for method, args, data in requests:
            yield name, method, reverse(f"events:{name}", args=args(door)), data


def written():
    """What the coordinators' pages write, to compare before and after."""
    return {
        "signups": list(SignUp.objects.order_by("pk").values()),
        "messages": list(Message.objects.order_by("pk").values()),
    }


@pytest.fixture
def emails(django_capture_on_commit_callbacks):
    """Run what the code queues after the commit (the emails), and see what was sent."""
    mail.outbox.clear()

    def sent_by(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args, **kwargs)

    return sent_by


def test_the_coordinators_pages_answer_404_to_all_but_the_programmes_coordinators(
    client, world, door, emails
):
    door.people["ann"].participations.create(
        cycle=world.cycle, role=Participant.Role.MENTEE, status=Participant.Status.ACCEPTED
    )
    before = written()
    for who in ["outsider", "mentor", "other_coordinator"]:
        client.force_login(getattr(world, who))
        for name, method, page, data in coordinator_requests(door):
            response = emails(getattr(client, method), page, data or {})
            assert response.status_code == 404, (who, name, method)
    for person in ["ann", "cora"]:  # Ann has a place and is a mentee of P; Cora waits
        client.force_login(door.people[person])
        for name, method, page, data in coordinator_requests(door):
            response = emails(getattr(client, method), page, data or {})
            assert response.status_code == 404, (person, name, method)
    client.logout()
    for _name, method, page, data in coordinator_requests(door):
        assert_login_redirect(emails(getattr(client, method), page, data or {}))
    assert written() == before
    assert not mail.outbox


@pytest.mark.parametrize("who", ["coordinator", "superuser"])
def test_the_programmes_coordinator_and_a_superuser_use_the_coordinators_pages(
    client, world, door, emails, who
):
    client.force_login(getattr(world, who))
    for name, method, page, data in coordinator_requests(door):
        response = emails(getattr(client, method), page, data or {})
        assert response.status_code == (200 if method == "get" else 302), (name, method)
    assert SignUp.objects.get(pk=door.signups["ann"].pk).attended is True
    assert Message.objects.filter(event=door.event).count() == 1
    assert len(mail.outbox) == 3


def test_the_coordinator_of_another_programme_cannot_mark_a_sign_up_through_their_own_event(
    client, world, door
):
    theirs = EventFactory(program=world.other_program)
    client.force_login(world.other_coordinator)

    response = client.post(
        reverse("events:mark_attendance", args=[theirs.pk, door.signups["ann"].pk]),
        {"attended": "yes"},
    )

    assert response.status_code == 404
    assert SignUp.objects.get(pk=door.signups["ann"].pk).attended is None


def test_an_event_of_the_whole_institution_is_managed_by_superusers_only(client, world):
    event = EventFactory(program=None, audience="everyone")
    pages = [
        reverse("events:attendance", args=[event.pk]),
        reverse("events:export", args=[event.pk, "csv"]),
        reverse("events:message", args=[event.pk]),
    ]
    for who, status in [("coordinator", 404), ("other_coordinator", 404), ("superuser", 200)]:
        client.force_login(getattr(world, who))
        assert [client.get(page).status_code for page in pages] == [status] * 3, who


def test_the_attendance_page_lists_the_people_signed_up_and_waiting(client, world, door):
    client.force_login(world.coordinator)

    response = client.get(reverse("events:attendance", args=[door.event.pk]))

    page = response.content.decode()
    assert "2 of 2 places taken · 1 waiting" in page
    for name in ["Ann Able", "Ben Brown", "Cora Cole"]:
        assert name in page
    assert "Dan Drew" not in page, "cancelled"
    assert page.index("Ann Able") < page.index("Ben Brown") < page.index("Cora Cole")
    assert page.count('value="yes"') == 2, "only those with a place are marked at the door"
    cora = re.search(r'<li[^>]*id="signup-{}".*?</li>'.format(door.signups["cora"].pk), page, re.S)
    assert "On the waitlist" in cora.group(0)
    assert "Present" not in cora.group(0)


@pytest.mark.parametrize(("pressed", "attended"), [("yes", True), ("no", False)])
def test_marking_present_or_absent_is_saved_and_goes_back_to_the_attendance(
    client, world, door, pressed, attended
):
    client.force_login(world.coordinator)
    ann = door.signups["ann"]

    response = client.post(
        reverse("events:mark_attendance", args=[door.event.pk, ann.pk]), {"attended": pressed}
    )

    assert response.status_code == 302
    assert response.url == reverse("events:attendance", args=[door.event.pk])
    ann.refresh_from_db()
    assert ann.attended is attended
    door.signups["ben"].refresh_from_db()
    assert door.signups["ben"].attended is None


@pytest.mark.parametrize(
    ("pressed", "attended", "other"), [("yes", True, "no"), ("no", False, "yes")]
)
def test_marking_with_htmx_saves_and_answers_only_the_row_with_the_pressed_button(
    client, world, door, pressed, attended, other
):
    client.force_login(world.coordinator)
    ann = door.signups["ann"]

    response = client.post(
        reverse("events:mark_attendance", args=[door.event.pk, ann.pk]),
        {"attended": pressed},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200
    row = response.content.decode().strip()
    assert row.startswith('<li class="list-group-item') and row.endswith("</li>")
    assert f'id="signup-{ann.pk}"' in row
    assert "Ann Able" in row and "Ben Brown" not in row
    assert "<html" not in row
    assert f'value="{pressed}" aria-pressed="true"' in row
    assert f'value="{other}" aria-pressed="false"' in row
    ann.refresh_from_db()
    assert ann.attended is attended


def test_a_person_on_the_waitlist_or_an_unknown_answer_cannot_be_marked(client, world, door):
    client.force_login(world.coordinator)
    mark = reverse("events:mark_attendance", args=[door.event.pk, door.signups["cora"].pk])
    assert client.post(mark, {"attended": "yes"}).status_code == 404
    mark = reverse("events:mark_attendance", args=[door.event.pk, door.signups["ann"].pk])
    assert client.post(mark, {"attended": "maybe"}).status_code == 404
    assert set(SignUp.objects.values_list("attended", flat=True)) == {None}


EXPORT_HEADER = ["Last name", "First name", "Email", "Status", "Signed up", "Attended"]


def export_rows(door):
    """The rows the exports should hold: Ann came, Ben did not, Cora waits."""
    ann, ben, cora = (door.people[name] for name in ["ann", "ben", "cora"])
    return [
        ["Able", "Ann", ann.email, "Signed up", "2026-03-02 09:30", "Yes"],
        ["Brown", "Ben", ben.email, "Signed up", "2026-03-02 09:30", "No"],
        ["Cole", "Cora", cora.email, "On the waitlist", "2026-03-02 09:30", ""],
    ]


@pytest.fixture
def marked(door):
    SignUp.objects.filter(pk=door.signups["ann"].pk).update(attended=True)
    SignUp.objects.filter(pk=door.signups["ben"].pk).update(attended=False)
    return door


def test_the_xlsx_export_has_a_header_and_a_row_per_current_sign_up(client, world, marked):
    client.force_login(world.coordinator)

    response = client.get(reverse("events:export", args=[marked.event.pk, "xlsx"]))

    assert response.status_code == 200
    expected_name = f"{marked.event.starts_at:%Y-%m-%d}-reflection-in-the-middle.xlsx"
    assert response["Content-Disposition"] == f'attachment; filename="{expected_name}"'
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [[cell if cell is not None else "" for cell in row] for row in sheet.values]
    assert rows == [EXPORT_HEADER, *export_rows(marked)]


def test_the_csv_export_starts_with_a_bom_and_has_the_same_rows(client, world, marked):
    client.force_login(world.coordinator)

    response = client.get(reverse("events:export", args=[marked.event.pk, "csv"]))

    assert response.status_code == 200
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == [EXPORT_HEADER, *export_rows(marked)]


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_a_name_that_looks_like_a_formula_is_exported_as_text(client, world, door, fmt):
    ann = door.people["ann"]
    ann.last_name = '=HYPERLINK("http://evil.example","Able")'
    ann.save(update_fields=["last_name"])
    client.force_login(world.coordinator)

    response = client.get(reverse("events:export", args=[door.event.pk, fmt]))

    if fmt == "xlsx":
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        rows = [list(row) for row in sheet.values]
    else:
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][0] == """'=HYPERLINK("http://evil.example","Able")"""


def test_an_unknown_export_format_answers_404(client, world, door):
    client.force_login(world.coordinator)
    for fmt in ["pdf", "XLSX", "xls"]:
        response = client.get(reverse("events:export", args=[door.event.pk, fmt]))
        assert response.status_code == 404, fmt


# Messages

FRAMING = "%(who)s, who coordinates “%(title)s”, writes to everyone signed up:"


def send_message(client, event, emails, **data):
    return emails(client.post, reverse("events:message", args=[event.pk]), data)


def test_each_person_signed_up_or_waiting_gets_the_message_once(client, world, door, emails):
    text = "We meet in room 204.\nBring a laptop."
    client.force_login(world.coordinator)

    response = send_message(client, door.event, emails, subject="Room change", body=text)

    assert response.status_code == 302
    sent = Message.objects.get(event=door.event)
    assert (sent.subject, sent.sent_by, sent.recipients) == ("Room change", world.coordinator, 3)
    by_address = {email.to[0]: email for email in mail.outbox}
    assert len(mail.outbox) == len(by_address) == 3
    people = door.people
    assert set(by_address) == {people[name].email for name in ["ann", "ben", "cora"]}
    framing = FRAMING % {"who": "Rasa Vaitkute", "title": door.event.title}
    for name in ["ann", "cora"]:
        email = by_address[people[name].email]
        assert email.subject == "Reflection in the middle: Room change"
        assert text in email.body
        assert framing in email.body
        assert f"Hello {people[name].first_name}," in email.body
        html_part, _ = email.alternatives[0]
        assert "We meet in room 204.<br>Bring a laptop." in html_part
    ben = by_address[people["ben"].email]
    assert door.event.title in ben.subject and "Room change" in ben.subject
    assert text in ben.body
    page = client.get(response.url).content.decode()
    assert "The message is on its way to 3 people." in page


def test_a_russian_reader_gets_the_framing_of_the_message_in_russian(client, world, door, emails):
    client.force_login(world.coordinator)

    send_message(client, door.event, emails, subject="Room change", body="We meet in room 204.")

    ben = next(email for email in mail.outbox if email.to == [door.people["ben"].email])
    assert ben.extra_headers["Content-Language"] == "ru"
    with translation.override("ru"):
        hello = gettext("Hello %(name)s,") % {"name": "Ben"}
        framing = gettext(FRAMING)
    assert hello != "Hello Ben,", "the Russian catalogue is compiled"
    assert hello in ben.body
    assert framing != FRAMING, "the Russian catalogue translates the message's framing"
    assert framing % {"who": "Rasa Vaitkute", "title": door.event.title} in ben.body


def test_the_subject_is_sent_as_the_coordinator_typed_it(client, world, door, emails):
    door.event.title = "Teachers' reflection"
    door.event.save(update_fields=["title"])
    client.force_login(world.coordinator)

    send_message(client, door.event, emails, subject="Room & time", body="Room 204 at 10:00.")

    ann = next(email for email in mail.outbox if email.to == [door.people["ann"].email])
    assert ann.subject == "Teachers' reflection: Room & time"


@pytest.mark.parametrize(
    "data",
    [{"subject": "", "body": "Typed message text"}, {"subject": "Typed subject", "body": ""}],
)
def test_a_message_without_a_subject_or_a_text_is_refused_and_keeps_what_was_typed(
    client, world, door, emails, data
):
    client.force_login(world.coordinator)

    response = send_message(client, door.event, emails, **data)

    assert response.status_code == 200
    page = response.content.decode()
    assert "This field is required." in page
    typed = data["subject"] or data["body"]
    assert typed in page
    assert not Message.objects.exists()
    assert not mail.outbox


def test_a_message_with_nobody_signed_up_is_refused_and_nothing_is_stored(
    client, world, door, emails
):
    SignUp.objects.filter(event=door.event).update(status=CANCELLED)
    client.force_login(world.coordinator)

    response = send_message(client, door.event, emails, subject="Room change", body="Room 204.")

    assert response.status_code == 200
    page = response.content.decode()
    assert "Nobody is signed up yet: there is no one to write to." in page
    assert "Room 204." in page
    assert not Message.objects.exists()
    assert not mail.outbox


def test_an_event_for_everyone_of_a_programme_that_is_not_public_is_for_its_members_only(
    client,
):
    event = EventFactory(program__is_public=False, audience="everyone", title="Closed seminar")
    assert client.get(event.get_absolute_url()).status_code == 404
    assert "Closed seminar" not in client.get(reverse("events:list")).content.decode()
    client.force_login(UserFactory())
    assert client.get(event.get_absolute_url()).status_code == 404
    member = ParticipantFactory(cycle__program=event.program, status="accepted")
    client.force_login(member.user)
    assert client.get(event.get_absolute_url()).status_code == 200


# An event's dates, as every page and email gives them


def test_an_event_of_one_day_gives_its_hours_and_one_over_midnight_both_moments():
    march = datetime.datetime(2026, 3, 11, tzinfo=datetime.UTC)
    hours = datetime.timedelta(hours=1)
    afternoon = Event(starts_at=march + 8 * hours, ends_at=march + 10 * hours)
    # 23:30 to 00:30 in Vilnius (UTC+2), on the same day in UTC.
    late = Event(starts_at=march + 21.5 * hours, ends_at=march + 22.5 * hours)
    with translation.override("en"), timezone.override("Europe/Vilnius"):
        assert afternoon.when() == "March 11, 2026, 10 a.m.\N{EN DASH}noon"
        assert late.when() == "March 11, 2026, 11:30 p.m. \N{EN DASH} March 12, 2026, 12:30 a.m."


def test_each_listed_event_links_to_its_page_below_the_list(client):
    event = EventFactory(title="Linked seminar")
    page = client.get(reverse("events:list")).content.decode()
    assert f'href="{event.pk}/"' in page
    assert reverse("events:list") + f"{event.pk}/" == event.get_absolute_url()
