"""Every form fuzzed with hypothesis. Whatever the rightful user posts - text of any kind and
length, NUL bytes, markup, spreadsheet formulas, numbers and dates out of range, missing fields,
several values where one is expected, ids that do not exist or are someone else's - the answer
is never a server error, and the write is whole: either the form is accepted and what it saved
is valid, or not one row of the tables it touches changed.

The world of each test is built once by its fixtures; every example runs in a savepoint that is
rolled back, so each starts from the same world."""

import datetime
import hashlib
from contextlib import contextmanager

import pytest
from allauth.mfa.models import Authenticator
from django.conf import settings as django_settings
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from events.models import Message, SignUp
from meetings.models import Change, Goal, HelpRequest, Meeting, PlanItem
from participants.models import (
    Answer,
    MatchingCriterion,
    Membership,
    Notification,
    Pairing,
    Participant,
    Response,
    User,
)
from participants.notifications import ledger as notifications
from programs.models import Cycle, Question, Questionnaire, StageEntry
from tests.factories import (
    CycleFactory,
    EventFactory,
    GoalFactory,
    HelpRequestFactory,
    MeetingFactory,
    ParticipantFactory,
    ProgramFactory,
    SignUpFactory,
    UserFactory,
    active_pairing,
    matching_cohort,
    member_user,
    registration_questionnaire,
)

pytestmark = pytest.mark.django_db

fuzz = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Strategies.

MISSING = object()  # the field is left out of the request

NASTY = [
    "", " ", "\x00", "a\x00b", "\x00" * 3, "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>', '=HYPERLINK("http://evil.example","x")', "=1+1", "+1",
    "-1", "0", "1", "-2147483649", "2147483648", "32768", "99999999999999999999999", "1e309",
    "1.5", "NaN", "inf", "-0", "0x10", "²", "١٢", "Ⅻ", "0000-00-00", "9999-12-31",
    "2026-02-30", "0001-01-01", "10000-01-01", "2026-13-01", "9999-12-31T23:59",
    "0001-01-01T00:00", "2026-03-29T03:30", "x" * 5000, "ž" * 401, "\u202eevil", "😀",
    "' OR '1'='1", "%00", "null", "None", "true", "[]", "{}", "../../etc/passwd", "\r\n",
]  # fmt: skip

# What breaks code most often, tried more often than the rest: NUL bytes (PostgreSQL refuses
# them), digits that `str.isdigit` accepts and `int` does not, emptiness and numbers too big.
HOSTILE = ["\x00", "a\x00b", "²", "", "-1", "99999999999999999999999"]

junk = st.one_of(
    st.sampled_from(HOSTILE),
    st.sampled_from(NASTY),
    st.one_of(
        st.text(max_size=40),
        st.integers(min_value=-(10**20), max_value=10**20).map(str),
        st.floats().map(str),
        st.dates().map(str),
    ),
)

# Text a person may well type: no control characters, not blank.
TEXT = st.one_of(
    st.sampled_from(["Chemistry", "<b>bold</b>", "=SUM(A1:A9)", "Žemaitė", "Пример", "😀 ok"]),
    st.text(st.characters(exclude_categories=["Cs", "Cc"]), min_size=1, max_size=60).filter(
        str.strip
    ),
)


def bad(valid):
    """What a corrupted field holds: junk, several values, or nothing at all."""
    return st.one_of(
        junk, st.lists(st.one_of(valid, junk), min_size=2, max_size=3), st.just(MISSING)
    )


def form(**fields):
    """A form's data: valid values (strategies given by field name), some of them corrupted.
    Shrinking heads for the fewest corrupted fields, so a failure reads as a minimal input."""

    @st.composite
    def build(draw):
        corrupted = draw(st.sets(st.sampled_from(sorted(fields))))
        data = {}
        for name, valid in fields.items():
            value = draw(bad(valid) if name in corrupted else valid)
            if isinstance(value, list):  # one level: a request has no lists of lists
                items = [v for i in value for v in (i if isinstance(i, list) else [i])]
                value = [v for v in items if v is not MISSING]
            if value is not MISSING:
                data[name] = value
        return data

    return build()


def optional(valid):
    return st.one_of(valid, st.just(MISSING), st.just(""))


def ids(*objects):
    return st.sampled_from([str(o.pk) for o in objects])


def id_or_not(*objects):
    """For a field the view reads by hand: an id, one that does not exist, or anything."""
    return st.one_of(ids(*objects), st.just(ABSENT_ID), st.sampled_from(HOSTILE), junk)


def some_of(*objects):
    return st.lists(ids(*objects), max_size=len(objects), unique=True)


ABSENT_ID = "987654321"

# The checks.


def fingerprint(*sources) -> list:
    """Count and checksum of the rows of each model or queryset."""
    found = []
    for source in sources:
        queryset = source._base_manager.all() if isinstance(source, type) else source
        rows = list(queryset.order_by("pk").values_list())
        found.append((queryset.model._meta.label, len(rows), hashlib.sha256(repr(rows).encode())))
    return [(label, count, digest.hexdigest()) for label, count, digest in found]


