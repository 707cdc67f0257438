"""Every factory of the test suite, in one place."""

import datetime

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
