"""The access matrix: every URL of the project that names an object (a pk, a slug, a token, ...),
found by walking the URL resolver, is asked by five people it does not belong to - an anonymous
visitor, the cast's outsider, a member of another pairing of the same cycle, a participant of
another programme and the cast's coordinator of another programme - and by its rightful person
of the cast (the mentor, the programme's coordinator or the superuser) or the world. The five
are refused (404, 403, the login page, or for the admin's object pages the admin's "doesn't
exist" redirect), see none of the object's personal data and change nothing; the rightful
person is served.

A URL with an object that is neither in `MATRIX` nor in `OUT_OF_SCOPE` fails the coverage test,
so a new page cannot be added without saying who may use it."""

import datetime
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.apps import apps
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import override_settings
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

from events.models import Event, Material
from meetings.models import HelpRequest, PlanItem
from participants.models import (
    Answer,
    AuditEntry,
    Notification,
    PairChoice,
    Pairing,
    Response,
)
from programs.coordinators import coordinators_group
from programs.models import Document, Question, Questionnaire
from tests.factories import (
    CycleFactory,
    EventFactory,
    GoalFactory,
    HelpRequestFactory,
    MeetingFactory,
    NotificationFactory,
    PairingFactory,
    ParticipantFactory,
    ProgramFactory,
    QuestionFactory,
    SignUpFactory,
    UserFactory,
    active_pairing,
    build_cast,
    member_user,
    registration_questionnaire,
)

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

# The personal data of the world's objects (and the name and address of its mentor, Ruta, from
# the cast): none of it may reach a refused person.
APPLICANT_EMAIL = "jonas.petrauskas@university.example"
APPLICANT_LAST_NAME = "Petrauskas"
MEETING_NOTES = "Ruta finds the head of department hard to talk to."
HELP_MESSAGE = "My mentor has not answered for a month; I feel left alone."
REGISTRATION_ANSWER = "I froze in front of a large group last spring."

REFUSED = ["anonymous", "outsider", "other_member", "other_participant", "other_coordinator"]


def accepted(cycle, role, **user_fields):
    user = UserFactory(**user_fields)
    return ParticipantFactory(user=user, cycle=cycle, role=role, status="accepted")