@contextmanager
def one_example():
    """Each example's writes are undone, so the next one starts from the same world."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def logged_in(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def coordinator_with_mfa():
    """A coordinator the coordinators' pages let in, with or without COORDINATOR_MFA_REQUIRED."""
    user = UserFactory()
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    return user


def no_server_error(response, data):
    assert response.status_code < 500, f"{response.status_code} for {data!r}"
    return response


def accepted(response, url) -> bool:
    return response.status_code == 302 and response.url == url


def last(posted, name):
    """The value a view reads with `request.POST.get`: the last one sent."""
    value = posted.get(name)
    return value[-1] if isinstance(value, list) and value else value


def every(posted, name) -> list:
    """The values a view reads with `request.POST.getlist`."""
    value = posted.get(name, [])
    return value if isinstance(value, list) else [value]


def clean_text(value, max_length):
    assert isinstance(value, str) and value.strip() and len(value) <= max_length
    assert "\x00" not in value


# The registration questionnaire, its edit and the self-assessment.


def answer_strategy(question):
    Kind = Question.Kind
    valid = {
        Kind.SHORT_TEXT: TEXT,
        Kind.LONG_TEXT: TEXT,
        Kind.SINGLE_CHOICE: st.sampled_from(question.choices),
        Kind.MULTIPLE_CHOICE: st.lists(st.sampled_from(question.choices), min_size=1, unique=True),
        Kind.SCALE: st.sampled_from("12345"),
        Kind.YES_NO: st.sampled_from(["yes", "no"]),
        # The edges of what the form allows, and of the database's integer columns.
        Kind.NUMBER: st.one_of(
            st.sampled_from(["0", "32767", "32768", "100000"]), st.integers(0, 100_000).map(str)
        ),
        Kind.DATE: st.dates().map(str),
    }[question.kind]
    return valid if question.required else optional(valid)


def questionnaire_data(questionnaire):
    questions = questionnaire.questions.order_by("order")
    return form(**{f"q{q.pk}": answer_strategy(q) for q in questions})


def assert_valid_answers(response):
    """Every answer stored fits its question, and every required question is answered."""
    Kind = Question.Kind
    answers = {a.question_id: a.value for a in response.answers.all()}
    for question in response.questionnaire.questions.all():
        value = answers.get(question.pk)
        if value is None:
            assert not question.required, question.text
        elif question.kind == Kind.SHORT_TEXT:
            clean_text(value, 200)
        elif question.kind == Kind.LONG_TEXT:
            clean_text(value, 4000)
        elif question.kind == Kind.SINGLE_CHOICE:
            assert value in question.choices
        elif question.kind == Kind.MULTIPLE_CHOICE:
            assert value and set(value) <= set(question.choices)
        elif question.kind == Kind.SCALE:
            assert value in range(1, 6)
        elif question.kind == Kind.YES_NO:
            assert value in (True, False)
        elif question.kind == Kind.NUMBER:
            assert isinstance(value, int) and 0 <= value <= 100_000
        elif question.kind == Kind.DATE:
            datetime.date.fromisoformat(value)


def capacity_answer(response):
    answer = response.answers.filter(question__matching_tag=Question.MatchingTag.CAPACITY).first()
    return answer.value if answer else None


REGISTRATION_TABLES = (Participant, Response, Answer, Notification)


@pytest.fixture
def open_cycle():
    cycle = CycleFactory()
    registration_questionnaire(cycle, "mentor")
    registration_questionnaire(cycle, "mentee")
    return cycle


@fuzz
@given(data=st.data())
def test_the_registration_questionnaire_saves_all_or_nothing(open_cycle, person, data):
    client = logged_in(person)
    role = data.draw(st.sampled_from(["mentor", "mentee"]), label="role")
    questionnaire = open_cycle.questionnaires.get(purpose=f"{role}_registration")
    posted = data.draw(questionnaire_data(questionnaire), label="posted")
    # The consent below the questionnaire, for programmes that ask it.
    posted |= data.draw(
        form(privacy=optional(st.just("on")), under_18=optional(st.just("on"))), label="consent"
    )
    url = reverse("participants:register", args=[open_cycle.pk, role])
    with one_example():
        before = fingerprint(*REGISTRATION_TABLES)
        response = no_server_error(client.post(url, posted), posted)
        participant = Participant.objects.filter(user=person, cycle=open_cycle).first()
        if participant is None:
            assert fingerprint(*REGISTRATION_TABLES) == before
            return
        assert accepted(response, reverse("participants:registration", args=[participant.pk]))
        assert participant.role == role and participant.status == Participant.Status.APPLIED
        stored = participant.responses.get()
        assert stored.questionnaire == questionnaire
        assert_valid_answers(stored)
        if role == "mentor":
            assert participant.capacity == capacity_answer(stored)


@pytest.fixture
def applied_mentor(open_cycle):
    participant = ParticipantFactory(cycle=open_cycle, role=Participant.Role.MENTOR)
    questionnaire = open_cycle.questionnaires.get(purpose="mentor_registration")
    response = Response.objects.create(participant=participant, questionnaire=questionnaire)
    for question in questionnaire.questions.all():
        Answer.objects.create(response=response, question=question, value="3")
    return participant


