"""Realistic volumes for measuring the pages: `python -m tests.bench.load` fills an empty PostgreSQL
database with programmes, four yearly cycles each, their registrations, pairings, meetings,
goals, events and sent reminders, the big tables through COPY. Every name is invented; the same
seed on the same day gives the same data. `subjects()` finds the rows a benchmark logs in as.

Conventions the benchmark relies on: programmes are `load-01`, `load-02`, ...; `load-01` is the
largest; coordinators are `coordinator-NN@load.example`, participants `person-N@load.example`,
all with the password `load-password`.

Options: --pairings N (everything else scales with it), --seed S, --force (add the load beside
programmes the database already holds). The database is DATABASE_URL's, as for `manage.py`.
"""

import argparse
import csv
import datetime
import functools
import io
import itertools
import json
import os
import random
import sys
import time
import zoneinfo
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import django

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentorship.settings")
    django.setup()

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import CommandError
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Count
from django.utils import timezone, translation

from events.models import Event, SignUp
from meetings.models import Change, Goal, HelpRequest, Meeting, PlanItem, note_last_meetings
from meetings.reminders import PERIODS, REMINDER
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
from participants.pairings.services import criteria_from_tags
from programs.models import Cycle, Program, Question, Questionnaire, StageEntry
from programs.ready_made import add_ready_made_questionnaires

PASSWORD = "load-password"
DOMAIN = "load.example"
SUBJECT_SLUG = "load-01"
DEFAULT_PAIRINGS = 50_000
DEFAULT_SEED = 2026

PAIRINGS_A_PROGRAMME = 2_500
SUBJECT_SHARE = 0.10  # of all pairings, in load-01
CYCLE_SHARES = [0.2, 0.2, 0.2, 0.4]  # oldest first; the last is under way
GROUP_SHARE = 0.03  # one mentor with two mentees
EXTRA_SHARE = 0.05  # registrations left out of the pairings
ENDED_EARLY_SHARE = 0.04
MEETINGS = (5, 35)
MIN_SPAN_DAYS = 10  # from a pairing's start to its last meeting, room for the fewest meetings
EVENTS_EVERY = 25  # pairings
MIN_EVENTS = 40  # the small data has events to come too, as the large has
INSTITUTION_EVENT_SHARE = 0.05
UPCOMING_EVENT_SHARE = 0.10
HELP_REQUESTS_EVERY = 150  # pairings
CHUNK = 50_000  # rows a COPY

Role, Status = Participant.Role, Participant.Status
Purpose = Questionnaire.Purpose

FORMS = [
    (Program.Form.NEW_LECTURERS, "Mentoring new lecturers", "Faculty"),
    (Program.Form.TEACHER_TEACHER, "Teachers mentoring teachers", "School"),
    (Program.Form.PUPIL_PUPIL, "Pupils mentoring pupils", "Gymnasium"),
    (Program.Form.STUDENT_PUPIL, "Students mentoring pupils", "District"),
    (Program.Form.EMPLOYER_STUDENT, "Employers mentoring students", "Faculty"),
    (Program.Form.EMPLOYER_PUPIL, "Employers mentoring pupils", "Region"),
]
CADENCES = [Program.Cadence.MONTHLY, Program.Cadence.BIWEEKLY, Program.Cadence.WEEKLY]
ZONES = [("Europe/Vilnius", "lt"), ("Europe/Riga", "lv"), ("Europe/Moscow", "ru")]
LANGUAGES = ["en", "lt", "lv", "ru"]

# Common first names and surnames, combined at random: no real person is meant.
NAMES = {
    "lt": (
        ["Jonas", "Marius", "Tomas", "Paulius", "Darius", "Andrius", "Mantas", "Lukas"],
        ["Eglė", "Laura", "Greta", "Ieva", "Rūta", "Inga", "Vaida", "Simona"],
        [("Petrauskas", "Petrauskienė"), ("Kazlauskas", "Kazlauskienė"),
         ("Urbonas", "Urbonienė"), ("Navickas", "Navickienė"), ("Mockus", "Mockienė")],
    ),
    "lv": (
        ["Jānis", "Kārlis", "Andris", "Māris", "Edgars", "Roberts"],
        ["Ilze", "Marta", "Līga", "Zane", "Dace", "Anna"],
        [("Bērziņš", "Bērziņa"), ("Kalniņš", "Kalniņa"), ("Ozols", "Ozola"),
         ("Liepiņš", "Liepiņa"), ("Krūmiņš", "Krūmiņa"), ("Balodis", "Balode")],
    ),
    "ru": (
        ["Павел", "Сергей", "Дмитрий", "Алексей", "Иван", "Михаил"],
        ["Анна", "Ольга", "Мария", "Елена", "Наталья", "Татьяна"],
        [("Смирнов", "Смирнова"), ("Волков", "Волкова"), ("Кузнецов", "Кузнецова"),
         ("Попов", "Попова"), ("Соколов", "Соколова"), ("Морозов", "Морозова")],
    ),
    "en": (
        ["Oliver", "James", "Daniel", "Samuel", "Thomas", "Henry"],
        ["Emma", "Sophie", "Grace", "Chloe", "Hannah", "Lucy"],
        [("Taylor", "Taylor"), ("Walker", "Walker"), ("Harris", "Harris"),
         ("Clarke", "Clarke"), ("Turner", "Turner"), ("Hughes", "Hughes")],
    ),
}  # fmt: skip
DEPARTMENTS = [
    "Faculty of Chemistry", "Faculty of Physics", "Faculty of History", "Faculty of Medicine",
    "Faculty of Economics", "Faculty of Philology", "Mathematics department",
    "Primary classes", "Languages department", "Science department",
]  # fmt: skip
SUBJECTS = [
    "Organic chemistry, laboratory practice", "Mechanics, physics for engineers",
    "Modern history, source analysis", "Anatomy, clinical skills", "Microeconomics, statistics",
    "Academic writing, literature", "Calculus, linear algebra", "Reading and writing, grades 1-4",
]  # fmt: skip
EXPECTATIONS = [
    "Regular, honest conversations and examples from practice.",
    "Someone to ask when a lesson does not go as planned.",
    "Observing each other's classes and discussing them.",
    "Practical advice on planning and assessment.",
]
YEAR_GOALS = [
    "Design my first full course and its assessment.",
    "Feel confident in front of large groups.",
    "Learn to give feedback that learners use.",
    "Use digital tools for active learning.",
]
AVAILABILITY = ["Monday mornings", "Tuesday afternoons", "Fridays", "After 16:00"]
GOALS = [
    "Design a full course and its assessment", "Feel confident in front of large groups",
    "Give feedback that learners use", "Use digital tools for active learning",
    "Balance teaching with other duties", "Plan lessons around clear learning outcomes",
    "Keep a calm, working atmosphere in class", "Use formative assessment every week",
]  # fmt: skip
PLAN = [
    "Observe two sessions of my mentor", "Mentor observes my session and gives feedback",
    "Try exit tickets in three sessions", "Share a plan for comments",
    "Read the programme's guide on feedback", "Prepare a short talk for the reflection meeting",
]  # fmt: skip
NOTES = [
    "Went through next week's plans; agreed to cut the introduction to ten minutes.",
    "Discussed the observed session: good questions, too little time for pair work.",
    "Talked about a difficult group and agreed on three simple rules to introduce.",
    "Looked at the marking of the last test and how to write comments that are read.",
    "Reviewed progress on the goals; the plan for the next month stays as it is.",
    "",
]
NEXT_STEPS = [
    "Bring the plan of the open lesson.",
    "Try the new seating plan and note what changes.",
    "Read the chapter on formative assessment.",
    "",
    "",
]
END_REASONS = [
    "The mentee moved to another institution.",
    "Both agreed the goals were reached early.",
    "The mentor went on long-term leave.",
]
HELP_MESSAGES = [
    "Is there a template for the individual development plan?",
    "We cannot find a time to meet this month: what should we do?",
    "Can we change the format of our meetings to online?",
    "Where are the materials of the last seminar?",
]
HELP_ANSWERS = [
    "Yes: it is among the programme's documents. Fill it in together.",
    "Meet online for half an hour; that counts too.",
    "The recording is in the event's materials.",
]
EVENT_TITLES = {
    Event.Kind.STRATEGIC_START: "Strategic meeting: the year ahead",
    Event.Kind.REFLECTION_MIDDLE: "Halfway: what works, what does not",
    Event.Kind.REFLECTION_END: "Looking back at the year",
    Event.Kind.SEMINAR: "Seminar: feedback that is used",
    Event.Kind.WORKSHOP: "Workshop: active learning in large groups",
    Event.Kind.GUEST_TALK: "A practitioner on assessment",
    Event.Kind.MENTOR_TRAINING: "Mentor training: asking instead of telling",
    Event.Kind.MENTEE_PREPARATION: "Getting ready for mentoring",
    Event.Kind.OPENING: "Opening of the cycle",
    Event.Kind.CLOSING: "Closing of the cycle",
    Event.Kind.SUPERVISION: "Group supervision for mentors",
}
PLACES = ["Room 204", "Main building, hall B", "Library, seminar room", ""]


