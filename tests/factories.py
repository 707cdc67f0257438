"""Every factory of the test suite, in one place."""

import datetime
import random

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.utils import timezone

from participants.models import Participant
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


def active_pairing(cycle=None, *, mentors=1, mentees=1, started_days_ago=30, **cycle_fields):
    """A published pairing of accepted mentors and mentees, started some days ago in a cycle
    that is under way (so meetings can be logged today)."""
    from participants.models import Membership, Pairing

    if cycle is None:
        today = timezone.localdate()
        cycle_fields.setdefault("starts_on", today - datetime.timedelta(days=60))
        cycle_fields.setdefault("ends_on", today + datetime.timedelta(days=240))
        cycle_fields.setdefault("stage", Cycle.Stage.WORKING)
        cycle = CycleFactory(**cycle_fields)
    pairing = Pairing.objects.create(
        cycle=cycle,
        status=Pairing.Status.ACTIVE,
        starts_on=timezone.localdate() - datetime.timedelta(days=started_days_ago),
        ends_on=cycle.ends_on,
    )
    roles = [Participant.Role.MENTOR] * mentors + [Participant.Role.MENTEE] * mentees
    for role in roles:
        participant = ParticipantFactory(cycle=cycle, role=role, status=Participant.Status.ACCEPTED)
        Membership.objects.create(pairing=pairing, participant=participant)
    return pairing


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