@fuzz
@given(data=st.data())
def test_editing_a_registration_saves_all_or_nothing(applied_mentor, data):
    client = logged_in(applied_mentor.user)
    response = applied_mentor.responses.get()
    posted = data.draw(questionnaire_data(response.questionnaire), label="posted")
    url = reverse("participants:registration_edit", args=[applied_mentor.pk])
    with one_example():
        before = fingerprint(*REGISTRATION_TABLES)
        answer = no_server_error(client.post(url, posted), posted)
        if not accepted(answer, reverse("participants:registration", args=[applied_mentor.pk])):
            assert fingerprint(*REGISTRATION_TABLES) == before
            return
        applied_mentor.refresh_from_db()
        assert_valid_answers(response)
        assert applied_mentor.capacity == capacity_answer(response)


@pytest.fixture
def assessed_mentee():
    today = timezone.localdate()
    cycle = CycleFactory(
        stage=Cycle.Stage.COMPLETION,
        starts_on=today - datetime.timedelta(days=200),
        ends_on=today + datetime.timedelta(days=10),
    )
    questionnaire = registration_questionnaire(cycle, "mentee")
    questionnaire.purpose = Questionnaire.Purpose.MENTEE_SELF_ASSESSMENT
    questionnaire.save(update_fields=["purpose"])
    return ParticipantFactory(cycle=cycle, status=Participant.Status.ACCEPTED)


@fuzz
@given(data=st.data())
def test_the_self_assessment_saves_all_or_nothing(assessed_mentee, data):
    client = logged_in(assessed_mentee.user)
    questionnaire = assessed_mentee.cycle.self_assessment_for("mentee")
    posted = data.draw(questionnaire_data(questionnaire), label="posted")
    url = reverse("participants:self_assessment", args=[assessed_mentee.pk])
    with one_example():
        before = fingerprint(Response, Answer)
        response = no_server_error(client.post(url, posted), posted)
        if not accepted(response, url):
            assert fingerprint(Response, Answer) == before
            return
        assert_valid_answers(assessed_mentee.responses.get(questionnaire=questionnaire))


# The person's profile and reminders.


@fuzz
@given(data=st.data())
def test_the_profile_saves_all_or_nothing(person, data):
    client = logged_in(person)
    languages = [code for code, _ in django_settings.LANGUAGES]
    posted = data.draw(
        form(first_name=TEXT, last_name=TEXT, language=st.sampled_from(languages)), label="posted"
    )
    with one_example():
        before = fingerprint(User)
        response = no_server_error(client.post(reverse("profile"), posted), posted)
        if not accepted(response, reverse("profile")):
            assert fingerprint(User) == before
            return
        person.refresh_from_db()
        clean_text(person.first_name, 150)
        clean_text(person.last_name, 150)
        assert person.language in languages


@fuzz
@given(data=st.data())
def test_the_choice_of_reminders_is_always_a_list_of_known_kinds(person, data):
    client = logged_in(person)
    kinds = [kind.name for kind in notifications.opt_out_kinds()]
    posted = data.draw(form(**{k: optional(st.just("on")) for k in kinds}), label="posted")
    url = reverse("participants:reminders")
    with one_example():
        before = fingerprint(User)
        response = no_server_error(client.post(url, posted), posted)
        if not accepted(response, url):
            assert fingerprint(User) == before
            return
        person.refresh_from_db()
        assert set(person.muted_notifications) <= set(kinds)


# The coordinators' review and matching.


@pytest.fixture
def review():
    coordinator = coordinator_with_mfa()
    cycle = CycleFactory(program__coordinators=[coordinator])
    people = {
        "applied": ParticipantFactory(cycle=cycle),
        "waitlisted": ParticipantFactory(cycle=cycle, status=Participant.Status.WAITLISTED),
        "withdrawn": ParticipantFactory(cycle=cycle, status=Participant.Status.WITHDRAWN),
        "theirs": ParticipantFactory(),
    }
    return coordinator, cycle, people


@fuzz
@given(data=st.data())
def test_deciding_on_registrations_changes_only_the_selected_ones(review, data):
    coordinator, cycle, people = review
    client = logged_in(coordinator)
    posted = data.draw(
        form(
            status=st.sampled_from(Participant.DECISIONS),
            participants=st.lists(id_or_not(*people.values()), min_size=1, max_size=4),
            query=optional(st.sampled_from(["role=mentee", "status=applied&page=2"])),
        ),
        label="posted",
    )
    url = reverse("participants:decide", args=[cycle.pk])
    outside = Participant.objects.exclude(cycle=cycle)
    withdrawn = Participant.objects.filter(status=Participant.Status.WITHDRAWN)
    with one_example():
        before = {p.pk: p.status for p in Participant.objects.all()}
        untouched = fingerprint(outside, withdrawn)
        no_server_error(client.post(url, posted), posted)
        assert fingerprint(outside, withdrawn) == untouched
        for participant in Participant.objects.filter(cycle=cycle):
            if participant.status != before[participant.pk]:
                assert str(participant.pk) in every(posted, "participants")
                assert participant.status == last(posted, "status")


