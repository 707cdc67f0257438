"""Every page and every email, in each language of the site.

Pages: every URL with an object in the access matrix, asked by its rightful person, and every
page without one, each in English, Lithuanian, Latvian and Russian (a logged-in person's saved
language; a visitor's language cookie). Each is served without a template error, names its
language in `<html lang>`, and in a translated language shows no English in its menu and a
title that is not the English one.

Emails: every kind the product sends, caused by the product's own actions and hourly jobs,
to a recipient of each language. Each names its language in the Content-Language header and
in `<html lang>`, has a subject and both bodies, and in a translated language is not the
English email."""

import datetime
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser

import pytest
from allauth.account.models import EmailConfirmationHMAC
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from events import signup as event_signup
from meetings import work
from meetings.forms import HelpRequestForm
from participants.models import Pairing, Participant
from participants.notifications import ledger as notifications
from participants.notifications.emails import welcome_email
from participants.pairings import services as pairing
from participants.registrations import services as registration
from programs.models import Cycle, Questionnaire
from tests import test_access_matrix as matrix
from tests.factories import (
    CoordinatorFactory,
    CycleFactory,
    EventFactory,
    PairingFactory,
    ParticipantFactory,
    ProgramFactory,
    QuestionFactory,
    UserFactory,
    registration_questionnaire,
)

pytestmark = pytest.mark.django_db

ENGLISH = settings.LANGUAGE_CODE
LANGUAGES = [code for code, _name in settings.LANGUAGES]
TRANSLATED = [code for code in LANGUAGES if code != ENGLISH]
DAY = datetime.timedelta(days=1)

# The access matrix's world (module-scoped there, and here: built once for this module).
world = matrix.world


# Pages


@dataclass(frozen=True)
class Page:
    """A page the matrix does not list: who asks for it, what they get, its arguments."""

    who: str
    served: int = 200
    kwargs: Callable = lambda w: {}


# What the product's own pages and actions create, never the administration site.
ADDED_ELSEWHERE = {
    "participants_participant",
    "participants_response",
    "participants_pairing",
    "participants_notification",
    "participants_auditentry",
    "meetings_meeting",
    "meetings_helprequest",
}


def _admin_pages() -> dict[str, Page]:
    """Each model's list and "add" page in the administration site, for who may change it
    (an "add" refused, for what is added elsewhere: the refusal is a page too)."""
    pages = {}
    for model, (_attribute, changer, deleter) in matrix.ADMIN_OBJECTS.items():
        pages[f"admin:{model}_changelist"] = Page(changer)
        pages[f"admin:{model}_add"] = Page(deleter, 403 if model in ADDED_ELSEWHERE else 200)
    return pages


PAGES: dict[str, Page] = {
    "home": Page("mentor"),
    "my_mentorship": Page("mentor"),
    "my_data": Page("mentor"),
    "my_data_json": Page("mentor"),
    "erase_account": Page("mentor"),
    "coordinate": Page("coordinator"),
    "profile": Page("mentor"),
    "account_login": Page("anonymous"),
    "account_logout": Page("mentor"),
    "account_inactive": Page("anonymous"),
    "account_signup": Page("anonymous"),
    "account_reauthenticate": Page("mentor"),
    "account_email": Page("mentor"),
    "account_email_verification_sent": Page("anonymous"),
    "account_change_password": Page("mentor"),
    "account_set_password": Page("mentor", 302),  # they have one: to its change
    "account_reset_password": Page("anonymous"),
    "account_reset_password_done": Page("anonymous"),
    "account_reset_password_from_key_done": Page("anonymous"),
    "account_confirm_email": Page(
        "anonymous", kwargs=lambda w: {"key": EmailConfirmationHMAC(w.email_address).key}
    ),
    "mfa_index": Page("mentor"),
    "mfa_reauthenticate": Page("mentor"),
    # Both send a person not asked for their password just now to reauthenticate, above.
    "mfa_activate_totp": Page("coordinator", 302),
    "mfa_view_recovery_codes": Page("mentor", 302),
    "programs:list": Page("mentor"),
    "programs:detail": Page("mentor", kwargs=lambda w: {"slug": w.program.slug}),
    "participants:register": Page(
        "other_participant", kwargs=lambda w: {"cycle_pk": w.cycle.pk, "role": "mentee"}
    ),
    "participants:reminders": Page("mentor"),
    "participants:notifications_stop": Page(
        "anonymous",
        kwargs=lambda w: {
            "token": notifications.stop_url(w.mentor, "meeting_reminder").rsplit("/", 2)[-2]
        },
    ),
    "participants:emails": Page("coordinator"),
    "meetings:help": Page("mentor"),
    "meetings:coordinate_help": Page("coordinator"),
    "events:list": Page("mentor"),
    "admin:index": Page("coordinator"),
    "admin:app_list": Page("coordinator", kwargs=lambda w: {"app_label": "events"}),
    "admin:password_change": Page("superuser"),
    "admin:password_change_done": Page("superuser"),
    **_admin_pages(),
}

