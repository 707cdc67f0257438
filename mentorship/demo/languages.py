"""Invented demo programmes that work in one language: a Lithuanian university's programme for
new lecturers and a Russian-speaking school's pupil-pupil programme (one of the target model's
forms), with their texts, people, pairs, goals, meetings and events in that language. Every
name is made up; running it again changes nothing already there."""

import datetime
import random
from dataclasses import dataclass

from django.utils import timezone, translation

from events.models import Event, SignUp
from meetings.models import Goal, Meeting
from participants.models import Answer, Membership, Pairing, Participant, Response
from programs.models import Cycle, Program, Question, Questionnaire
from programs.ready_made import add_ready_made_questionnaires


@dataclass(frozen=True)
class Spec:
    """One programme in one language, and what its people wrote."""

    language: str
    slug: str
    name: str
    description: str
    privacy_notice: str
    form: str
    cadence: str
    coordinator: tuple  # (email, first name, last name)
    mentors: list  # (email, first name, last name)
    mentees: list
    minors: bool
    texts: list  # free-text answers
    goals: list
    notes: list
    event: tuple  # (kind, title, description, place)


LITHUANIAN = Spec(
    language="lt",
    slug="nauju-destytoju-mentoryste",
    name="Naujų dėstytojų mentorystė",
    description=(
        "Pirmuosius metus dėstantys kolegos susiporuoja su patyrusiu kitos fakulteto dalies "
        "dėstytoju: kartu kelia tikslus, reguliariai susitinka ir dalyvauja Dėstymo kompetencijų "
        "centro seminaruose."
    ),
    privacy_notice=(
        "Jūsų atsakymus mato tik programos koordinatoriai; jie naudojami poroms sudaryti ir "
        "programos ataskaitai. Duomenys saugomi trejus metus po ciklo pabaigos."
    ),
    form=Program.Form.NEW_LECTURERS,
    cadence=Program.Cadence.MONTHLY,
    coordinator=("koordinatore@universitetas.example", "Dalia", "Kazlauskienė"),
    mentors=[
        ("algirdas.mentorius@universitetas.example", "Algirdas", "Stankevičius"),
        ("jurate.mentore@universitetas.example", "Jūratė", "Paulauskienė"),
    ],
    mentees=[
        ("mantas.destytojas@universitetas.example", "Mantas", "Vasiliauskas"),
        ("egle.destytoja@universitetas.example", "Eglė", "Butkutė"),
    ],
    minors=False,
    texts=[
        "Organinė chemija, laboratoriniai darbai",
        "Noriu drąsiau vesti paskaitas didelėms grupėms.",
        "Reguliarių pokalbių ir pavyzdžių iš praktikos.",
    ],
    goals=[
        "Parengti pirmojo dalyko programą ir vertinimo tvarką",
        "Išbandyti aktyvaus mokymosi metodus",
    ],
    notes=[
        "Aptarėme kito semestro dalyko planą ir vertinimo kriterijus.",
        "Stebėjome vienas kito paskaitas ir aptarėme, kas pavyko.",
    ],
    event=(
        "seminar",
        "Seminaras: grįžtamasis ryšys studentams",
        "Trumpas įvadas ir darbas grupėse.",
        "Centriniai rūmai, 214 aud.",
    ),
)

RUSSIAN = Spec(
    language="ru",
    slug="shkola-nastavnichestva",
    name="Школа наставничества «ученик – ученик»",
    description=(
        "Старшеклассники помогают ученикам младших классов: вместе ставят цели, встречаются "
        "каждую неделю и участвуют в мероприятиях школы. Программа следует целевой модели "
        "наставничества."
    ),
    privacy_notice=(
        "Ответы анкеты видят только координаторы программы. Для участников младше 18 лет "
        "необходимо согласие родителя или законного представителя."
    ),
    form=Program.Form.PUPIL_PUPIL,
    cadence=Program.Cadence.WEEKLY,
    coordinator=("zavuch@shkola.example", "Ирина", "Соколова"),
    mentors=[
        ("maksim.nastavnik@shkola.example", "Максим", "Орлов"),
        ("sofia.nastavnik@shkola.example", "София", "Морозова"),
    ],
    mentees=[
        ("artem.uchenik@shkola.example", "Артём", "Лебедев"),
        ("polina.uchenica@shkola.example", "Полина", "Егорова"),
    ],
    minors=True,
    texts=[
        "Математика, 7 класс",
        "Хочу лучше понимать алгебру и не бояться контрольных.",
        "Помощь с домашними заданиями и советы по подготовке.",
    ],
    goals=["Подтянуть алгебру к концу четверти", "Подготовиться к школьной олимпиаде"],
    notes=[
        "Разобрали домашнее задание и составили план на неделю.",
        "Решали задачи к контрольной, договорились о следующей встрече.",
    ],
    event=(
        "opening",
        "Открытие года наставничества",
        "Знакомство наставников и наставляемых.",
        "Актовый зал",
    ),
)