@pytest.fixture
def matching_cycle():
    coordinator = coordinator_with_mfa()
    cycle = CycleFactory(program__coordinators=[coordinator], stage=Cycle.Stage.FORMING_PAIRS)
    cohort = matching_cohort(cycle, mentors=3, mentees=4)
    other = CycleFactory()
    matching_cohort(other, mentors=1, mentees=1, seed=2)
    return coordinator, cycle, cohort, other


def criterion_form(index, cycle, other):
    """The fields of the formset's form `index`: questions of the right questionnaire, or of
    the wrong one, or of another cycle."""
    of_cycle = Question.objects.filter(questionnaire__cycle=cycle)
    mentor_qs = of_cycle.filter(questionnaire__purpose="mentor_registration")
    mentee_qs = of_cycle.filter(questionnaire__purpose="mentee_registration")
    foreign = Question.objects.filter(questionnaire__cycle=other)
    question_ids = st.sampled_from([str(q.pk) for q in (*mentor_qs, *mentee_qs, *foreign)])
    return {
        f"form-{index}-mentor_question": st.one_of(ids(*mentor_qs), question_ids),
        f"form-{index}-mentee_question": st.one_of(ids(*mentee_qs), question_ids),
        f"form-{index}-rule": st.sampled_from(MatchingCriterion.Rule.values),
        f"form-{index}-weight": st.integers(0, 10).map(str),
        f"form-{index}-DELETE": optional(st.just("on")),
    }


@fuzz
@given(data=st.data())
def test_the_matching_criteria_save_all_or_nothing(matching_cycle, data):
    coordinator, cycle, _, other = matching_cycle
    client = logged_in(coordinator)
    existing = cycle.matching_criteria.order_by("pk").first()
    foreign = other.matching_criteria.first()
    fields = {
        "form-TOTAL_FORMS": st.sampled_from(["2", "1"]),
        "form-INITIAL_FORMS": st.just("1"),
        "form-MIN_NUM_FORMS": st.just("0"),
        "form-MAX_NUM_FORMS": st.just("1000"),
        "form-0-id": st.one_of(ids(existing), ids(foreign), st.just(ABSENT_ID)),
        "form-1-id": optional(ids(existing, foreign)),
        **criterion_form(0, cycle, other),
        **criterion_form(1, cycle, other),
    }
    posted = data.draw(form(**fields), label="posted")
    url = reverse("participants:matching_criteria", args=[cycle.pk])
    with one_example():
        before = fingerprint(MatchingCriterion)
        theirs = fingerprint(other.matching_criteria.all())
        response = no_server_error(client.post(url, posted), posted)
        assert fingerprint(other.matching_criteria.all()) == theirs
        if not accepted(response, reverse("participants:matching", args=[cycle.pk])):
            assert fingerprint(MatchingCriterion) == before
            return
        for criterion in cycle.matching_criteria.select_related(
            "mentor_question__questionnaire", "mentee_question__questionnaire"
        ):
            assert 0 <= criterion.weight <= 10
            assert criterion.rule in MatchingCriterion.Rule.values
            assert criterion.mentor_question.questionnaire.cycle == cycle
            assert criterion.mentor_question.questionnaire.purpose == "mentor_registration"
            assert criterion.mentee_question.questionnaire.cycle == cycle
            assert criterion.mentee_question.questionnaire.purpose == "mentee_registration"


@pytest.fixture
def hand_pairing():
    coordinator = coordinator_with_mfa()
    cycle = CycleFactory(program__coordinators=[coordinator], stage=Cycle.Stage.FORMING_PAIRS)
    accepted_in = {"cycle": cycle, "status": Participant.Status.ACCEPTED}
    busy = active_pairing(cycle)
    people = {
        "mentors": [ParticipantFactory(role="mentor", capacity=1, **accepted_in) for _ in "ab"],
        "mentees": [ParticipantFactory(**accepted_in) for _ in "ab"],
        "others": [
            *(m.participant for m in busy.memberships.all()),
            ParticipantFactory(cycle=cycle),  # applied, not accepted
            ParticipantFactory(role="mentor", status=Participant.Status.ACCEPTED),
        ],
    }
    return coordinator, cycle, people