# Pages whose title is only the name of their object (an event, a programme, a questionnaire)
# or of the site: the same in every language.
TITLED_BY_THEIR_OBJECT = {
    "home",
    "events:detail",
    "programs:detail",
    "meetings:pairing",
    "participants:registration_edit",
    "participants:self_assessment",
    "participants:register",
}

# The English of the site's menu and of the administration site's top bar, none of which may
# be left in a translated page.
SITE_MENU = ["Home", "Events", "My mentorship", "Coordinate", "Emails", "Help requests",
             "Log in", "Sign up", "Log out", "My data", "Reminders"]  # fmt: skip
ADMIN_BAR = ["Welcome,", "View site", "Change password", "Log out"]
# The administration pages of the project's own models, whose field labels and column headers
# are the project's to translate (Django's and allauth's own pages are theirs).
OWN_ADMIN_PAGES = tuple(
    f"admin:{app}_" for app in ("programs", "participants", "meetings", "events")
)


class Outline(HTMLParser):
    """The texts of a page's <title>, of its site menu (the first <nav>), of the
    administration site's top bar (#user-tools), and of its field labels and column headers
    (outside any <nav>, such as the administration site's list of models)."""

    def __init__(self):
        super().__init__()
        self.title, self.menu, self.admin_bar, self.labels = [], [], [], []
        self._in_title = False
        self._nav_depth = self._bar_depth = self._label_depth = 0
        self._navs_seen = self._navs_open = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("label", "thead"):
            self._label_depth += 1
        if tag == "title":
            self._in_title = True
        elif tag == "nav":
            self._navs_seen += 1
            self._navs_open += 1
            if self._nav_depth or self._navs_seen == 1:
                self._nav_depth += 1
        elif tag == "div" and (self._bar_depth or dict(attrs).get("id") == "user-tools"):
            self._bar_depth += 1

    def handle_endtag(self, tag):
        if tag in ("label", "thead") and self._label_depth:
            self._label_depth -= 1
        if tag == "title":
            self._in_title = False
        elif tag == "nav":
            self._navs_open -= 1
            self._nav_depth = max(self._nav_depth - 1, 0)
        elif tag == "div" and self._bar_depth:
            self._bar_depth -= 1

    def handle_data(self, data):
        text = " ".join(data.split())
        if not text:
            return
        if self._in_title:
            self.title.append(text)
        if self._nav_depth:
            self.menu.append(text)
        if self._bar_depth:
            self.admin_bar.append(text)
        if self._label_depth and not self._navs_open and any(c.isalpha() for c in text):
            self.labels.append(text)


def outline(html: str) -> Outline:
    parsed = Outline()
    parsed.feed(html)
    return parsed


@dataclass(frozen=True)
class Visit:
    name: str
    url: str
    who: str
    served: int


def visits(w) -> list[Visit]:
    """Every page to render: the matrix's that answer GET, and the pages above."""
    found = [
        Visit(name, reverse(name, kwargs=access.kwargs(w)), access.rightful, access.served)
        for name, access in sorted(matrix.MATRIX.items())
        if access.post is None
    ]
    found += [
        Visit(name, reverse(name, kwargs=page.kwargs(w)), page.who, page.served)
        for name, page in sorted(PAGES.items())
    ]
    return found


def speak(language: str) -> None:
    """Everyone's saved language is `language` (inside the test's transaction)."""
    get_user_model().objects.update(language=language)


def client_of(w, visit: Visit, language: str) -> Client:
    client = Client(raise_request_exception=True)
    # A visitor's language is the cookie's; a person's the saved one, whatever the cookie says.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = (
        language if visit.who == "anonymous" else ENGLISH
    )
    user = getattr(w, visit.who)
    if user is not None:
        client.force_login(user)
    return client