def _answer(question: Question, rng: random.Random, texts: list):
    if question.kind == Question.Kind.SCALE:
        return rng.randint(3, 5)
    if question.kind == Question.Kind.YES_NO:
        return True
    if question.kind == Question.Kind.NUMBER:
        return 1
    if question.kind == Question.Kind.SINGLE_CHOICE:
        return rng.choice(question.choices)
    if question.kind == Question.Kind.MULTIPLE_CHOICE:
        return rng.sample(question.choices, k=min(2, len(question.choices)))
    if question.kind == Question.Kind.DATE:
        return None
    return rng.choice(texts)


def _person(ensure_person, person_class, email, first, last, language):
    return ensure_person(person_class(email, first, last, language))


def create(spec: Spec, ensure_person, person_class, rng: random.Random) -> Program:
    """The programme of `spec`, with a cycle under way, two published pairs, their goals and
    meetings, and an event."""
    coordinator = _person(ensure_person, person_class, *spec.coordinator, spec.language)
    program, created = Program.objects.get_or_create(
        slug=spec.slug,
        defaults={
            "name": spec.name, "description": spec.description, "form": spec.form,
            "cadence": spec.cadence, "privacy_notice": spec.privacy_notice,
            "contact_email": spec.coordinator[0],
        },
    )  # fmt: skip
    program.coordinators.add(coordinator)
    if not created:
        return program
    today = timezone.localdate()
    cycle = Cycle.objects.create(
        program=program, name=f"{today.year}/{str(today.year + 1)[-2:]}",
        starts_on=today - datetime.timedelta(days=80),
        ends_on=today + datetime.timedelta(days=200),
        registration_opens=timezone.now() - datetime.timedelta(days=120),
        registration_closes=timezone.now() - datetime.timedelta(days=90),
        stage=Cycle.Stage.WORKING,
    )  # fmt: skip
    with translation.override(spec.language):
        add_ready_made_questionnaires(cycle)
    people = {}
    for role, group in (("mentor", spec.mentors), ("mentee", spec.mentees)):
        for email, first, last in group:
            user = _person(ensure_person, person_class, email, first, last, spec.language)
            participant = Participant.objects.create(
                user=user, cycle=cycle, role=role, status=Participant.Status.ACCEPTED,
                consented_at=timezone.now(), is_minor=spec.minors,
                guardian_consent_at=timezone.now() if spec.minors else None,
                guardian_consent_by=coordinator if spec.minors else None,
            )  # fmt: skip
            questionnaire = cycle.questionnaire_for(Questionnaire.registration_purpose(role))
            response = Response.objects.create(participant=participant, questionnaire=questionnaire)
            Answer.objects.bulk_create(
                Answer(response=response, question=q, value=value)
                for q in questionnaire.questions.all()
                if (value := _answer(q, rng, spec.texts)) is not None
            )
            people.setdefault(role, []).append(participant)
    for mentor, mentee in zip(people["mentor"], people["mentee"], strict=True):
        _pair(cycle, mentor, mentee, spec, rng)
    _event(program, cycle, spec, [p.user for role in people.values() for p in role])
    return program


def _pair(cycle, mentor, mentee, spec: Spec, rng: random.Random) -> None:
    pairing = Pairing.objects.create(
        cycle=cycle, status=Pairing.Status.ACTIVE,
        starts_on=cycle.starts_on + datetime.timedelta(days=7), ends_on=cycle.ends_on,
    )  # fmt: skip
    Membership.objects.bulk_create(
        Membership(pairing=pairing, participant=p) for p in (mentor, mentee)
    )
    for n, title in enumerate(spec.goals):
        Goal.objects.create(pairing=pairing, title=title, progress=30 + 20 * n,
                            status=Goal.Status.IN_PROGRESS)  # fmt: skip
    step = 7 if spec.cadence == Program.Cadence.WEEKLY else 21
    day = pairing.starts_on + datetime.timedelta(days=2)
    while day < timezone.localdate() - datetime.timedelta(days=2):
        Meeting.objects.create(
            pairing=pairing, logged_by=mentee.user, held_on=day, duration_minutes=45,
            topics=["planning", "progress"], notes=rng.choice(spec.notes),
            confirmed_by=mentor.user,
            confirmed_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(18))),
        )  # fmt: skip
        day += datetime.timedelta(days=step)


def _event(program, cycle, spec: Spec, users) -> None:
    kind, title, description, place = spec.event
    starts = timezone.localtime().replace(hour=15, minute=0, second=0, microsecond=0)
    event = Event.objects.create(
        program=program, cycle=cycle, kind=kind, title=title, description=description,
        place=place, audience=Event.Audience.MEMBERS,
        starts_at=starts + datetime.timedelta(days=10),
        ends_at=starts + datetime.timedelta(days=10, hours=2),
    )  # fmt: skip
    SignUp.objects.bulk_create(
        SignUp(event=event, user=user, status=SignUp.Status.CONFIRMED) for user in users
    )