@fuzz
@given(data=st.data())
def test_a_pairing_by_hand_is_made_whole_or_not_at_all(hand_pairing, data):
    coordinator, cycle, people = hand_pairing
    client = logged_in(coordinator)
    everyone = [*people["mentors"], *people["mentees"], *people["others"]]
    posted = data.draw(
        form(
            mentors=st.one_of(
                some_of(*people["mentors"]), some_of(*everyone), st.just([ABSENT_ID])
            ),
            mentees=st.one_of(some_of(*people["mentees"]), some_of(*everyone)),
            exceed_capacity=optional(st.sampled_from(["on", "1", "true"])),
        ),
        label="posted",
    )
    url = reverse("participants:pairing_new", args=[cycle.pk])
    with one_example():
        before = fingerprint(Pairing, Membership)
        busy = set(
            Membership.objects.filter(pairing__status="active").values_list(
                "participant", flat=True
            )
        )
        existing = set(Pairing.objects.values_list("pk", flat=True))
        response = no_server_error(client.post(url, posted), posted)
        if not accepted(response, reverse("participants:pairings", args=[cycle.pk])):
            assert fingerprint(Pairing, Membership) == before
            return
        created = Pairing.objects.exclude(pk__in=existing).get()
        assert created.cycle == cycle and created.status == Pairing.Status.ACTIVE
        members = list(created.members.all())
        assert {m.role for m in members} == {"mentor", "mentee"}
        for member in members:
            assert member.cycle == cycle and member.is_accepted
            assert member.pk not in busy


@pytest.fixture
def ending():
    coordinator = coordinator_with_mfa()
    pairing = active_pairing()
    pairing.cycle.program.coordinators.add(coordinator)
    return coordinator, pairing


@fuzz
@given(data=st.data())
def test_ending_a_pairing_needs_a_readable_reason(ending, data):
    coordinator, pairing = ending
    client = logged_in(coordinator)
    posted = data.draw(form(reason=TEXT), label="posted")
    url = reverse("participants:pairing_end", args=[pairing.pk])
    with one_example():
        before = fingerprint(Pairing)
        response = no_server_error(client.post(url, posted), posted)
        if not accepted(response, reverse("participants:pairings", args=[pairing.cycle_id])):
            assert fingerprint(Pairing) == before
            return
        pairing.refresh_from_db()
        assert pairing.status == Pairing.Status.ENDED
        clean_text(pairing.end_reason, 2000)


# The workspace: goals, plan items and meetings.


@pytest.fixture
def workspace():
    pairing = active_pairing()
    mentor = member_user(pairing, "mentor")
    theirs = active_pairing()
    return {
        "pairing": pairing,
        "theirs": theirs,
        "mentor": mentor,
        "goal": GoalFactory(pairing=pairing),
        "item": PlanItem.objects.create(pairing=pairing, what="Observe a lecture"),
        "meeting": MeetingFactory(pairing=pairing, logged_by=mentor),
        "their_goal": GoalFactory(pairing=theirs),
        "their_item": PlanItem.objects.create(pairing=theirs, what="Theirs"),
        "their_meeting": MeetingFactory(pairing=theirs, logged_by=member_user(theirs)),
    }


def target(data, world, name, url_new, url_edit):
    """The form's address: a new object, the pairing's own one, or one of another pairing."""
    which = data.draw(st.sampled_from(["new", "own", "theirs"]), label="target")
    pairing = world["pairing"]
    if which == "new":
        return reverse(f"meetings:{url_new}", args=[pairing.pk]), None
    obj = world[name] if which == "own" else world[f"their_{name}"]
    return reverse(f"meetings:{url_edit}", args=[pairing.pk, obj.pk]), obj


def their_work(world):
    """The rows of the other pairing, which no form of this one may touch."""
    theirs = world["theirs"]
    return (
        Goal.objects.filter(pairing=theirs),
        PlanItem.objects.filter(pairing=theirs),
        Meeting.objects.filter(pairing=theirs),
        Change.objects.filter(pairing=theirs),
    )


def plan_url(pairing):
    return reverse("meetings:pairing", args=[pairing.pk]) + "#plan"


@fuzz
@given(data=st.data())
def test_a_goal_saves_all_or_nothing(workspace, data):
    pairing = workspace["pairing"]
    client = logged_in(workspace["mentor"])
    url, _ = target(data, workspace, "goal", "goal_new", "goal_edit")
    posted = data.draw(
        form(
            title=TEXT,
            description=optional(TEXT),
            target_date=optional(st.dates().map(str)),
            status=st.sampled_from(Goal.Status.values),
            progress=st.integers(0, 100).map(str),
        ),
        label="posted",
    )
    with one_example():
        before = fingerprint(Goal, Change)
        untouched = fingerprint(*their_work(workspace))
        response = no_server_error(client.post(url, posted), posted)
        assert fingerprint(*their_work(workspace)) == untouched
        if not accepted(response, plan_url(pairing)):
            assert fingerprint(Goal, Change) == before
            return
        for goal in Goal.objects.all():
            assert 0 <= goal.progress <= 100 and goal.status in Goal.Status.values
            clean_text(goal.title, 200)
            assert "\x00" not in goal.description and len(goal.description) <= 2000


