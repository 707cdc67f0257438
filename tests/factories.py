"""Every factory of the test suite, in one place."""

import datetime
import random
from types import SimpleNamespace

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.utils import timezone

from events.models import SignUp
from meetings.models import HelpRequest
from participants.models import Membership, Notification, Pairing, Participant
from programs.models import Cycle, Program, Question, Questionnaire

PASSWORD = "a-long-test-password"


class UserFactory(factory.django.DjangoModelFactory):
    """A person who can log in: active, with a verified primary address."""

    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@university.example")
    first_name = factory.Sequence(lambda n: f"Firstname{n}")
    last_name = factory.Sequence(lambda n: f"Lastname{n}")
    language = "en"

    @factory.post_generation
    def password(user, create, extracted, **kwargs):
        user.set_password(extracted or PASSWORD)
        if create:
            user.save(update_fields=["password"])

    @factory.post_generation
    def verified(user, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)


class CoordinatorFactory(UserFactory):
    is_staff = True


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"New lecturers programme {n}")
    slug = factory.Sequence(lambda n: f"programme-{n}")
    description = "Experienced lecturers support colleagues in their first year."
    contact_email = factory.Sequence(lambda n: f"mentoring{n}@university.example")

    @factory.post_generation
    def coordinators(program, create, extracted, **kwargs):
        if create and extracted:
            program.coordinators.add(*extracted)


class CycleFactory(factory.django.DjangoModelFactory):
    """A cycle whose registration is open now."""

    class Meta:
        model = Cycle

    program = factory.SubFactory(ProgramFactory)
    name = factory.Sequence(lambda n: f"{2026 + n}/{27 + n}")
    starts_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))
    ends_on = factory.LazyAttribute(lambda c: c.starts_on + datetime.timedelta(days=300))
    registration_opens = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=7))
    registration_closes = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=14))
    stage = Cycle.Stage.MENTEE_BASE


class WorkingCycleFactory(CycleFactory):
    """A cycle under way: started two months ago, pairs at work (meetings can be logged today)."""

    starts_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=60))
    ends_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=240))
    stage = Cycle.Stage.WORKING


class QuestionnaireFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Questionnaire

    cycle = factory.SubFactory(CycleFactory)
    purpose = Questionnaire.Purpose.MENTEE_REGISTRATION
    title = "Registration of mentees"


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    questionnaire = factory.SubFactory(QuestionnaireFactory)
    order = factory.Sequence(lambda n: n)
    text = factory.Sequence(lambda n: f"Question {n}")
    kind = Question.Kind.SHORT_TEXT


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    user = factory.SubFactory(UserFactory)
    cycle = factory.SubFactory(CycleFactory)
    role = Participant.Role.MENTEE


def registration_questionnaire(cycle, role="mentee"):
    """A registration questionnaire with one question of every kind."""
    questionnaire = QuestionnaireFactory(
        cycle=cycle, purpose=Questionnaire.registration_purpose(role), title=f"Registration {role}"
    )
    kinds = [
        ("Department", Question.Kind.SHORT_TEXT, "", Question.MatchingTag.DEPARTMENT),
        ("Your goals", Question.Kind.LONG_TEXT, "", ""),
        ("Meeting format", Question.Kind.SINGLE_CHOICE, "In person\nOnline", ""),
        (
            "Competences",
            Question.Kind.MULTIPLE_CHOICE,
            "Assessment\nCourse design\nDigital tools",
            "",
        ),
        ("Confidence", Question.Kind.SCALE, "", ""),
        ("First year of teaching?", Question.Kind.YES_NO, "", ""),
        ("How many mentees can you take?", Question.Kind.NUMBER, "", Question.MatchingTag.CAPACITY),
        ("Available from", Question.Kind.DATE, "", ""),
    ]
    for order, (text, kind, options, tag) in enumerate(kinds, 1):
        QuestionFactory(
            questionnaire=questionnaire, order=order, text=text, kind=kind, options=options,
            matching_tag=tag, required=kind != Question.Kind.DATE,
        )  # fmt: skip
    return questionnaire