def render(w, visit: Visit, language: str):
    """The page as `visit.who` gets it in `language`: (response, html or None)."""
    response = client_of(w, visit, language).get(visit.url)
    html = None
    if response.get("Content-Type", "").startswith("text/html") and not response.streaming:
        html = response.content.decode()
    return response, html


def problems_of(w, visit: Visit, language: str) -> list[str]:
    where = f"{visit.name} ({visit.url}, {visit.who})"
    try:
        response, html = render(w, visit, language)
    except Exception as error:  # a template error, or any other, fails its page only
        return [f"{where}: {type(error).__name__}: {error}"]
    if response.status_code != visit.served:
        return [f"{where}: answered {response.status_code}, not {visit.served}"]
    if html is None or response.status_code == 302:
        return []
    found = []
    if f'<html lang="{language}"' not in html:
        found.append(f'{where}: no <html lang="{language}">')
    if language == ENGLISH:
        return found
    page = outline(html)
    left = [text for text in page.menu if text in SITE_MENU]
    left += [text for text in page.admin_bar if text in ADMIN_BAR]
    if left:
        found.append(f"{where}: English left in the menu: {left}")
    speak(ENGLISH)
    english = outline(render(w, visit, ENGLISH)[1] or "")
    speak(language)
    if visit.name not in TITLED_BY_THEIR_OBJECT and page.title == english.title:
        found.append(f"{where}: the English title {' '.join(page.title)!r}")
    if visit.name.startswith(OWN_ADMIN_PAGES):
        left = [label for label in page.labels if label in english.labels]
        if left:
            found.append(f"{where}: English labels or column headers: {left}")
    return found


@pytest.fixture
def served_world(world, settings):
    """The world, with its uploaded files where they were stored."""
    settings.MEDIA_ROOT = world.media
    return world


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_renders_in_the_language(served_world, language):
    speak(language)
    problems = []
    for visit in visits(served_world):
        problems += problems_of(served_world, visit, language)
    assert not problems, "\n".join(problems)


def test_every_page_without_an_object_is_rendered_or_does_not_answer_get():
    """A new page without arguments is added to PAGES, or here with the reason it is not."""
    not_pages = {
        "calendar_renew": "POST only",
        "participants:emails_retry": "POST only",
        "set_language": "POST only",
        "admin:logout": "POST only",
        "admin:login": "redirects a logged-in person; the site's login is account_login",
        "admin:jsi18n": "JavaScript, not a page",
        "admin:autocomplete": "JSON for the admin's widgets",
        "account_confirm_login_code": "only during a login by code, which is off",
        "account_reset_password_from_key": "the key of an email, see account_confirm_email",
        "mfa_authenticate": "only while logging in with an authenticator app",
        "mfa_deactivate_totp": "needs an authenticator app, like mfa_activate_totp",
        "mfa_generate_recovery_codes": "after reauthentication, like mfa_view_recovery_codes",
        "mfa_download_recovery_codes": "a text file",
        "favicon.ico": "a redirect to the icon",
    }
    rendered = set(PAGES) | set(matrix.MATRIX) | set(not_pages) | matrix.OUT_OF_SCOPE
    missing = all_names() - rendered
    assert missing == set()


def all_names() -> set[str]:
    """The names of every URL pattern (the route of one without a name)."""
    from django.urls import URLResolver, get_resolver

    def walk(patterns, namespace="", prefix=""):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                yield from walk(pattern.url_patterns, inner, route)
            elif pattern.name:
                yield f"{namespace}:{pattern.name}" if namespace else pattern.name
            else:
                yield route

    return set(walk(get_resolver().url_patterns))


# Emails


def speaker(language: str, **fields):
    return UserFactory(language=language, **fields)


def accepted(cycle, role, language, **fields):
    return ParticipantFactory(
        user=speaker(language), cycle=cycle, role=role, status="accepted", **fields
    )


def running_cycle(program=None, **fields) -> Cycle:
    today = timezone.localdate()
    fields.setdefault("starts_on", today - 60 * DAY)
    fields.setdefault("ends_on", today + 240 * DAY)
    return CycleFactory(program=program or ProgramFactory(), stage=Cycle.Stage.WORKING, **fields)


def local_morning(days_ahead: int, *, weekday: int | None = None) -> datetime.datetime:
    """10:00 in the site's time zone, some days ahead (on the next `weekday` from there):
    after the reminders' hour."""
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    day = timezone.localdate() + days_ahead * DAY
    while weekday is not None and day.weekday() != weekday:
        day += DAY
    return datetime.datetime.combine(day, datetime.time(10), tzinfo=zone)