def build_world() -> SimpleNamespace:
    """The cast (`tests.factories.build_cast`): programme P (public) with its cycle under way,
    P's coordinator, our pair (Ruta the mentor and her mentee), programme Q with its
    coordinator, an outsider and a superuser. Around them: our pair's goal, plan, meetings
    and help request, another pair of P, an applicant with answers, a free mentor and mentee
    with a suggestion and a ruled-out pair, a members' document, an event for mentors with a
    material and Ruta's place, and a participant of Q."""
    w = build_cast()
    w.personal_data = [
        w.mentor.email,
        w.mentor.last_name,
        APPLICANT_EMAIL,
        APPLICANT_LAST_NAME,
        MEETING_NOTES,
        HELP_MESSAGE,
        REGISTRATION_ANSWER,
    ]
    w.questionnaire = questionnaire = registration_questionnaire(w.cycle, "mentee")
    self_assessment = Questionnaire.objects.create(
        cycle=w.cycle, purpose=Questionnaire.Purpose.SELF_ASSESSMENT, title="Self-assessment"
    )
    QuestionFactory(questionnaire=self_assessment, text="How did it go?")

    w.goal = GoalFactory(pairing=w.pairing)
    w.plan_item = PlanItem.objects.create(pairing=w.pairing, what="Observe a lecture")
    w.own_meeting = MeetingFactory(
        pairing=w.pairing,
        logged_by=w.mentor,
        notes=MEETING_NOTES,
        next_meeting_at=timezone.now() + 3 * DAY,
    )
    w.their_meeting = MeetingFactory(pairing=w.pairing, logged_by=w.mentee, notes=MEETING_NOTES)
    w.help_request = HelpRequestFactory(
        participant=w.mentor_registration,
        topic=HelpRequest.Topic.COOPERATION,
        message=HELP_MESSAGE,
    )

    w.other_member = member_user(active_pairing(w.cycle), "mentee")

    applicant = ParticipantFactory(
        cycle=w.cycle,
        role="mentee",
        user=UserFactory(email=APPLICANT_EMAIL, last_name=APPLICANT_LAST_NAME),
    )
    w.applicant, w.application = applicant.user, applicant
    w.response = Response.objects.create(participant=applicant, questionnaire=questionnaire)
    Answer.objects.create(
        response=w.response,
        question=questionnaire.questions.get(kind=Question.Kind.LONG_TEXT),
        value=REGISTRATION_ANSWER,
    )

    free_mentor, free_mentee = accepted(w.cycle, "mentor"), accepted(w.cycle, "mentee")
    w.draft = PairingFactory(
        cycle=w.cycle, status=Pairing.Status.DRAFT, members=[free_mentor, free_mentee]
    )
    w.ruled_out = PairChoice.objects.create(
        cycle=w.cycle,
        mentor=free_mentor,
        mentee=w.mentee_registration,
        kind=PairChoice.Kind.RULED_OUT,
    )

    w.document = Document.objects.create(
        program=w.program,
        title="Regulations for members",
        audience=Document.Audience.MEMBERS,
        file=SimpleUploadedFile("rules.pdf", b"%PDF-1.7 regulations"),
    )
    w.event = EventFactory(program=w.program, audience="mentors")
    w.material = Material(event=w.event, title="Slides")
    w.material.file = ContentFile(PDF, name="Slides.pdf")
    w.material.save()
    w.signup = SignUpFactory(event=w.event, user=w.mentor)
    w.notification = NotificationFactory(
        recipient=w.mentor, program=w.program, state=Notification.State.SENT
    )
    w.email_address = EmailAddress.objects.get(user=w.mentor)
    w.authenticator = Authenticator.objects.create(
        user=w.mentor,
        type=Authenticator.Type.RECOVERY_CODES,
        data={"seed": "0" * 40, "used_mask": 0},
    )
    w.group = coordinators_group()
    w.audit_entry = AuditEntry.objects.create(
        action=AuditEntry.Action.EXPORTED, person=w.applicant, cycle=w.cycle, details="mentees"
    )

    w.other_participant = accepted(w.other_cycle, "mentee").user
    w.anonymous = None
    return w


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once for the module, in a transaction rolled back at its end; each test runs in
    a savepoint inside it, so what one test changes the next does not see."""
    media = tmp_path_factory.mktemp("access-matrix-media")
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media, PASSWORD_HASHERS=fast),
        transaction.atomic(),
    ):
        w = build_world()
        w.media = media
        yield w
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _world_media(_test_settings, settings, world):
    """The world's files stay where they were uploaded (the suite's own fixture gives each
    test a fresh, empty folder)."""
    settings.MEDIA_ROOT = world.media


# The matrix


@dataclass(frozen=True)
class Access:
    """Who may use one URL with an object, and how to name its object.

    `rightful` is the person of the world it belongs to; `served` what they get (200 for a
    page or a file). `post` is set for views that only accept POST: what the rightful person
    posts (they are then redirected). `shared` names refused people who rightfully share the
    object (the other pair's member is a member of the programme too)."""

    kwargs: Callable[[SimpleNamespace], dict]
    rightful: str
    served: int = 200
    post: dict | None = None
    shared: frozenset = frozenset()


def _pairing(w):
    return {"pk": w.pairing.pk}


def _cycle(w):
    return {"cycle_pk": w.cycle.pk}


def _cycle_pk(w):
    return {"pk": w.cycle.pk}


def _event(w):
    return {"pk": w.event.pk}


def _help(w):
    return {"pk": w.help_request.pk}


def _application(w):
    return {"pk": w.application.pk}


POSTED = {}  # a view that only accepts POST, posted to with an empty body
PROGRAMME_MEMBER = frozenset({"other_member"})

MATRIX: dict[str, Access] = {
    # The coordinators' pages of a cycle
    "dashboard": Access(_cycle_pk, "coordinator"),
    "report": Access(_cycle_pk, "coordinator"),
    "report_xlsx": Access(_cycle_pk, "coordinator"),
    "participants:registrations": Access(_cycle, "coordinator"),
    "participants:decide": Access(_cycle, "coordinator", post=POSTED),
    "participants:guardian_consent": Access(_application, "coordinator", post=POSTED),
    "participants:registration_answers": Access(
        lambda w: {"cycle_pk": w.cycle.pk, "pk": w.application.pk}, "coordinator"
    ),
    "participants:export_base": Access(
        lambda w: {"cycle_pk": w.cycle.pk, "role": "mentee", "fmt": "csv"}, "coordinator"
    ),
    "participants:matching": Access(_cycle, "coordinator"),
    "participants:matching_criteria": Access(_cycle, "coordinator"),
    "participants:matching_criteria_from_tags": Access(_cycle, "coordinator", post=POSTED),
    "participants:matching_run": Access(_cycle, "coordinator", post=POSTED),
    "participants:matching_draft": Access(
        lambda w: {"cycle_pk": w.cycle.pk, "pk": w.draft.pk}, "coordinator", post=POSTED
    ),
    "participants:matching_allow": Access(
        lambda w: {"cycle_pk": w.cycle.pk, "pk": w.ruled_out.pk}, "coordinator", post=POSTED
    ),
    "participants:matching_reassign": Access(
        lambda w: {"cycle_pk": w.cycle.pk, "mentee_pk": w.mentee_registration.pk}, "coordinator"
    ),
    "participants:matching_publish": Access(_cycle, "coordinator", post=POSTED),
    "participants:pairings": Access(_cycle, "coordinator"),
    "participants:pairing_new": Access(_cycle, "coordinator"),
    "participants:pairing_end": Access(_pairing, "coordinator"),
    "erase_participant": Access(_application, "coordinator"),
    # A person's own registration
    "participants:registration": Access(_application, "applicant"),
    "participants:registration_edit": Access(_application, "applicant"),
    "participants:registration_withdraw": Access(_application, "applicant", post=POSTED),
    "participants:self_assessment": Access(lambda w: {"pk": w.mentor_registration.pk}, "mentor"),
    # The programme's members' document
    "programs:document": Access(lambda w: {"pk": w.document.pk}, "mentor", shared=PROGRAMME_MEMBER),
    # The pair's workspace
    "meetings:pairing": Access(_pairing, "mentor"),
    "meetings:history": Access(_pairing, "mentor"),
    "meetings:goal_new": Access(_pairing, "mentor"),
    "meetings:goal_edit": Access(lambda w: {"pk": w.pairing.pk, "goal_pk": w.goal.pk}, "mentor"),
    "meetings:goal_delete": Access(
        lambda w: {"pk": w.pairing.pk, "goal_pk": w.goal.pk}, "mentor", post=POSTED
    ),
    "meetings:plan_item_new": Access(_pairing, "mentor"),
    "meetings:plan_item_edit": Access(
        lambda w: {"pk": w.pairing.pk, "item_pk": w.plan_item.pk}, "mentor"
    ),
    "meetings:plan_item_delete": Access(
        lambda w: {"pk": w.pairing.pk, "item_pk": w.plan_item.pk}, "mentor", post=POSTED
    ),
    "meetings:plan_item_done": Access(
        lambda w: {"pk": w.pairing.pk, "item_pk": w.plan_item.pk}, "mentor", post={"done": "1"}
    ),
    "meetings:meeting_new": Access(_pairing, "mentor"),
    "meetings:meeting_edit": Access(
        lambda w: {"pk": w.pairing.pk, "meeting_pk": w.own_meeting.pk}, "mentor"
    ),
    "meetings:meeting_delete": Access(
        lambda w: {"pk": w.pairing.pk, "meeting_pk": w.own_meeting.pk}, "mentor", post=POSTED
    ),
    "meetings:meeting_confirm": Access(
        lambda w: {"pk": w.pairing.pk, "meeting_pk": w.their_meeting.pk}, "mentor", post=POSTED
    ),
    "meetings:meeting_ics": Access(
        lambda w: {"pk": w.pairing.pk, "meeting_pk": w.own_meeting.pk}, "mentor"
    ),
    # Help requests
    "meetings:help_request": Access(_help, "mentor"),
    "meetings:help_close": Access(_help, "mentor", post=POSTED),
    "meetings:coordinate_help_detail": Access(_help, "coordinator"),
    "meetings:coordinate_help_close": Access(_help, "coordinator", post=POSTED),
    # An event for the programme's mentors (the other pair's member is a mentee)
    "events:detail": Access(_event, "mentor"),
    "events:ics": Access(_event, "mentor"),
    "events:material": Access(lambda w: {"pk": w.event.pk, "material_pk": w.material.pk}, "mentor"),
    "events:signup": Access(_event, "mentor", post=POSTED),
    "events:cancel": Access(_event, "mentor", post=POSTED),
    "events:attendance": Access(_event, "coordinator"),
    "events:mark_attendance": Access(
        lambda w: {"pk": w.event.pk, "signup_pk": w.signup.pk},
        "coordinator",
        post={"attended": "yes"},
    ),
    "events:export": Access(lambda w: {"pk": w.event.pk, "fmt": "csv"}, "coordinator"),
    "events:message": Access(_event, "coordinator"),
    # The admin's "view on site", which redirects to the object's own page
    "admin:view_on_site": Access(
        lambda w: {
            "content_type_id": ContentType.objects.get_for_model(Event).pk,
            "object_id": w.event.pk,
        },
        "coordinator",
        served=302,
    ),
    # The same URL, answered by our own view ahead of the admin's: what the visitor may see
    "view_on_site": Access(
        lambda w: {
            "content_type_id": ContentType.objects.get_for_model(Event).pk,
            "object_id": w.event.pk,
        },
        "coordinator",
        served=302,
    ),
    "admin:auth_user_password_change": Access(lambda w: {"id": w.mentor.pk}, "superuser"),
}

# The administration site: each model's object, who may change (and read the history of)
# it, and who may delete it. Coordinators have the permissions of `programs.coordinators`;
# what they lack is the superuser's.
ADMIN_OBJECTS = {
    "auth_group": ("group", "superuser", "superuser"),
    "account_emailaddress": ("email_address", "superuser", "superuser"),
    "mfa_authenticator": ("authenticator", "superuser", "superuser"),
    "participants_user": ("mentor", "superuser", "superuser"),
    "programs_program": ("program", "coordinator", "superuser"),
    "programs_cycle": ("cycle", "coordinator", "coordinator"),
    "programs_questionnaire": ("questionnaire", "coordinator", "coordinator"),
    "programs_document": ("document", "coordinator", "coordinator"),
    "participants_participant": ("application", "coordinator", "superuser"),
    "participants_response": ("response", "coordinator", "superuser"),
    "participants_pairing": ("pairing", "coordinator", "superuser"),
    "participants_notification": ("notification", "coordinator", "superuser"),
    "participants_auditentry": ("audit_entry", "superuser", "superuser"),
    "meetings_meeting": ("own_meeting", "coordinator", "superuser"),
    "meetings_helprequest": ("help_request", "coordinator", "superuser"),
    "events_event": ("event", "coordinator", "coordinator"),
}


def _admin_object(attribute):
    return lambda w: {"object_id": getattr(w, attribute).pk}


for _model, (_attribute, _changer, _deleter) in ADMIN_OBJECTS.items():
    MATRIX[f"admin:{_model}_change"] = Access(_admin_object(_attribute), _changer)
    MATRIX[f"admin:{_model}_history"] = Access(_admin_object(_attribute), _changer)
    MATRIX[f"admin:{_model}_delete"] = Access(_admin_object(_attribute), _deleter)
# The ledger of emails and the audit trail are never deleted, not even by a superuser.
MATRIX["admin:participants_notification_delete"] = Access(
    _admin_object("notification"), "superuser", served=403
)
MATRIX["admin:participants_auditentry_delete"] = Access(
    _admin_object("audit_entry"), "superuser", served=403
)

OUT_OF_SCOPE = {
    # allauth's links from its emails: the secret key in the URL is the access check.
    "account_confirm_email",
    "account_reset_password_from_key",
    # Our own links for calendar apps and mail programs, which cannot log in: the secret
    # token is the access check (a wrong one: `test_a_wrong_token_answers_404`).
    "calendar_feed",
    "participants:notifications_stop",
    # A public programme's page, and registering for its open cycle, are for everyone
    # (logged in, to register); a private programme's are not:
    # `test_a_private_programmes_page_and_registration_are_refused_to_outsiders`.
    "programs:detail",
    "participants:register",
    # The admin's page of one app: its argument is an app's label, not an object; what it
    # lists is filtered by the same querysets as each model's pages.
    "admin:app_list",
    # The admin's answer to any other URL under /admin/ (a 404 or the login page).
    "admin/(?P<url>.*)$",
    # Django's redirect from an object's bare admin URL to its change page, which is in
    # the matrix; the redirect itself reads nothing.
    *(
        f"admin/{model._meta.app_label}/{model._meta.model_name}/<path:object_id>/"
        for model in admin.site._registry
    ),
}


def patterns_with_objects(patterns=None, namespace="", prefix="", arguments=frozenset()):
    """Every URL pattern that takes a keyword argument, by its full name ("namespace:name"),
    or by its route when it has no name, with the names of its arguments."""
    found = {}
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        taken = arguments | set(pattern.pattern.regex.groupindex)
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            found |= patterns_with_objects(pattern.url_patterns, inner, route, taken)
        elif taken:
            if pattern.name:
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            else:
                name = route
            found[name] = frozenset(taken)
    return found


# Helpers


def log_in(client, user):
    client.logout()
    if user is not None:
        client.force_login(user)


def body(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def is_login_redirect(response) -> bool:
    return response.status_code == 302 and response.url.startswith(
        (reverse("account_login"), reverse("admin:login"))
    )


WATCHED_APPS = ["programs", "participants", "meetings", "events", "auth", "account", "mfa"]


def snapshot() -> dict:
    """Row count and checksum of every table a view could write (logging in writes only
    `last_login`, which is left out)."""
    tables = {}
    for label in WATCHED_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            rows = [
                {k: v for k, v in row.items() if k != "last_login"}
                for row in model.objects.order_by("pk").values()
            ]
            digest = hashlib.sha256(repr(rows).encode()).hexdigest()
            tables[model._meta.label] = (len(rows), digest)
    return tables


def assert_refused(client, response, who, personal_data, *, method, post_only):
    """404, 403, the login page, or (a POST-only view asked with GET) 405; or, on the admin's
    object pages, the redirect to the admin's front page saying the object does not exist.
    Nothing of the world's `personal_data` is in what they get."""
    where = f"{who} ({method})"
    shown = body(response)
    status = response.status_code
    if status == 302 and not is_login_redirect(response):
        assert response.url == reverse("admin:index"), f"{where} redirected to {response.url}"
        shown += body(client.get(response.url))
    else:
        allowed = {403, 404, 405} if post_only and method == "GET" else {403, 404}
        assert status in allowed or is_login_redirect(response), f"{where} got {status}"
    for data in personal_data:
        assert data not in shown, f"{where} was shown {data!r}"


# The tests


def test_every_url_with_an_object_is_in_the_matrix_or_deliberately_left_out():
    found = set(patterns_with_objects())
    assert found - OUT_OF_SCOPE == set(MATRIX), "say who may use each URL with an object"
    assert found >= OUT_OF_SCOPE, "an exception for a URL that no longer exists"


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_the_rightful_person_is_served(client, world, name):
    access = MATRIX[name]
    url = reverse(name, kwargs=access.kwargs(world))
    log_in(client, getattr(world, access.rightful))
    response = client.get(url)
    if access.post is None:
        assert response.status_code == access.served, body(response)[:2000]
        if name in ("admin:view_on_site", "view_on_site"):
            assert response.url.endswith(world.event.get_absolute_url())
    else:
        assert response.status_code == 405, "only POST"
        response = client.post(url, access.post)
        assert response.status_code == 302, body(response)[:2000]
        assert not is_login_redirect(response)


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_everyone_else_is_refused_sees_no_personal_data_and_changes_nothing(client, world, name):
    access = MATRIX[name]
    url = reverse(name, kwargs=access.kwargs(world))
    before = snapshot()
    for who in REFUSED:
        if who in access.shared:
            continue
        log_in(client, getattr(world, who))
        post_only = access.post is not None
        response = client.get(url)
        assert_refused(
            client, response, who, world.personal_data, method="GET", post_only=post_only
        )
        if post_only:
            # An empty body, and what the rightful person posts: an empty body alone does not
            # show a view that finds the object, then refuses the incomplete form.
            for data in ({}, access.post) if access.post else ({},):
                response = client.post(url, data)
                assert_refused(
                    client, response, who, world.personal_data, method="POST", post_only=True
                )
    assert snapshot() == before


def test_a_private_programmes_page_and_registration_are_refused_to_outsiders(client, world):
    program = ProgramFactory(is_public=False)
    cycle = CycleFactory(program=program)
    registration_questionnaire(cycle, "mentee")
    member = accepted(cycle, "mentee", last_name="Zukauskiene").user
    page = reverse("programs:detail", args=[program.slug])
    register = reverse("participants:register", args=[cycle.pk, "mentee"])
    log_in(client, member)
    assert client.get(page).status_code == 200
    for who in REFUSED:
        log_in(client, getattr(world, who))
        for url in (page, register):
            response = client.get(url)
            assert response.status_code == 404 or is_login_redirect(response), (who, url)
            assert program.name not in body(response)
            assert "Zukauskiene" not in body(response)


def test_a_wrong_token_answers_404(client, world):
    mentor = type(world.mentor).objects.get(pk=world.mentor.pk)  # the world's stays unchanged
    token = mentor.calendar_feed_token(renew=True)
    log_in(client, world.other_member)
    assert client.get(reverse("calendar_feed", args=[token])).status_code == 200
    for url in (
        reverse("calendar_feed", args=["not-" + token]),
        reverse("participants:notifications_stop", args=["not-a-signed-token"]),
    ):
        response = client.get(url)
        assert response.status_code == 404
        assert mentor.email not in body(response) and mentor.last_name not in body(response)