COMPETENCES = ["Assessment", "Course design", "Digital tools", "Engagement", "Feedback",
               "Large groups", "Research supervision", "Teaching in English"]  # fmt: skip
LANGUAGES = ["Lithuanian", "Latvian", "Russian", "English"]
DEPARTMENTS = [f"Faculty {n}" for n in range(1, 13)]
FORMATS = ["In person", "Online", "Either"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


def matching_cohort(cycle, *, mentors: int, mentees: int, seed: int = 1) -> dict:
    """A cycle ready for matching, written in bulk: two questionnaires with five tagged
    questions each (and the mentor's capacity, 1-3), five criteria over them, and accepted
    mentors and mentees with random answers. Returns the questions and criteria by tag."""
    from participants.models import MatchingCriterion

    rng = random.Random(seed)
    Tag, Rule = Question.MatchingTag, MatchingCriterion.Rule
    spec = [
        (Tag.COMPETENCES_OFFERED, Tag.COMPETENCES_WANTED, Rule.OVERLAP, 8, COMPETENCES),
        (Tag.LANGUAGE, Tag.LANGUAGE, Rule.MUST_MATCH, 0, LANGUAGES),
        (Tag.DEPARTMENT, Tag.DEPARTMENT, Rule.DIFFERENT, 3, DEPARTMENTS),
        (Tag.MEETING_FORMAT, Tag.MEETING_FORMAT, Rule.SAME, 2, FORMATS),
        (Tag.AVAILABILITY, Tag.AVAILABILITY, Rule.OVERLAP, 2, DAYS),
    ]
    if cycle.matching_criteria.exists():  # more people for a cohort made before
        criteria = {c.mentor_question.matching_tag: c for c in cycle.matching_criteria.all()}
        questionnaires = {c.questionnaire.purpose.split("_")[0]: c.questionnaire for c in
                          [criteria[Tag.LANGUAGE].mentor_question,
                           criteria[Tag.LANGUAGE].mentee_question]}  # fmt: skip
        capacity = Question.objects.get(
            questionnaire=questionnaires["mentor"], matching_tag=Tag.CAPACITY
        )
        return _cohort_people(
            cycle, criteria, questionnaires, capacity, mentors, mentees, rng, seed
        )
    questionnaires = {
        role: QuestionnaireFactory(
            cycle=cycle, purpose=Questionnaire.registration_purpose(role), title=role
        )
        for role in ("mentor", "mentee")
    }

    def question(role, tag, choices, order):
        single = tag in (Tag.DEPARTMENT, Tag.MEETING_FORMAT)
        return QuestionFactory(
            questionnaire=questionnaires[role], order=order, text=f"{tag} ({role})",
            kind=Question.Kind.SINGLE_CHOICE if single else Question.Kind.MULTIPLE_CHOICE,
            options="\n".join(choices), matching_tag=tag,
        )  # fmt: skip

    criteria = {}
    for order, (mentor_tag, mentee_tag, rule, weight, choices) in enumerate(spec, 1):
        criteria[mentor_tag] = MatchingCriterion.objects.create(
            cycle=cycle,
            mentor_question=question("mentor", mentor_tag, choices, order),
            mentee_question=question("mentee", mentee_tag, choices, order),
            rule=rule,
            weight=weight,
        )
    capacity = QuestionFactory(
        questionnaire=questionnaires["mentor"], order=9, text="Capacity",
        kind=Question.Kind.NUMBER, matching_tag=Tag.CAPACITY,
    )  # fmt: skip
    return _cohort_people(cycle, criteria, questionnaires, capacity, mentors, mentees, rng, seed)


def _cohort_people(cycle, criteria, questionnaires, capacity, mentors, mentees, rng, seed):
    from participants.models import Answer, Response

    User = get_user_model()
    users = User.objects.bulk_create(
        User(email=f"cohort{seed}-{n}@university.example", first_name=f"F{n}", last_name=f"L{n}")
        for n in range(mentors + mentees)
    )
    roles = ["mentor"] * mentors + ["mentee"] * mentees
    capacities = [rng.randint(1, 3) if role == "mentor" else None for role in roles]
    participants = Participant.objects.bulk_create(
        Participant(user=u, cycle=cycle, role=r, capacity=c, status=Participant.Status.ACCEPTED)
        for u, r, c in zip(users, roles, capacities, strict=True)
    )
    responses = Response.objects.bulk_create(
        Response(participant=p, questionnaire=questionnaires[p.role]) for p in participants
    )
    answers = []
    for response, participant in zip(responses, participants, strict=True):
        role = participant.role
        for c in criteria.values():
            q = c.mentor_question if role == "mentor" else c.mentee_question
            choices = q.choices
            if q.kind == Question.Kind.SINGLE_CHOICE:
                value = rng.choice(choices)
            else:
                value = rng.sample(choices, rng.randint(1, min(3, len(choices))))
            answers.append(Answer(response=response, question=q, value=value))
        if role == "mentor":
            answers.append(Answer(response=response, question=capacity, value=participant.capacity))
    Answer.objects.bulk_create(answers, batch_size=5000)
    return {"criteria": criteria, "participants": participants}


class PairingFactory(factory.django.DjangoModelFactory):
    """A published pairing of an accepted mentor and an accepted mentee, started 30 days ago in
    a cycle under way. `members=[...]` gives its members instead (none: `members=[]`);
    `members__mentors=2` makes two mentors (`active_pairing` says it shorter)."""

    class Meta:
        model = Pairing
        skip_postgeneration_save = True

    class Params:
        started_days_ago = 30

    cycle = factory.SubFactory(WorkingCycleFactory)
    status = Pairing.Status.ACTIVE
    starts_on = factory.LazyAttribute(
        lambda p: timezone.localdate() - datetime.timedelta(days=p.started_days_ago)
    )
    ends_on = factory.LazyAttribute(lambda p: p.cycle.ends_on)

    @factory.post_generation
    def members(pairing, create, extracted, mentors=1, mentees=1, **kwargs):
        if not create:
            return
        if extracted is None:
            roles = [Participant.Role.MENTOR] * mentors + [Participant.Role.MENTEE] * mentees
            extracted = [
                ParticipantFactory(
                    cycle=pairing.cycle, role=role, status=Participant.Status.ACCEPTED
                )
                for role in roles
            ]
        # One by one, not in bulk: each membership's post_save tells `programs.reach`.
        for participant in extracted:
            Membership.objects.create(pairing=pairing, participant=participant)


def active_pairing(cycle=None, *, mentors=1, mentees=1, started_days_ago=30, **cycle_fields):
    """A published pairing of accepted mentors and mentees, started some days ago in a cycle
    that is under way (so meetings can be logged today)."""
    return PairingFactory(
        cycle=cycle or WorkingCycleFactory(**cycle_fields),
        started_days_ago=started_days_ago,
        members__mentors=mentors,
        members__mentees=mentees,
    )


def member_user(pairing, role="mentor"):
    """The user of the pairing's first member with that role."""
    return pairing.memberships.filter(participant__role=role).first().participant.user


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "meetings.Goal"

    title = factory.Sequence(lambda n: f"Goal {n}: plan an active-learning seminar")
    description = "Design and run one seminar with group work."


class MeetingFactory(factory.django.DjangoModelFactory):
    """A meeting held yesterday (give `pairing` and, usually, `logged_by`)."""

    class Meta:
        model = "meetings.Meeting"

    held_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=1))
    duration_minutes = 60
    topics = factory.LazyFunction(lambda: ["planning"])
    notes = "Private notes of the pair."