# Each scenario does what makes the product email the people it returns: for each language,
# the same people in the same roles, so the n-th email of a person is the same email in every
# language. The emails the scenario sent are returned beside them.


def welcome_emails(hourly_job, on_commit):
    people = {language: [speaker(language)] for language in LANGUAGES}
    for language in LANGUAGES:
        with on_commit(execute=True):
            welcome_email(people[language][0].pk)
    return people, list(mail.outbox)


def registration_emails(hourly_job, on_commit):
    """Received, then waitlisted, accepted and declined."""
    cycle = CycleFactory()
    questionnaire = registration_questionnaire(cycle, "mentee")
    people, registrations = {}, []
    for language in LANGUAGES:
        user = speaker(language)
        people[language] = [user]
        with on_commit(execute=True):
            registrations.append(
                registration.register(
                    user=user,
                    cycle=cycle,
                    role="mentee",
                    questionnaire=questionnaire,
                    answers={},
                    consented=True,
                )
            )
    for status in ("waitlisted", "accepted", "declined"):
        with on_commit(execute=True):
            registration.decide(participants=registrations, status=status)
    return people, list(mail.outbox)


def pairing_emails(hourly_job, on_commit):
    """A pair formed by hand; a second mentee joins it from the matching; it ends."""
    cycle = running_cycle()
    people, pairs = {}, {}
    for language in LANGUAGES:
        mentor = accepted(cycle, "mentor", language, capacity=2)
        first, second = accepted(cycle, "mentee", language), accepted(cycle, "mentee", language)
        people[language] = [mentor.user, first.user, second.user]
        with on_commit(execute=True):
            pairs[language] = pairing.create(cycle, [mentor], [first])
        draft = Pairing.objects.create(
            cycle=cycle,
            status=Pairing.Status.DRAFT,
            starts_on=cycle.starts_on,
            ends_on=cycle.ends_on,
        )
        draft.memberships.create(participant=mentor)
        draft.memberships.create(participant=second)
    with on_commit(execute=True):
        pairing.publish(cycle)
    for language in LANGUAGES:
        with on_commit(execute=True):
            pairing.end(pairs[language], "The cycle is over.")
    return people, list(mail.outbox)


def help_emails(hourly_job, on_commit):
    """A question to the programme's coordinator, and the answer to the person who asked."""
    people = {}
    for language in LANGUAGES:
        coordinator = CoordinatorFactory(language=language)
        cycle = running_cycle(ProgramFactory(coordinators=[coordinator]))
        asker = accepted(cycle, "mentee", language)
        people[language] = [coordinator, asker.user]
        form = HelpRequestForm(
            {"participant": asker.pk, "topic": "cooperation", "message": "My mentor is away."},
            participations=Participant.objects.filter(pk=asker.pk),
        )
        assert form.is_valid(), form.errors
        with on_commit(execute=True):
            help_request = work.ask_for_help(form)
        with on_commit(execute=True):
            work.answer(help_request, "We will call you tomorrow.", by=coordinator)
    return people, list(mail.outbox)


def event_place_emails(hourly_job, on_commit):
    """The event is full; each one with a place gives it back to the one waiting longest."""
    event = EventFactory(capacity=len(LANGUAGES))
    holders = [event_signup.sign_up(event, UserFactory()) for _ in LANGUAGES]
    people = {}
    for language in LANGUAGES:
        people[language] = [speaker(language)]
        event_signup.sign_up(event, people[language][0])
    for signup in holders:
        with on_commit(execute=True):
            event_signup.cancel(signup)
    return people, list(mail.outbox)


def event_message_emails(hourly_job, on_commit):
    """A coordinator writes to everyone signed up, on the event's page."""
    coordinator = CoordinatorFactory()
    event = EventFactory(program=ProgramFactory(coordinators=[coordinator]))
    people = {language: [speaker(language)] for language in LANGUAGES}
    for language in LANGUAGES:
        event_signup.sign_up(event, people[language][0])
    client = Client(raise_request_exception=True)
    client.force_login(coordinator)
    with on_commit(execute=True):
        response = client.post(
            reverse("events:message", args=[event.pk]),
            {"subject": "Room change", "body": "We meet in room 204."},
        )
    assert response.status_code == 302
    return people, list(mail.outbox)