@fuzz
@given(data=st.data())
def test_a_plan_item_saves_all_or_nothing(workspace, data):
    pairing = workspace["pairing"]
    client = logged_in(workspace["mentor"])
    url, _ = target(data, workspace, "item", "plan_item_new", "plan_item_edit")
    posted = data.draw(
        form(
            what=TEXT,
            due_on=optional(st.dates().map(str)),
            goal=optional(st.one_of(ids(workspace["goal"]), ids(workspace["their_goal"]))),
            done=optional(st.just("on")),
        ),
        label="posted",
    )
    with one_example():
        before = fingerprint(PlanItem, Change)
        untouched = fingerprint(*their_work(workspace))
        response = no_server_error(client.post(url, posted), posted)
        assert fingerprint(*their_work(workspace)) == untouched
        if not accepted(response, plan_url(pairing)):
            assert fingerprint(PlanItem, Change) == before
            return
        for item in PlanItem.objects.select_related("goal"):
            assert item.goal is None or item.goal.pairing_id == item.pairing_id
            clean_text(item.what, 300)


@fuzz
@given(data=st.data())
def test_a_meeting_log_saves_all_or_nothing(workspace, data):
    pairing = workspace["pairing"]
    cycle = pairing.cycle
    today = timezone.localdate()
    client = logged_in(workspace["mentor"])
    url, _ = target(data, workspace, "meeting", "meeting_new", "meeting_edit")
    latest = min(cycle.ends_on, today + datetime.timedelta(days=Meeting.DAYS_AHEAD))
    posted = data.draw(
        form(
            held_on=st.dates(min_value=cycle.starts_on, max_value=latest).map(str),
            duration_minutes=st.integers(1, 600).map(str),
            format=st.sampled_from(Meeting.Format.values),
            topics=st.lists(st.sampled_from(Meeting.Topic.values), unique=True),
            goals=st.one_of(some_of(workspace["goal"]), some_of(workspace["their_goal"])),
            notes=optional(TEXT),
            next_steps=optional(TEXT),
            next_meeting_at=optional(st.just(f"{latest + datetime.timedelta(days=1)}T10:30")),
        ),
        label="posted",
    )
    tables = (Meeting, Meeting.goals.through)
    with one_example():
        before = fingerprint(*tables)
        untouched = fingerprint(*their_work(workspace))
        response = no_server_error(client.post(url, posted), posted)
        assert fingerprint(*their_work(workspace)) == untouched
        meetings_url = reverse("meetings:pairing", args=[pairing.pk]) + "#meetings"
        if not accepted(response, meetings_url):
            assert fingerprint(*tables) == before
            return
        for meeting in Meeting.objects.filter(pairing=pairing).prefetch_related("goals"):
            assert 1 <= meeting.duration_minutes <= 600
            assert cycle.starts_on <= meeting.held_on <= latest
            assert meeting.format in Meeting.Format.values
            assert set(meeting.topics) <= set(Meeting.Topic.values)
            assert all(goal.pairing_id == pairing.pk for goal in meeting.goals.all())
            assert "\x00" not in meeting.notes + meeting.next_steps
            assert len(meeting.notes) <= Meeting.NOTES_MAX and len(meeting.next_steps) <= 2000
            if meeting.next_meeting_at:
                assert timezone.localdate(meeting.next_meeting_at) > meeting.held_on


# Help requests.


@pytest.fixture
def asking():
    coordinator = coordinator_with_mfa()
    pairing = active_pairing()
    pairing.cycle.program.coordinators.add(coordinator)
    mentor = member_user(pairing, "mentor")
    own = mentor.participations.get()
    declined = ParticipantFactory(user=mentor, status=Participant.Status.DECLINED)
    theirs = ParticipantFactory(status=Participant.Status.ACCEPTED)
    question = HelpRequestFactory(participant=own, message="How?")
    return {
        "coordinator": coordinator,
        "mentor": mentor,
        "own": own,
        "declined": declined,
        "theirs": theirs,
        "question": question,
    }


@fuzz
@given(data=st.data())
def test_a_help_request_is_asked_whole_or_not_at_all(asking, data):
    mentor = asking["mentor"]
    client = logged_in(mentor)
    posted = data.draw(
        form(
            participant=st.one_of(ids(asking["own"]), ids(asking["declined"], asking["theirs"])),
            topic=st.sampled_from(HelpRequest.Topic.values),
            message=TEXT,
        ),
        label="posted",
    )
    with one_example():
        before = fingerprint(HelpRequest, Notification)
        existing = set(HelpRequest.objects.values_list("pk", flat=True))
        response = no_server_error(client.post(reverse("meetings:help"), posted), posted)
        created = HelpRequest.objects.exclude(pk__in=existing).first()
        if created is None:
            assert fingerprint(HelpRequest, Notification) == before
            return
        assert accepted(response, reverse("meetings:help_request", args=[created.pk]))
        assert created.participant == asking["own"]
        assert created.topic in HelpRequest.Topic.values
        clean_text(created.message, 4000)


@fuzz
@given(data=st.data())
def test_the_coordinators_answer_is_saved_whole_or_not_at_all(asking, data):
    client = logged_in(asking["coordinator"])
    question = asking["question"]
    posted = data.draw(form(answer=TEXT), label="posted")
    url = reverse("meetings:coordinate_help_detail", args=[question.pk])
    with one_example():
        before = fingerprint(HelpRequest, Notification)
        response = no_server_error(client.post(url, posted), posted)
        if not accepted(response, reverse("meetings:coordinate_help")):
            assert fingerprint(HelpRequest, Notification) == before
            return
        question.refresh_from_db()
        assert question.status == HelpRequest.Status.ANSWERED
        clean_text(question.answer, 4000)