@dataclass
class ProgrammePlan:
    """A programme, the language most of its people speak and the pairings it gets."""

    program: Program
    language: str
    pairings: int
    coordinators: list[int] = field(default_factory=list)
    cycles: list["CyclePlan"] = field(default_factory=list)

    @property
    def cadence_days(self) -> int:
        return Program.CADENCE_DAYS[self.program.cadence]


@dataclass
class CyclePlan:
    """A cycle, its registration questionnaires and its accepted people, by role."""

    cycle: Cycle
    programme: ProgrammePlan
    pairings: int
    is_current: bool
    # role: (questionnaire id, [(question id, answers to draw from, required, is capacity)])
    questionnaires: dict = field(default_factory=dict)
    members: dict = field(default_factory=lambda: {Role.MENTOR: [], Role.MENTEE: []})


@dataclass(slots=True)
class Registration:
    """One person and their one registration: the user and the participant row."""

    cycle: CyclePlan
    role: str
    status: str
    capacity: int | None
    applied_at: datetime.datetime
    decided_at: datetime.datetime
    user_id: int = 0
    participant_id: int = 0


@dataclass(slots=True)
class Team:
    """A pairing: one mentor and one or two mentees, and how its meetings went."""

    cycle: CyclePlan
    status: str
    starts_on: datetime.date
    ends_on: datetime.date
    last_meeting_on: datetime.date
    meetings: int
    mentor: Registration
    mentees: list[Registration]
    pairing_id: int = 0

    @property
    def members(self) -> list[Registration]:
        return [self.mentor, *self.mentees]


@dataclass
class Load:
    """Everything planned for one run, held to link the rows of the tables written in turn."""

    rng: random.Random
    now: datetime.datetime
    today: datetime.date
    password: str
    pairings: int
    programmes: list[ProgrammePlan] = field(default_factory=list)
    registrations: list[Registration] = field(default_factory=list)
    teams: list[Team] = field(default_factory=list)
    first_response: int = 0
    first_goal: int = 0
    goals_discussed: list[tuple[int, int]] = field(default_factory=list)
    events: list[tuple[Event, list[int]]] = field(default_factory=list)

    @property
    def cycles(self) -> list[CyclePlan]:
        return [plan for programme in self.programmes for plan in programme.cycles]

    def logged(self, day: datetime.date, hour: int, zone: str) -> str:
        """A moment of a past day, as a COPY value; today and later become now."""
        if day >= self.today:
            return self.now.isoformat()
        return _moment(day, hour, zone)


@functools.cache
def _moment(day: datetime.date, hour: int, zone: str) -> str:
    return datetime.datetime.combine(day, datetime.time(hour), zoneinfo.ZoneInfo(zone)).isoformat()


def _days(number: int) -> datetime.timedelta:
    return datetime.timedelta(days=number)


def _month_end(day: datetime.date) -> datetime.date:
    return (day.replace(day=28) + _days(4)).replace(day=1) - _days(1)


def _split(total: int, weights: list[float]) -> list[int]:
    """`total` shared in proportion to `weights`, in whole numbers that add up to it."""
    scale = total / sum(weights)
    shares = [int(w * scale) for w in weights]
    by_remainder = sorted(range(len(weights)), key=lambda i: shares[i] - weights[i] * scale)
    for i in by_remainder[: total - sum(shares)]:
        shares[i] += 1
    return shares


# Refusals.