def meeting_reminder_and_digest_emails(hourly_job, on_commit):
    """Pairs that have not met for a month: each member is reminded; on the digest's weekday
    the programme's coordinator gets the digest."""
    people = {}
    for language in LANGUAGES:
        coordinator = CoordinatorFactory(language=language)
        cycle = running_cycle(ProgramFactory(coordinators=[coordinator], cadence="weekly"))
        members = [accepted(cycle, "mentor", language), accepted(cycle, "mentee", language)]
        PairingFactory(cycle=cycle, members=members)
        people[language] = [coordinator, *(m.user for m in members)]
    return people, hourly_job(local_morning(1, weekday=settings.DIGEST_WEEKDAY))


def event_reminder_emails(hourly_job, on_commit):
    """The day before the event, everyone with a place."""
    event = EventFactory(starts_at=local_morning(2))
    people = {language: [speaker(language)] for language in LANGUAGES}
    for language in LANGUAGES:
        event_signup.sign_up(event, people[language][0])
    return people, hourly_job(local_morning(1))


def self_assessment_emails(hourly_job, on_commit):
    """The prompt near the end of the cycle, and a week later the follow-up."""
    cycle = running_cycle(ends_on=timezone.localdate() + 10 * DAY)
    questionnaire = Questionnaire.objects.create(
        cycle=cycle, purpose=Questionnaire.Purpose.SELF_ASSESSMENT, title="Self-assessment"
    )
    QuestionFactory(questionnaire=questionnaire, text="How did it go?")
    people = {language: [accepted(cycle, "mentee", language).user] for language in LANGUAGES}
    sent = hourly_job(local_morning(1)) + hourly_job(local_morning(9))
    return people, sent


SCENARIOS = {
    "welcome": welcome_emails,
    "registration": registration_emails,
    "pairing": pairing_emails,
    "help": help_emails,
    "event_place": event_place_emails,
    "event_message": event_message_emails,
    "meeting_reminder and coordinator_digest": meeting_reminder_and_digest_emails,
    "event_reminder": event_reminder_emails,
    "self_assessment": self_assessment_emails,
}

# The subject of a coordinator's message is the coordinator's own words (after the event's
# title), the same to everyone: its body is still framed in each recipient's language.
SUBJECT_OF_THE_SENDER = {"event_message"}


def html_of(message) -> str:
    return next(
        (content for content, mimetype in message.alternatives if mimetype == "text/html"), ""
    )


def emails_of(people, sent) -> dict[str, list[list]]:
    """For each language, each person's emails in the order they were sent."""
    return {
        language: [[m for m in sent if m.to == [user.email]] for user in users]
        for language, users in people.items()
    }


def test_every_kind_of_email_is_tried():
    tried = {kind for name in SCENARIOS for kind in name.split(" and ")}
    assert tried == set(notifications.KINDS)


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_every_email_is_written_in_its_recipients_language(
    scenario, hourly_job, django_capture_on_commit_callbacks
):
    people, sent = SCENARIOS[scenario](hourly_job, django_capture_on_commit_callbacks)
    emails = emails_of(people, sent)
    english = emails[ENGLISH]
    assert all(english), f"someone got no email: {english}"
    problems = []
    for language, of_people in emails.items():
        for person, (theirs, in_english) in enumerate(zip(of_people, english, strict=True)):
            if len(theirs) != len(in_english):
                problems.append(
                    f"{language}: person {person} got {len(theirs)} emails, "
                    f"in English {len(in_english)}"
                )
                continue
            for message, reference in zip(theirs, in_english, strict=True):
                problems += email_problems(scenario, language, message, reference)
    assert not problems, "\n".join(problems)


def email_problems(scenario, language, message, reference) -> list[str]:
    where = f"{language}: {reference.subject!r}"
    found = []
    if message.extra_headers.get("Content-Language") != language:
        found.append(f"{where}: Content-Language {message.extra_headers.get('Content-Language')}")
    html = html_of(message)
    if not (message.subject.strip() and message.body.strip() and html.strip()):
        found.append(f"{where}: an empty subject or body")
    if f'<html lang="{language}"' not in html:
        found.append(f'{where}: no <html lang="{language}">')
    if language != ENGLISH:
        if message.subject == reference.subject and scenario not in SUBJECT_OF_THE_SENDER:
            found.append(f"{where}: the subject is the English one")
        if message.body == reference.body:
            found.append(f"{where}: the text is the English one")
    return found