# Events.


@pytest.fixture
def event_world():
    coordinator = coordinator_with_mfa()
    event = EventFactory(program=ProgramFactory(coordinators=[coordinator]), capacity=2)
    signups = {
        status: SignUpFactory(event=event, status=status)
        for status in ("confirmed", "waitlisted", "cancelled")
    }
    signups["theirs"] = SignUpFactory()  # at an event of another programme
    return coordinator, event, signups


@fuzz
@given(data=st.data())
def test_a_message_to_an_events_people_is_sent_whole_or_not_at_all(event_world, data):
    coordinator, event, _ = event_world
    client = logged_in(coordinator)
    posted = data.draw(form(subject=TEXT, body=TEXT), label="posted")
    url = reverse("events:message", args=[event.pk])
    with one_example():
        before = fingerprint(Message, Notification)
        response = no_server_error(client.post(url, posted), posted)
        if not accepted(response, reverse("events:attendance", args=[event.pk])):
            assert fingerprint(Message, Notification) == before
            return
        sent = Message.objects.get()
        clean_text(sent.subject, 150)
        clean_text(sent.body, 5000)
        assert sent.recipients == 2 and sent.event == event


@fuzz
@given(data=st.data())
def test_marking_attendance_changes_one_confirmed_sign_up_at_most(event_world, data):
    coordinator, event, signups = event_world
    client = logged_in(coordinator)
    signup = data.draw(st.sampled_from(list(signups.values())), label="signup")
    posted = data.draw(form(attended=st.sampled_from(["yes", "no", "unknown"])), label="posted")
    headers = data.draw(st.sampled_from([{}, {"HTTP_HX_REQUEST": "true"}]), label="headers")
    url = reverse("events:mark_attendance", args=[event.pk, signup.pk])
    others = SignUp.objects.exclude(pk=signup.pk)
    with one_example():
        before = fingerprint(SignUp)
        untouched = fingerprint(others)
        response = no_server_error(client.post(url, posted, **headers), posted)
        assert fingerprint(others) == untouched
        if response.status_code not in (200, 302):
            assert fingerprint(SignUp) == before
        if fingerprint(SignUp) != before:
            signup.refresh_from_db()
            assert signup.status == "confirmed" and signup.event == event
            marks = {"yes": True, "no": False, "unknown": None}
            assert signup.attended == marks[last(posted, "attended")]


# The lists' filters (GET): read only, never an error.


@pytest.fixture
def listed(review):
    coordinator, cycle, _ = review
    EventFactory(program=cycle.program)
    EventFactory(starts_at=timezone.now() - datetime.timedelta(days=3))
    visitors = {
        "coordinator": logged_in(coordinator),
        "person": logged_in(UserFactory()),
        "anonymous": Client(raise_request_exception=False),
    }
    return visitors, cycle


FILTERS = {
    "events:list": ["when", "kind", "programme", "page"],
    "participants:registrations": ["role", "status", "department", "page"],
    "meetings:coordinate_help": ["status", "page"],
}
EVERY_FILTER = sorted({name for names in FILTERS.values() for name in names})


@pytest.mark.parametrize("page", FILTERS)
@fuzz
@given(
    params=st.dictionaries(st.sampled_from(EVERY_FILTER), st.one_of(junk, st.lists(junk))),
    visitor=st.sampled_from(["coordinator", "person", "anonymous"]),
)
@example(params=dict.fromkeys(EVERY_FILTER, "\x00"), visitor="coordinator")
@example(params=dict.fromkeys(EVERY_FILTER, "²"), visitor="coordinator")
def test_the_filters_of_lists_never_fail(listed, page, params, visitor):
    visitors, cycle = listed
    url = reverse(page, args=[cycle.pk] if page == "participants:registrations" else [])
    no_server_error(visitors[visitor].get(url, params), params)


# The administration site's actions.


@pytest.fixture
def admin_world(review):
    coordinator, cycle, people = review
    later = CycleFactory(
        program=cycle.program,
        stage=Cycle.Stage.PREPARATION,
        starts_on=cycle.starts_on + datetime.timedelta(days=365),
        ends_on=cycle.ends_on + datetime.timedelta(days=365),
    )
    registration_questionnaire(cycle, "mentee")
    last = CycleFactory(program=cycle.program, stage=Cycle.Stage.COMPLETION)
    theirs = CycleFactory()
    return coordinator, [cycle, later, last], theirs, people


def action_data(actions, objects):
    return form(
        action=st.sampled_from(actions),
        _selected_action=st.lists(id_or_not(*objects), min_size=1, max_size=3),
        select_across=optional(st.sampled_from(["0", "1"])),
        index=optional(st.sampled_from(["0", "1"])),
        post=optional(st.just("yes")),
    )