class EventFactory(factory.django.DjangoModelFactory):
    """A seminar for everyone, a week from now, two hours long, with no limit of places."""

    class Meta:
        model = "events.Event"

    program = factory.SubFactory(ProgramFactory)
    kind = "seminar"
    title = factory.Sequence(lambda n: f"Seminar {n}: active learning in large groups")
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda e: e.starts_at + datetime.timedelta(hours=2))
    place = "Main building, room 101"
    audience = "everyone"


class SignUpFactory(factory.django.DjangoModelFactory):
    """A confirmed place at an event."""

    class Meta:
        model = SignUp

    event = factory.SubFactory(EventFactory)
    user = factory.SubFactory(UserFactory)
    status = SignUp.Status.CONFIRMED


class HelpRequestFactory(factory.django.DjangoModelFactory):
    """An open question of an accepted participant to their programme's coordinators."""

    class Meta:
        model = HelpRequest

    participant = factory.SubFactory(ParticipantFactory, status=Participant.Status.ACCEPTED)
    topic = HelpRequest.Topic.METHODS
    message = "How do I start a seminar with a group that does not talk?"


def planned_email(n: int) -> dict:
    """The period of the n-th email of a test: the ledger's key besides its recipient, kind,
    subject, programme and state, so that only this function names it. Different for each
    email, as the ledger holds one per recipient, kind, subject and period."""
    return {"period": f"2026-W10-{n}"}