def refuse_unless_empty(*, force: bool) -> None:
    """COPY is PostgreSQL's; a load beside real programmes is asked for explicitly."""
    if connection.vendor != "postgresql":
        raise CommandError(
            f"The load is written with PostgreSQL's COPY; this database is {connection.vendor}. "
            "Point DATABASE_URL at a PostgreSQL database."
        )
    existing = Program.objects.count()
    if existing and not force:
        raise CommandError(
            f"This database already holds {existing} programme(s); the load is meant for an "
            "empty database. Use --force to add the load beside them."
        )
    if Program.objects.filter(slug=SUBJECT_SLUG).exists():
        raise CommandError(
            f"This database already holds a generated load (programme {SUBJECT_SLUG}), so "
            "--force cannot help: load into a new database instead."
        )


# COPY.


def _default(model_field):
    """A field's default as a COPY value, for the columns no row names."""
    value = model_field.get_default()
    if isinstance(model_field, models.JSONField):
        return json.dumps(value)
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    return value


def copy_rows(model, fields: list[str], rows: Iterable[tuple]) -> int:
    """Write `rows` (values of `fields`, in that order) with COPY, CHUNK rows at a time. The
    model's other columns get their field's default; an unnamed primary key its sequence's."""
    meta = model._meta
    named = [meta.get_field(name) for name in fields]
    rest = [f for f in meta.concrete_fields if f.name not in fields and not f.primary_key]
    constants = tuple(_default(f) for f in rest)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in [*named, *rest])
    # An unquoted empty CSV value is NULL: in a NOT NULL column it must be an empty string.
    not_null = ", ".join(quote(f.column) for f in [*named, *rest] if not f.null)
    sql = (
        f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN "
        f"WITH (FORMAT csv, FORCE_NOT_NULL ({not_null}))"
    )
    rows = iter(rows)
    count = 0
    with connection.cursor() as cursor:
        while chunk := list(itertools.islice(rows, CHUNK)):
            buffer = io.StringIO()
            writer = csv.writer(buffer, lineterminator="\n")
            writer.writerows((row + constants for row in chunk) if constants else chunk)
            buffer.seek(0)
            cursor.copy_expert(sql, buffer, 1 << 20)
            count += len(chunk)
    return count


def reserve_ids(model, count: int) -> int:
    """The first of `count` primary keys taken from the table's sequence, for rows written
    with their keys so that other rows can refer to them."""
    table = connection.ops.quote_name(model._meta.db_table)
    column = model._meta.pk.column
    count = max(count, 1)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence(%s, %s), "
            "nextval(pg_get_serial_sequence(%s, %s)) + %s - 1)",
            [table, column, table, column, count],
        )
        return cursor.fetchone()[0] - count + 1


# Programmes, coordinators, cycles and questionnaires: few rows, through the ORM.