def selected_across(posted) -> bool:
    return str(last(posted, "select_across") or "").lower() not in ("", "0", "false")


@fuzz
@given(data=st.data())
def test_the_decisions_of_the_admin_change_only_the_coordinators_selected_people(admin_world, data):
    coordinator, cycles, _, people = admin_world
    client = logged_in(coordinator)
    posted = data.draw(
        action_data(["accept", "waitlist", "decline", "delete_selected"], people.values()),
        label="posted",
    )
    url = reverse("admin:participants_participant_changelist")
    outside = Participant.objects.exclude(cycle__in=cycles)
    withdrawn = Participant.objects.filter(status=Participant.Status.WITHDRAWN)
    with one_example():
        before = {p.pk: p.status for p in Participant.objects.all()}
        untouched = fingerprint(outside, withdrawn)
        no_server_error(client.post(url, posted), posted)
        assert fingerprint(outside, withdrawn) == untouched
        assert Participant.objects.count() == len(before)
        changed = [p for p in Participant.objects.all() if p.status != before[p.pk]]
        assert len({p.status for p in changed}) <= 1, "one decision at a time"
        for participant in changed:
            assert participant.status in Participant.DECISIONS
            if not selected_across(posted):
                assert str(participant.pk) in every(posted, "_selected_action")


@fuzz
@given(data=st.data())
def test_the_cycle_actions_of_the_admin_touch_only_the_coordinators_cycles(admin_world, data):
    coordinator, cycles, theirs, _ = admin_world
    client = logged_in(coordinator)
    actions = ["advance_stage", "copy_previous_questionnaires", "add_ready_made", "delete_selected"]
    posted = data.draw(action_data(actions, [*cycles, theirs]), label="posted")
    url = reverse("admin:programs_cycle_changelist")
    outside = (
        Cycle.objects.filter(pk=theirs.pk),
        Questionnaire.objects.filter(cycle=theirs),
        StageEntry.objects.filter(cycle=theirs),
    )
    with one_example():
        stages = {c.pk: c.stage for c in Cycle.objects.all()}
        entries = {c.pk: c.stage_entries.count() for c in Cycle.objects.all()}
        untouched = fingerprint(*outside)
        no_server_error(client.post(url, posted), posted)
        assert fingerprint(*outside) == untouched
        for cycle in Cycle.objects.all():
            moved = cycle.stage - stages[cycle.pk]
            assert moved in (0, 1) and cycle.stage in Cycle.Stage.values
            assert cycle.stage_entries.count() - entries[cycle.pk] == moved
            purposes = list(cycle.questionnaires.values_list("purpose", flat=True))
            assert len(purposes) == len(set(purposes)), "one questionnaire a purpose"


# The inputs the fuzzing found, kept as plain tests so they are tried on every run.


def test_found_a_nul_in_the_events_filter_is_ignored(db):
    response = Client(raise_request_exception=False).get(
        reverse("events:list"), {"programme": "\x00"}
    )
    assert response.status_code == 200


def test_found_a_superscript_digit_selects_no_registration(db):
    from participants.models import Participant
    from tests.factories import CycleFactory, ParticipantFactory, UserFactory

    coordinator = UserFactory()
    cycle = CycleFactory(program__coordinators=[coordinator])
    ParticipantFactory(cycle=cycle)
    client = Client(raise_request_exception=False)
    client.force_login(coordinator)
    response = client.post(
        reverse("participants:decide", args=[cycle.pk]),
        {"status": "accepted", "participants": ["²"]},
        follow=True,
    )
    assert response.status_code == 200
    assert "Select at least one registration first." in response.content.decode()
    assert not Participant.objects.filter(status="accepted").exists()


def test_found_an_admin_action_on_a_selection_that_is_not_ids_changes_nothing(db):
    from programs.coordinators import grant_coordinator_access
    from tests.factories import CycleFactory, UserFactory

    staff = UserFactory()
    grant_coordinator_access(staff)
    cycle = CycleFactory(program__coordinators=[staff])
    client = Client(raise_request_exception=False)
    client.force_login(staff)
    response = client.post(
        reverse("admin:programs_cycle_changelist"),
        {"action": "advance_stage", "_selected_action": ["\x00", "abc"]},
        follow=True,
    )
    assert response.status_code == 200
    assert "No items have been changed." in response.content.decode()
    stage = cycle.stage
    cycle.refresh_from_db()
    assert cycle.stage == stage


def test_found_a_capacity_beyond_fifty_is_a_form_error(db):
    from participants.models import Participant
    from tests.factories import CycleFactory, UserFactory, registration_questionnaire

    cycle = CycleFactory()
    questionnaire = registration_questionnaire(cycle, "mentor")
    capacity = questionnaire.questions.get(matching_tag="capacity")
    client = Client(raise_request_exception=False)
    client.force_login(UserFactory())
    response = client.post(
        reverse("participants:register", args=[cycle.pk, "mentor"]), {f"q{capacity.pk}": "32768"}
    )
    assert response.status_code == 200
    assert "less than or equal to 50" in response.content.decode()
    assert not Participant.objects.exists()