class NotificationFactory(factory.django.DjangoModelFactory):
    """An email of the ledger, waiting to be sent: a meeting reminder, by default to a new
    person and of no programme."""

    class Meta:
        model = Notification

    class Params:
        planned = factory.Sequence(planned_email)

    recipient = factory.SubFactory(UserFactory)
    kind = "meeting_reminder"
    program = None
    state = Notification.State.PENDING

    @classmethod
    def _adjust_kwargs(cls, planned, **kwargs):
        """The fields `planned_email` gives, unless the test gives them itself; an email the
        test says nothing of is about its recipient."""
        return {"about": kwargs["recipient"], **planned, **kwargs}


def build_cast() -> SimpleNamespace:
    """The people every access test asks, as healthchecks' alice, bob and charlie; built once
    per test (their addresses are unique), as the `cast` fixture or by hand:

    - `program` "New lecturers" (new-lecturers) with its `cycle`, under way, and its
      `coordinator` Rasa Vaitkute;
    - the cycle's active `pairing` of the `mentor` Ruta Kazlauskaite and the `mentee` Marius
      Stankevicius, both accepted (their registrations: `mentor_registration`,
      `mentee_registration`);
    - `other_program` "Pupil to pupil" (pupil-to-pupil), with its `other_cycle`, open for
      registration, and its coordinator, `other_coordinator` Andrius Balciunas;
    - the `outsider` Karolis Zemaitis, who has an account and no part in anything;
    - the `superuser` Dalia Jankauskiene, the site's administrator."""

    def named(first_name, last_name):
        email = f"{first_name}.{last_name}@university.example".lower()
        return {"first_name": first_name, "last_name": last_name, "email": email}

    c = SimpleNamespace()
    c.coordinator = CoordinatorFactory(**named("Rasa", "Vaitkute"))
    c.program = ProgramFactory(
        name="New lecturers", slug="new-lecturers", coordinators=[c.coordinator]
    )
    c.cycle = WorkingCycleFactory(program=c.program)
    c.mentor = UserFactory(**named("Ruta", "Kazlauskaite"))
    c.mentee = UserFactory(**named("Marius", "Stankevicius"))
    accepted = {"cycle": c.cycle, "status": Participant.Status.ACCEPTED}
    c.mentor_registration = ParticipantFactory(user=c.mentor, role="mentor", **accepted)
    c.mentee_registration = ParticipantFactory(user=c.mentee, role="mentee", **accepted)
    c.pairing = PairingFactory(
        cycle=c.cycle, members=[c.mentor_registration, c.mentee_registration]
    )

    c.other_coordinator = CoordinatorFactory(**named("Andrius", "Balciunas"))
    c.other_program = ProgramFactory(
        name="Pupil to pupil", slug="pupil-to-pupil", coordinators=[c.other_coordinator]
    )
    c.other_cycle = CycleFactory(program=c.other_program)

    c.outsider = UserFactory(**named("Karolis", "Zemaitis"))
    c.superuser = UserFactory(**named("Dalia", "Jankauskiene"), is_staff=True, is_superuser=True)
    return c