def _programme_sizes(pairings: int, rng: random.Random) -> list[int]:
    """Pairings of each programme; the first, the benchmark's subject, is the largest."""
    count = max(1, pairings // PAIRINGS_A_PROGRAMME)
    if count == 1:
        return [pairings]
    first = round(pairings * max(SUBJECT_SHARE, 1.5 / (count + 0.5)))
    return [first, *_split(pairings - first, [rng.uniform(0.7, 1.3) for _ in range(count - 1)])]


def _person_name(language: str, rng: random.Random) -> tuple[str, str]:
    men, women, surnames = NAMES[language]
    male, female = rng.choice(surnames)
    if rng.random() < 0.5:
        return rng.choice(men), male
    return rng.choice(women), female


def _language(primary: str, rng: random.Random) -> str:
    return primary if rng.random() < 0.7 else rng.choice(LANGUAGES)


def create_programmes(load: Load) -> int:
    """Programmes of every form, cadence and time zone, `load-01` the largest."""
    rng = load.rng
    for n, size in enumerate(_programme_sizes(load.pairings, rng)):
        form, title, unit = FORMS[n % len(FORMS)]
        zone, language = ZONES[n % len(ZONES)]
        program = Program(
            name=f"{title}, {unit} {n // len(FORMS) + 1}",
            slug=f"load-{n + 1:02d}",
            description="Experienced colleagues support newcomers for a year, meeting regularly.",
            form=form,
            cadence=CADENCES[n % len(CADENCES)],
            meeting_minutes=rng.choice([45, 60, 60, 90]),
            contact_email=f"load-{n + 1:02d}@{DOMAIN}",
            time_zone=zone,
            privacy_notice="We keep your answers for the programme's matching and reports.",
        )
        load.programmes.append(ProgrammePlan(program=program, language=language, pairings=size))
    return len(Program.objects.bulk_create([p.program for p in load.programmes]))


def create_coordinators(load: Load) -> int:
    """One or two coordinators a programme, staff with a verified address, who can log in."""
    rng, people = load.rng, []
    for n, programme in enumerate(load.programmes):
        for _ in range(2 if n % 2 == 0 else 1):
            first, last = _person_name(programme.language, rng)
            user = User(
                email=f"coordinator-{len(people) + 1:02d}@{DOMAIN}",
                first_name=first,
                last_name=last,
                language=programme.language,
                is_staff=True,
                password=load.password,
                date_joined=load.now - _days(4 * 365 + 60),
            )
            people.append((programme, user))
    User.objects.bulk_create([user for _, user in people])
    EmailAddress.objects.bulk_create(
        EmailAddress(user=user, email=user.email, verified=True, primary=True) for _, user in people
    )
    Program.coordinators.through.objects.bulk_create(
        Program.coordinators.through(program_id=programme.program.pk, user_id=user.pk)
        for programme, user in people
    )
    for programme, user in people:
        programme.coordinators.append(user.pk)
    return len(people)


def _cycle_dates(today: datetime.date, years_back: int) -> tuple[datetime.date, datetime.date]:
    """The current cycle started about three months ago and ends about seven months ahead;
    the earlier ones are the same months of earlier years."""
    starts = (today - _days(80)).replace(day=1)
    ends = _month_end(today + _days(213))
    starts = starts.replace(year=starts.year - years_back)
    ends = _month_end(ends.replace(day=1, year=ends.year - years_back))
    return starts, ends


def _stage_entries(cycle: Cycle, zone: str) -> list[StageEntry]:
    """When the cycle went through its stages, up to the one it is in."""
    before_start = {1: 120, 2: 100, 3: 75, 4: 50, 5: 25}
    entries = []
    for stage in range(1, cycle.stage + 1):
        if stage in before_start:
            day = cycle.starts_on - _days(before_start[stage])
        elif stage == Cycle.Stage.WORKING:
            day = cycle.starts_on + _days(7)
        else:
            day = cycle.ends_on - _days(21)
        moment = datetime.datetime.combine(day, datetime.time(10), zoneinfo.ZoneInfo(zone))
        entries.append(StageEntry(cycle=cycle, stage=stage, entered_at=moment))
    return entries


def create_cycles(load: Load) -> int:
    """Four yearly cycles a programme, the last under way, with the history of their stages;
    the current cycle holds 40% of the programme's pairings."""
    for programme in load.programmes:
        zone = zoneinfo.ZoneInfo(programme.program.time_zone)
        shares = _split(programme.pairings, CYCLE_SHARES)
        for years_back, pairings in zip(range(3, -1, -1), shares, strict=True):
            starts, ends = _cycle_dates(load.today, years_back)
            opens = datetime.datetime.combine(starts - _days(100), datetime.time(9), zone)
            cycle = Cycle(
                program=programme.program,
                name=f"{starts.year}/{(starts.year + 1) % 100:02d}",
                starts_on=starts,
                ends_on=ends,
                registration_opens=opens,
                registration_closes=opens + _days(60),
                stage=Cycle.Stage.WORKING if years_back == 0 else Cycle.Stage.COMPLETION,
            )
            programme.cycles.append(CyclePlan(cycle, programme, pairings, years_back == 0))
    Cycle.objects.bulk_create([plan.cycle for plan in load.cycles])
    StageEntry.objects.bulk_create(
        entry
        for plan in load.cycles
        for entry in _stage_entries(plan.cycle, plan.programme.program.time_zone)
    )
    return len(load.cycles)


def create_questionnaires(load: Load) -> int:
    """The ready-made questionnaires and matching criteria of every cycle; returns the
    number of registration questions, which every registrant answers."""
    with translation.override("en"):
        for plan in load.cycles:
            add_ready_made_questionnaires(plan.cycle)
            criteria_from_tags(plan.cycle)
    return _plan_questions(load)


def _answers_to(question: Question, rng: random.Random) -> list[str]:
    """Answers a registrant might give to `question`, as JSON, to draw from."""
    kind, tag, text = question.kind, question.matching_tag, question.text
    if tag == Question.MatchingTag.DEPARTMENT:
        values = DEPARTMENTS
    elif kind == Question.Kind.MULTIPLE_CHOICE:
        choices = question.choices
        values = [rng.sample(choices, k=rng.randint(1, min(3, len(choices)))) for _ in range(40)]
    elif kind == Question.Kind.SINGLE_CHOICE:
        values = question.choices
    elif kind == Question.Kind.NUMBER:
        values = list(range(1, 31))
    elif kind == Question.Kind.SCALE:
        values = [1, 2, 3, 3, 4, 4, 4, 5, 5]
    elif kind == Question.Kind.YES_NO:
        values = [True, True, True, False]
    elif kind == Question.Kind.DATE:
        values = [f"2026-0{month}-15" for month in range(1, 10)]
    elif tag == Question.MatchingTag.AVAILABILITY:
        values = AVAILABILITY
    elif "Subjects" in text:
        values = SUBJECTS
    elif "goals" in text:
        values = YEAR_GOALS
    else:
        values = EXPECTATIONS
    return [json.dumps(value, ensure_ascii=False) for value in values]


def _plan_questions(load: Load) -> int:
    """Each cycle's registration questionnaires and what their questions are answered with."""
    by_cycle = {plan.cycle.pk: plan for plan in load.cycles}
    purposes = {Purpose.MENTOR_REGISTRATION: Role.MENTOR, Purpose.MENTEE_REGISTRATION: Role.MENTEE}
    answers, count = {}, 0
    questions = Question.objects.filter(
        questionnaire__cycle__in=list(by_cycle), questionnaire__purpose__in=list(purposes)
    ).select_related("questionnaire")
    for question in questions.order_by("questionnaire_id", "order", "pk"):
        questionnaire = question.questionnaire
        role = purposes[questionnaire.purpose]
        plan = by_cycle[questionnaire.cycle_id]
        _, planned = plan.questionnaires.setdefault(role, (questionnaire.pk, []))
        key = (question.text, question.kind, question.options)
        if key not in answers:
            answers[key] = _answers_to(question, load.rng)
        is_capacity = question.matching_tag == Question.MatchingTag.CAPACITY
        planned.append((question.pk, answers[key], question.required, is_capacity))
        count += 1
    return count


# People and pairings, planned in memory before any row is written.


def plan_people(load: Load) -> int:
    """Every registration and pairing, with the keys their rows will have."""
    for plan in load.cycles:
        _plan_cycle(load, plan)
    users = reserve_ids(User, len(load.registrations))
    participants = reserve_ids(Participant, len(load.registrations))
    for n, registration in enumerate(load.registrations):
        registration.user_id = users + n
        registration.participant_id = participants + n
    pairings = reserve_ids(Pairing, len(load.teams))
    for n, team in enumerate(load.teams):
        team.pairing_id = pairings + n
    return len(load.registrations)


def _register(load: Load, plan: CyclePlan, role: str, status: str, capacity=None):
    rng, cycle = load.rng, plan.cycle
    window = (cycle.registration_closes - cycle.registration_opens).total_seconds()
    applied = cycle.registration_opens + datetime.timedelta(seconds=rng.random() * window)
    decided = cycle.registration_closes + _days(rng.randint(1, 14))
    registration = Registration(
        plan, role, status, capacity, applied, applied if status == Status.APPLIED else decided
    )
    load.registrations.append(registration)
    return registration


def _plan_cycle(load: Load, plan: CyclePlan) -> None:
    """The cycle's pairings of accepted people, and some registrations left out of them."""
    rng = load.rng
    for _ in range(plan.pairings):
        mentees = 2 if rng.random() < GROUP_SHARE else 1
        capacity = mentees if mentees > 1 else rng.choice([1, 1, 1, 2])
        mentor = _register(load, plan, Role.MENTOR, Status.ACCEPTED, capacity)
        group = [_register(load, plan, Role.MENTEE, Status.ACCEPTED) for _ in range(mentees)]
        load.teams.append(_team(load, plan, mentor, group))
        plan.members[Role.MENTOR].append(mentor)
        plan.members[Role.MENTEE].extend(group)
    paired = len(plan.members[Role.MENTOR]) + len(plan.members[Role.MENTEE])
    left_out = (
        [Status.APPLIED, Status.WAITLISTED, Status.DECLINED]
        if plan.is_current
        else [Status.WAITLISTED, Status.DECLINED, Status.WITHDRAWN]
    )
    for _ in range(max(1, round(paired * EXTRA_SHARE))):
        role = Role.MENTOR if rng.random() < 0.35 else Role.MENTEE
        capacity = rng.choice([1, 2]) if role == Role.MENTOR else None
        _register(load, plan, role, rng.choice(left_out), capacity)


def _team(load: Load, plan: CyclePlan, mentor, mentees) -> Team:
    """The pairing's dates and the day of its last meeting: ended in past cycles, a few ended
    early in the current one, the others under way."""
    rng, cycle, today = load.rng, plan.cycle, load.today
    if plan.is_current and rng.random() >= ENDED_EARLY_SHARE:
        status, ends = Pairing.Status.ACTIVE, cycle.ends_on
        starts, last = _active_dates(load, plan)
    else:
        status = Pairing.Status.ENDED
        starts = cycle.starts_on + _days(rng.randint(7, 28))
        if plan.is_current:
            ends = starts + _days(rng.randint(30, max(30, (today - starts).days - 1)))
            last = ends - _days(rng.randint(0, 10))
        else:
            ends = cycle.ends_on
            if rng.random() < ENDED_EARLY_SHARE:
                ends = starts + _days(rng.randint(60, (ends - starts).days))
            last = ends - _days(rng.randint(0, 20))
    meetings = min(rng.randint(*MEETINGS), (last - starts).days + 1)
    return Team(plan, status, starts, ends, last, meetings, mentor, mentees)


def _active_dates(load: Load, plan: CyclePlan) -> tuple[datetime.date, datetime.date]:
    """Started in the cycle's first weeks; the last meeting, for about 70%, within their
    cadence's days, for 20% within two, for 10% longer ago (those started first)."""
    rng, today, days = load.rng, load.today, plan.programme.cadence_days
    roll = rng.random()
    latest_start = 28
    if roll < 0.7:
        ago = rng.randint(0, days - 1)
    elif roll < 0.9:
        ago = rng.randint(days, 2 * days - 1)
    else:
        ago, latest_start = rng.randint(2 * days, 3 * days), 10
    starts = plan.cycle.starts_on + _days(rng.randint(7, latest_start))
    return starts, min(today, max(starts + _days(MIN_SPAN_DAYS), today - _days(ago)))


# The people's tables, through COPY.


def copy_users(load: Load) -> int:
    """One user a registration, named in their language, joined just before registering."""
    return copy_rows(
        User,
        ["id", "password", "email", "first_name", "last_name", "language", "date_joined"],
        _user_rows(load),
    )  # fmt: skip


def _user_rows(load: Load):
    rng = load.rng
    for n, registration in enumerate(load.registrations):
        language = _language(registration.cycle.programme.language, rng)
        first, last = _person_name(language, rng)
        joined = registration.applied_at - datetime.timedelta(minutes=rng.randint(5, 4000))
        yield (
            registration.user_id, load.password, f"person-{n + 1}@{DOMAIN}", first, last,
            language, joined.isoformat(),
        )  # fmt: skip


def copy_email_addresses(load: Load) -> int:
    """Every address verified, as after the confirmation link: they log in with a password."""
    return copy_rows(
        EmailAddress,
        ["user", "email", "verified", "primary"],
        (
            (r.user_id, f"person-{n + 1}@{DOMAIN}", True, True)
            for n, r in enumerate(load.registrations)
        ),
    )


def copy_participants(load: Load) -> int:
    """The registrations; the pupils of pupil programmes are minors whose guardian agreed."""
    return copy_rows(
        Participant,
        ["id", "user", "cycle", "role", "status", "capacity", "consented_at", "is_minor",
         "guardian_consent_at", "guardian_consent_by", "applied_at", "status_changed_at"],
        (_participant_row(registration) for registration in load.registrations),
    )  # fmt: skip


def _participant_row(registration: Registration) -> tuple:
    programme = registration.cycle.programme
    minor = programme.program.has_pupils and registration.role == Role.MENTEE
    applied, decided = registration.applied_at, registration.decided_at
    consent = min(applied + _days(5), decided - datetime.timedelta(hours=1))
    return (
        registration.participant_id, registration.user_id, registration.cycle.cycle.pk,
        registration.role, registration.status, registration.capacity, applied.isoformat(),
        minor, consent.isoformat() if minor else None,
        programme.coordinators[0] if minor else None, applied.isoformat(), decided.isoformat(),
    )  # fmt: skip


def copy_responses(load: Load) -> int:
    """Each registration's response to its role's registration questionnaire."""
    first = load.first_response = reserve_ids(Response, len(load.registrations))
    return copy_rows(
        Response,
        ["id", "participant", "questionnaire", "submitted_at", "updated_at"],
        (
            (first + n, r.participant_id, r.cycle.questionnaires[r.role][0],
             r.applied_at.isoformat(), r.applied_at.isoformat())
            for n, r in enumerate(load.registrations)
        ),
    )  # fmt: skip


def copy_answers(load: Load) -> int:
    """Every required question answered, most optional ones too; a mentor's capacity answer
    is the capacity of their registration."""
    return copy_rows(Answer, ["response", "question", "value"], _answer_rows(load))


def _answer_rows(load: Load):
    random_ = load.rng.random
    for n, registration in enumerate(load.registrations):
        _, questions = registration.cycle.questionnaires[registration.role]
        for question, answers, required, is_capacity in questions:
            if is_capacity:
                value = str(registration.capacity or 1)
            elif required or random_() < 0.6:
                value = answers[int(random_() * len(answers))]
            else:
                continue
            yield (load.first_response + n, question, value)


# The pairings' tables, through COPY.


def _zone(team: Team) -> str:
    return team.cycle.programme.program.time_zone


def copy_pairings(load: Load) -> int:
    """Published a few days before they started; those that ended early say why."""
    rng = load.rng
    rows = []
    for team in load.teams:
        if team.status == Pairing.Status.ACTIVE:
            reason = ""
        elif team.ends_on < team.cycle.cycle.ends_on:
            reason = rng.choice(END_REASONS)
        else:
            reason = "The cycle ended."
        published = load.logged(team.starts_on - _days(3), 11, _zone(team))
        rows.append(
            (team.pairing_id, team.cycle.cycle.pk, team.status, team.starts_on, team.ends_on,
             reason, round(rng.uniform(4, 30), 2), published)
        )  # fmt: skip
    return copy_rows(
        Pairing,
        ["id", "cycle", "status", "starts_on", "ends_on", "end_reason", "score", "created_at"],
        rows,
    )


def copy_memberships(load: Load) -> int:
    return copy_rows(
        Membership,
        ["pairing", "participant", "joined_at"],
        (
            (team.pairing_id, member.participant_id,
             load.logged(team.starts_on - _days(3), 11, _zone(team)))
            for team in load.teams
            for member in team.members
        ),
    )  # fmt: skip


def _goal_status(current: bool, rng: random.Random) -> tuple[str, int]:
    roll = rng.random()
    if current:
        if roll < 0.3:
            return Goal.Status.NOT_STARTED, 0
        if roll < 0.85:
            return Goal.Status.IN_PROGRESS, rng.choice(range(10, 100, 10))
        return Goal.Status.ACHIEVED, 100
    if roll < 0.6:
        return Goal.Status.ACHIEVED, 100
    if roll < 0.8:
        return Goal.Status.IN_PROGRESS, rng.choice(range(50, 100, 10))
    return Goal.Status.DROPPED, rng.choice(range(0, 50, 10))


def copy_goals(load: Load) -> int:
    """Three goals a pairing, set in its first days; most reached in the past cycles."""
    first = load.first_goal = reserve_ids(Goal, 3 * len(load.teams))
    return copy_rows(
        Goal,
        ["id", "pairing", "title", "target_date", "status", "progress", "created_at"],
        _goal_rows(load, first),
    )


def _goal_rows(load: Load, first: int):
    rng = load.rng
    for n, team in enumerate(load.teams):
        created = load.logged(team.starts_on + _days(2), 17, _zone(team))
        for k, title in enumerate(rng.sample(GOALS, 3)):
            status, progress = _goal_status(team.cycle.is_current, rng)
            target = team.starts_on + _days(rng.randint(60, 240))
            yield (first + 3 * n + k, team.pairing_id, title, target, status, progress, created)


def copy_plan_items(load: Load) -> int:
    """Two steps of the activity plan a pairing, for its first goal; most past ones done."""
    return copy_rows(
        PlanItem,
        ["pairing", "goal", "what", "due_on", "done", "created_at"],
        _plan_rows(load),
    )


def _plan_rows(load: Load):
    rng = load.rng
    for n, team in enumerate(load.teams):
        created = load.logged(team.starts_on + _days(2), 17, _zone(team))
        for what in rng.sample(PLAN, 2):
            due = min(team.ends_on, team.starts_on + _days(rng.randint(20, 150)))
            done = due < load.today and rng.random() < 0.8
            yield (team.pairing_id, load.first_goal + 3 * n, what, due, done, created)


def copy_changes(load: Load) -> int:
    """The current pairings' history: a goal added by the mentee, its progress moved by the
    mentor."""
    return copy_rows(
        Change,
        ["pairing", "author", "at", "subject", "title", "action", "fields"],
        _change_rows(load),
    )


def _change_rows(load: Load):
    changed = json.dumps([{"field": "progress", "old": 0, "new": 20}])
    for team in load.teams:
        if not team.cycle.is_current:
            continue
        zone = _zone(team)
        mentee, mentor = team.mentees[0].user_id, team.mentor.user_id
        title = GOALS[team.pairing_id % len(GOALS)]
        yield (team.pairing_id, mentee, load.logged(team.starts_on + _days(2), 17, zone),
               Change.Subject.GOAL, title, Change.Action.CREATED, "[]")  # fmt: skip
        yield (team.pairing_id, mentor, load.logged(team.starts_on + _days(30), 18, zone),
               Change.Subject.GOAL, title, Change.Action.CHANGED, changed)  # fmt: skip


def _meeting_styles(rng: random.Random) -> list[tuple]:
    """Durations, formats, topics, notes and next steps in the mixes pairs log them."""
    formats = [Meeting.Format.IN_PERSON] * 10 + [Meeting.Format.ONLINE] * 7 + [
        Meeting.Format.PHONE, Meeting.Format.OBSERVATION, Meeting.Format.OBSERVATION,
    ]  # fmt: skip
    topics = Meeting.Topic.values
    return [
        (
            rng.choice([30, 45, 45, 60, 60, 60, 90, 120]),
            rng.choice(formats),
            json.dumps(rng.sample(topics, k=rng.randint(1, 3))),
            rng.choice(NOTES),
            rng.choice(NEXT_STEPS),
        )
        for _ in range(499)
    ]


def note_pairings_last_meetings(load: Load) -> int:
    """Each pairing keeps the date of its latest meeting and the count and minutes of its
    meetings, as logging one does."""
    note_last_meetings()
    return len(load.teams)


def copy_meetings(load: Load) -> int:
    """The meetings of every pairing, from its start to its last meeting: logged by one
    member, mostly confirmed by another the next day; a goal discussed at every third."""
    first = reserve_ids(Meeting, sum(team.meetings for team in load.teams))
    return copy_rows(
        Meeting,
        ["id", "pairing", "cycle", "logged_by", "held_on", "duration_minutes", "format", "topics",
         "notes", "next_steps", "next_meeting_at", "confirmed_by", "confirmed_at", "created_at"],
        _meeting_rows(load, first),
    )  # fmt: skip


def _meeting_days(team: Team, rng: random.Random) -> list[datetime.date]:
    span = (team.last_meeting_on - team.starts_on).days
    offsets = sorted(rng.sample(range(span), team.meetings - 1))
    return [team.starts_on + _days(offset) for offset in [*offsets, span]]


def _meeting_rows(load: Load, number: int):
    rng, today = load.rng, load.today
    random_ = rng.random
    styles = _meeting_styles(rng)
    for n, team in enumerate(load.teams):
        zone, cycle = _zone(team), team.cycle.cycle.pk
        users = [member.user_id for member in team.members]
        under_way = team.status == Pairing.Status.ACTIVE
        days = _meeting_days(team, rng)
        for i, day in enumerate(days):
            logger = users[int(random_() * len(users))]
            other = next(user for user in users if user != logger)
            is_last = i == len(days) - 1
            confirmed = day < today and random_() < (0.5 if is_last and under_way else 0.95)
            next_at = None
            if not is_last and random_() < 0.3:
                next_at = _moment(days[i + 1], 16, zone)
            elif is_last and under_way and random_() < 0.4:
                next_at = _moment(today + _days(rng.randint(1, 10)), 15, zone)
            yield (
                number, team.pairing_id, cycle, logger, day, *styles[int(random_() * len(styles))],
                next_at, other if confirmed else None,
                load.logged(day + _days(1), 9, zone) if confirmed else None,
                load.logged(day, 19, zone),
            )  # fmt: skip
            if i % 3 == 0:
                load.goals_discussed.append((number, load.first_goal + 3 * n + (i // 3) % 3))
            number += 1


def copy_goals_discussed(load: Load) -> int:
    return copy_rows(Meeting.goals.through, ["meeting", "goal"], load.goals_discussed)


# Events, reminders sent and requests for help.


def _cycle_on(programme: ProgrammePlan, day: datetime.date) -> CyclePlan:
    """The programme's cycle under way on `day`, else the last one started before it."""
    started = [plan for plan in programme.cycles if plan.cycle.starts_on <= day]
    return started[-1] if started else programme.cycles[0]


def _event_audience(rng: random.Random) -> str:
    roll = rng.random()
    for audience, share in (
        (Event.Audience.MEMBERS, 0.4),
        (Event.Audience.EVERYONE, 0.6),
        (Event.Audience.MENTORS, 0.75),
        (Event.Audience.MENTEES, 0.9),
    ):
        if roll < share:
            return audience
    return Event.Audience.COORDINATORS


def _event_day(load: Load, rng: random.Random) -> datetime.date:
    """Over the four years, about one event in ten still to come."""
    first = min(plan.cycle.starts_on for plan in load.cycles)
    last = max(plan.cycle.ends_on for plan in load.cycles)
    if rng.random() < UPCOMING_EVENT_SHARE:
        return load.today + _days(rng.randint(1, min(120, (last - load.today).days)))
    return first + _days(rng.randint(0, (load.today - first).days - 1))


def _audience_users(programme: ProgrammePlan, day: datetime.date, audience: str) -> list[int]:
    """The users who might sign up: the audience among the cycle's accepted members."""
    if audience == Event.Audience.COORDINATORS:
        return programme.coordinators
    members = _cycle_on(programme, day).members
    return [r.user_id for role in Event.AUDIENCE_ROLES[audience] for r in members[role]]


def create_events(load: Load) -> int:
    """Events of every kind and audience over the four years, shared among the programmes
    by size; some of the whole institution."""
    rng = load.rng
    total = max(MIN_EVENTS, load.pairings // EVENTS_EVERY)
    institution = round(total * INSTITUTION_EVENT_SHARE)
    shares = _split(total - institution, [p.pairings for p in load.programmes])
    hosts = [p for p, n in zip(load.programmes, shares, strict=True) for _ in range(n)]
    load.events = [_event(load, rng, host) for host in [*hosts, *[None] * institution]]
    return len(Event.objects.bulk_create([event for event, _ in load.events]))


def _event(load: Load, rng: random.Random, host: ProgrammePlan | None):
    day = _event_day(load, rng)
    programme = host or rng.choice(load.programmes)
    zone = zoneinfo.ZoneInfo(programme.program.time_zone)
    starts = datetime.datetime.combine(day, datetime.time(rng.choice([10, 14, 16])), zone)
    audience = _event_audience(rng)
    cycle = _cycle_on(programme, day).cycle
    in_cycle = host is not None and cycle.starts_on <= day <= cycle.ends_on and rng.random() < 0.5
    kind = rng.choice(Event.Kind.values)
    online = rng.random() < 0.3
    event = Event(
        program=host.program if host else None,
        cycle=cycle if in_cycle else None,
        kind=kind,
        title=EVENT_TITLES[kind],
        description="A short input, work in small groups and a shared summary.",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=rng.choice([1, 2, 2, 3])),
        place="" if online else rng.choice(PLACES),
        online_link=f"https://meet.{DOMAIN}/{rng.randint(1000, 9999)}" if online else "",
        audience=audience,
        capacity=rng.randint(15, 40) if rng.random() < 0.4 else None,
        signup_deadline=starts - _days(2) if rng.random() < 0.3 else None,
    )
    return event, _audience_users(programme, day, audience)


def copy_signups(load: Load) -> int:
    """Ten to thirty of the audience an event: waitlisted once it is full, some cancelled,
    attendance marked for the events that took place."""
    return copy_rows(
        SignUp, ["event", "user", "status", "signed_up_at", "attended"], _signup_rows(load)
    )


def _signup_rows(load: Load):
    rng = load.rng
    for event, users in load.events:
        past = event.ends_at < load.now
        confirmed = 0
        for user in rng.sample(users, min(len(users), rng.randint(10, 30))):
            status = SignUp.Status.CANCELLED if rng.random() < 0.1 else SignUp.Status.CONFIRMED
            if status == SignUp.Status.CONFIRMED:
                if event.capacity is not None and confirmed >= event.capacity:
                    status = SignUp.Status.WAITLISTED
                else:
                    confirmed += 1
            asked = event.starts_at - datetime.timedelta(hours=rng.randint(48, 720))
            attended = (rng.random() < 0.85) if past and status == SignUp.Status.CONFIRMED else None
            yield (event.pk, user, status, min(asked, load.now).isoformat(), attended)


def copy_notifications(load: Load) -> int:
    """Two meeting reminders each paired person was sent, in two periods of the cadence."""
    return copy_rows(
        Notification,
        ["recipient", "kind", "content_type", "object_id", "period", "program", "state",
         "attempts", "created_at", "next_attempt_at", "queued_at", "claimed_at", "sent_at"],
        _notification_rows(load),
    )  # fmt: skip


def _notification_rows(load: Load):
    about = ContentType.objects.get_for_model(Pairing).pk
    for team in load.teams:
        program = team.cycle.programme.program
        step = _days(team.cycle.programme.cadence_days + 1)
        days = [team.starts_on + step, team.starts_on + 2 * step]
        if days[1] >= load.today:
            days = [team.starts_on, team.starts_on + step]
        for day in days:
            sent = load.logged(day, 9, program.time_zone)
            period = PERIODS[program.cadence](day)
            for member in team.members:
                yield (member.user_id, REMINDER, about, team.pairing_id, period, program.pk,
                       Notification.State.SENT, 1, sent, sent, sent, sent, sent)  # fmt: skip


def create_help_requests(load: Load) -> int:
    """Questions to the coordinators, most from pairings under way, some still open."""
    rng = load.rng
    current = [team for team in load.teams if team.cycle.is_current]
    requests = []
    for _ in range(max(5, load.pairings // HELP_REQUESTS_EVERY)):
        team = rng.choice(current if current and rng.random() < 0.7 else load.teams)
        requests.append(_help_request(load, rng, team))
    return len(HelpRequest.objects.bulk_create(requests))


def _help_request(load: Load, rng: random.Random, team: Team) -> HelpRequest:
    last = min(load.today - _days(1), team.ends_on)
    day = team.starts_on + _days(rng.randint(0, max(0, (last - team.starts_on).days)))
    zone = zoneinfo.ZoneInfo(_zone(team))
    asked = datetime.datetime.combine(day, datetime.time(rng.randint(8, 20)), zone)
    roll = rng.random() if team.cycle.is_current else 1.0
    if roll < 0.3:
        status = HelpRequest.Status.OPEN
    elif roll < 0.7:
        status = HelpRequest.Status.ANSWERED
    else:
        status = HelpRequest.Status.CLOSED
    answered = status != HelpRequest.Status.OPEN
    return HelpRequest(
        participant_id=rng.choice(team.members).participant_id,
        topic=rng.choice(HelpRequest.Topic.values),
        message=rng.choice(HELP_MESSAGES),
        status=status,
        answer=rng.choice(HELP_ANSWERS) if answered else "",
        answered_by_id=team.cycle.programme.coordinators[0] if answered else None,
        answered_at=min(load.now, asked + _days(1)) if answered else None,
        closed_at=min(load.now, asked + _days(3)) if status == HelpRequest.Status.CLOSED else None,
        created_at=asked,
    )


# The run.

WRITTEN = [
    Program, Program.coordinators.through, User, EmailAddress, Cycle, StageEntry, Questionnaire,
    Question, MatchingCriterion, Participant, Response, Answer, Pairing, Membership, Goal,
    PlanItem, Change, Meeting, Meeting.goals.through, Event, SignUp, Notification, HelpRequest,
]  # fmt: skip


def finish(load: Load) -> int:
    """Sequences moved past the keys written, so that the site's own inserts work, and fresh
    statistics, so that the planner knows the tables' sizes at once."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), WRITTEN):
            cursor.execute(sql)
        for model in WRITTEN:
            cursor.execute(f"ANALYZE {quote(model._meta.db_table)}")
    return len(WRITTEN)


STEPS = [
    ("programmes", create_programmes),
    ("coordinators", create_coordinators),
    ("cycles", create_cycles),
    ("registration questions", create_questionnaires),
    ("registrations planned", plan_people),
    ("users", copy_users),
    ("email addresses", copy_email_addresses),
    ("participants", copy_participants),
    ("responses", copy_responses),
    ("answers", copy_answers),
    ("pairings", copy_pairings),
    ("members", copy_memberships),
    ("goals", copy_goals),
    ("plan items", copy_plan_items),
    ("changes", copy_changes),
    ("meetings", copy_meetings),
    ("meetings noted", note_pairings_last_meetings),
    ("goals discussed", copy_goals_discussed),
    ("events", create_events),
    ("sign-ups", copy_signups),
    ("reminders sent", copy_notifications),
    ("help requests", create_help_requests),
    ("tables analysed", finish),
]


def generate(*, pairings: int, seed: int, force: bool, write: Callable[[str], None]) -> dict:
    """Fill the database, all or nothing, printing each table's rows and seconds; return the
    benchmark's subjects."""
    refuse_unless_empty(force=force)
    started = time.perf_counter()
    load = Load(
        rng=random.Random(seed),
        now=timezone.now(),
        today=timezone.localdate(),
        password=make_password(PASSWORD),
        pairings=pairings,
    )
    with transaction.atomic():
        for label, step in STEPS:
            step_started = time.perf_counter()
            count = step(load)
            write(f"{label:<24} {count:>11,} {time.perf_counter() - step_started:8.1f} s")
        write("Committing: PostgreSQL checks every reference now.")
        step_started = time.perf_counter()
    write(f"{'committed':<24} {'':>11} {time.perf_counter() - step_started:8.1f} s")
    if not connection.in_atomic_block:  # (a test's transaction cannot vacuum)
        step_started = time.perf_counter()
        with connection.cursor() as cursor:
            # As autovacuum leaves a live database: statistics and the visibility map, without
            # which index-only scans read every row's page.
            cursor.execute("VACUUM (ANALYZE)")
        write(f"{'vacuumed':<24} {'':>11} {time.perf_counter() - step_started:8.1f} s")
    write(f"{'total':<24} {'':>11} {time.perf_counter() - started:8.1f} s")
    return subjects()


def subjects() -> dict:
    """The rows a benchmark logs in as and looks at: load-01, its current cycle and first
    coordinator, and the mentee of its lowest-numbered active pairing with ten meetings."""
    program = Program.objects.filter(slug=SUBJECT_SLUG).first()
    if program is None:
        raise LookupError(f"No programme {SUBJECT_SLUG}: run `python -m tests.bench.load` first.")
    coordinator = program.coordinators.order_by("pk").values_list("pk", flat=True).first()
    cycle = program.cycles.order_by("-starts_on").values_list("pk", flat=True).first()
    pairing = (
        Pairing.objects.active()
        .filter(cycle=cycle)
        .annotate(meeting_count=Count("meetings"))
        .filter(meeting_count__gte=10)
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )
    participant = (
        Participant.objects.mentees()
        .filter(pairings=pairing)
        .order_by("pk")
        .values_list("user_id", flat=True)
        .first()
    )
    return {
        "program": program.pk,
        "cycle": cycle,
        "coordinator": coordinator,
        "pairing": pairing,
        "participant": participant,
    }


def main(argv: list[str] | None = None, write: Callable[[str], None] = print) -> dict:
    """Parse the options, generate, and print the benchmark's subjects."""
    parser = argparse.ArgumentParser(prog="python -m tests.bench.load", description=__doc__)
    parser.add_argument("--pairings", type=int, default=DEFAULT_PAIRINGS)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--force", action="store_true")
    options = parser.parse_args(argv)
    if options.pairings < 1:
        raise CommandError("Give at least one pairing with --pairings.")
    found = generate(pairings=options.pairings, seed=options.seed, force=options.force, write=write)
    write("The load is in. The benchmark's subjects:")
    for name, pk in found.items():
        write(f"  {name:<12} {pk}")
    write(f"  {'password':<12} {PASSWORD} (every generated account)")
    return found


if __name__ == "__main__":
    try:
        main()
    except CommandError as error:
        sys.exit(f"Nothing was written: {error}")
