"""Invented demo data: a university programme for newly hired lecturers and a school's
teacher-teacher programme, and the people in them. Every name is made up; running it again
changes nothing that is already there."""

import datetime
import functools
import random
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import timezone, translation

from events.models import Event, SignUp
from meetings.models import Change, Goal, HelpRequest, Meeting, PlanItem
from mentorship.demo import languages as demo_languages
from participants.models import Answer, Membership, Pairing, Participant, Response
from participants.pairings.services import criteria_from_tags
from programs.models import Cycle, Program, Question, Questionnaire
from programs.ready_made import add_ready_made_questionnaires

PASSWORD = "mentorship-demo"


@dataclass(frozen=True)
class Person:
    email: str
    first_name: str
    last_name: str
    language: str
    is_staff: bool = False
    is_superuser: bool = False


ADMIN = Person("admin@example.org", "Ada", "Admin", "en", is_staff=True, is_superuser=True)
UNIVERSITY_COORDINATOR = Person(
    "coordinator@university.example", "Rasa", "Vaitkutė", "lt", is_staff=True
)
SCHOOL_COORDINATOR = Person("deputy.head@school.example", "Ilze", "Kalniņa", "lv", is_staff=True)

FIRST_NAMES = [
    "Jonas", "Eglė", "Marius", "Laura", "Tomas", "Greta", "Paulius", "Ieva", "Darius", "Rūta",
    "Andrius", "Inga", "Mantas", "Vaida", "Karolis", "Aušra", "Lukas", "Simona",
]  # fmt: skip
LAST_NAMES = [
    ("Petrauskas", "Petrauskienė"), ("Kazlauskas", "Kazlauskienė"), ("Žukauskas", "Žukauskienė"),
    ("Stankevičius", "Stankevičienė"), ("Balčiūnas", "Balčiūnienė"), ("Urbonas", "Urbonienė"),
    ("Navickas", "Navickienė"), ("Mockus", "Mockienė"), ("Jankauskas", "Jankauskienė"),
]  # fmt: skip
FEMALE = {"Eglė", "Laura", "Greta", "Ieva", "Rūta", "Inga", "Vaida", "Aušra", "Simona"}
DEPARTMENTS = [
    "Faculty of Chemistry", "Faculty of Physics", "Faculty of History", "Faculty of Medicine",
    "Faculty of Economics", "Faculty of Philology", "Faculty of Mathematics",
]  # fmt: skip
SUBJECTS = {
    "Faculty of Chemistry": "Organic chemistry, laboratory practice",
    "Faculty of Physics": "Mechanics, physics for engineers",
    "Faculty of History": "Modern history, source analysis",
    "Faculty of Medicine": "Anatomy, clinical skills",
    "Faculty of Economics": "Microeconomics, statistics",
    "Faculty of Philology": "Academic writing, literature",
    "Faculty of Mathematics": "Calculus, linear algebra",
}
GOALS = [
    "Design my first full course and its assessment.",
    "Feel confident in front of large lecture groups.",
    "Learn to give feedback that students use.",
    "Use digital tools for active learning in seminars.",
    "Balance teaching with my research supervision duties.",
]
EXPECTATIONS = [
    "Regular, honest conversations and examples from practice.",
    "Someone to ask when a lecture does not go as planned.",
    "Observing each other's classes and discussing them.",
    "",
]

# Teachers of an invented school: experienced mentors and young teachers.
SCHOOL_PEOPLE = [
    Person("anna.smirnova@school.example", "Анна", "Смирнова", "ru"),
    Person("pavel.volkov@school.example", "Павел", "Волков", "ru"),
    Person("marta.ozola@school.example", "Marta", "Ozola", "lv"),
    Person("janis.berzins@school.example", "Jānis", "Bērziņš", "lv"),
    Person("olga.kuznecova@school.example", "Ольга", "Кузнецова", "ru"),
    Person("karlis.liepa@school.example", "Kārlis", "Liepa", "lv"),
]


# Mentors first: Anna mentors Pavel; Marta mentors a group of Jānis and Olga; Kārlis is
# accepted and waits for a pair.
SCHOOL_ROLES = ["mentor", "mentee", "mentor", "mentee", "mentee", "mentee"]


def university_people(count=34) -> list[Person]:
    """Invented lecturers, always the same ones: names combined from common first and last
    names, so no real person is meant."""
    people = []
    for n in range(count):
        first = FIRST_NAMES[n % len(FIRST_NAMES)]
        male, female = LAST_NAMES[(n + n // len(FIRST_NAMES) * 4) % len(LAST_NAMES)]
        last = female if first in FEMALE else male
        email = f"lecturer{n + 1:02d}@university.example"
        people.append(Person(email, first, last, "lt" if n % 3 else "en"))
    return people


@functools.cache
def _password_hash() -> str:
    return make_password(PASSWORD)  # hashing is slow on purpose: do it once for everyone


def ensure_person(person: Person):
    """The user for `person`, created with a verified address if missing."""
    user, created = get_user_model().objects.get_or_create(
        email=person.email,
        defaults={
            "first_name": person.first_name,
            "last_name": person.last_name,
            "language": person.language,
            "is_staff": person.is_staff,
            "is_superuser": person.is_superuser,
        },
    )
    if created:
        user.password = _password_hash()
        user.save(update_fields=["password"])
    EmailAddress.objects.get_or_create(
        user=user, email=person.email, defaults={"verified": True, "primary": True}
    )
    return user


def _university_programme(coordinator) -> Cycle:
    program, _ = Program.objects.get_or_create(
        slug="new-lecturers",
        defaults={
            "name": "Mentorship for new lecturers",
            "description": (
                "Newly hired lecturers are paired for a year with an experienced colleague from "
                "another department. Together they set goals for the first year of teaching, "
                "meet regularly and take part in the centre's seminars on teaching methods."
            ),
            "form": Program.Form.NEW_LECTURERS,
            "cadence": Program.Cadence.MONTHLY,
            "contact_email": "teaching.centre@university.example",
        },
    )
    program.coordinators.add(coordinator)
    today = timezone.localdate()
    year = today.year if today.month >= 6 else today.year - 1
    cycle, _ = Cycle.objects.get_or_create(
        program=program,
        name=f"{year + 1}/{str(year + 2)[-2:]}",
        defaults={
            "starts_on": today + datetime.timedelta(days=45),
            "ends_on": today + datetime.timedelta(days=45 + 300),
            "registration_opens": timezone.now() - datetime.timedelta(days=14),
            "registration_closes": timezone.now() + datetime.timedelta(days=30),
            "default_mentor_capacity": 2,
            "stage": Cycle.Stage.FORMING_PAIRS,
        },
    )
    with translation.override("en"):
        add_ready_made_questionnaires(cycle)
    criteria_from_tags(cycle)
    return cycle


def _school_programme(coordinator) -> Cycle:
    program, _ = Program.objects.get_or_create(
        slug="young-teachers",
        defaults={
            "name": "Support for young teachers",
            "description": (
                "Teachers in their first three years work with an experienced colleague: they "
                "visit each other's lessons, give structured feedback and set professional goals."
            ),
            "form": Program.Form.TEACHER_TEACHER,
            "cadence": Program.Cadence.WEEKLY,
            "meeting_minutes": 45,
            "contact_email": "deputy.head@school.example",
        },
    )
    program.coordinators.add(coordinator)
    today = timezone.localdate()
    cycle, _ = Cycle.objects.get_or_create(
        program=program,
        name=f"{today.year}/{str(today.year + 1)[-2:]}",
        defaults={
            "starts_on": today - datetime.timedelta(days=150),
            "ends_on": today + datetime.timedelta(days=200),
            "registration_opens": timezone.now() - datetime.timedelta(days=120),
            "registration_closes": timezone.now() - datetime.timedelta(days=70),
            "stage": Cycle.Stage.WORKING,
        },
    )
    with translation.override("en"):
        add_ready_made_questionnaires(cycle)
    return cycle


def _answer_for(question: Question, rng: random.Random, department: str):
    tag, kind = question.matching_tag, question.kind
    if tag == Question.MatchingTag.DEPARTMENT:
        return department
    if tag == Question.MatchingTag.CAPACITY:
        return rng.choice([1, 1, 2, 2, 3])
    if kind == Question.Kind.MULTIPLE_CHOICE:
        return rng.sample(question.choices, k=rng.randint(1, min(3, len(question.choices))))
    if kind == Question.Kind.SINGLE_CHOICE:
        return rng.choice(question.choices)
    if kind == Question.Kind.NUMBER:
        return rng.randint(5, 30)
    if tag == Question.MatchingTag.AVAILABILITY:
        return rng.choice(["Monday mornings", "Tuesday afternoons", "Fridays", ""])
    if "Subjects" in question.text:
        return SUBJECTS[department]
    if "goals" in question.text:
        return rng.choice(GOALS)
    return rng.choice(EXPECTATIONS)


def _register(user, cycle, role, rng: random.Random, status=None) -> Participant:
    participant, created = Participant.objects.get_or_create(user=user, cycle=cycle, role=role)
    if not created:
        return participant
    questionnaire = cycle.questionnaire_for(Questionnaire.registration_purpose(role))
    response = Response.objects.create(participant=participant, questionnaire=questionnaire)
    department = rng.choice(DEPARTMENTS)
    answers = []
    for question in questionnaire.questions.all():
        value = _answer_for(question, rng, department)
        if value not in ("", None, []):
            answers.append(Answer(response=response, question=question, value=value))
            if question.matching_tag == Question.MatchingTag.CAPACITY:
                participant.capacity = value
    Answer.objects.bulk_create(answers)
    # Most registrations are already reviewed, in the order they came in.
    status = status or rng.choice(["applied"] * 3 + ["accepted"] * 6 + ["waitlisted", "declined"])
    participant.status = status
    participant.save(update_fields=["capacity", "status"])
    return participant


def _published_pairs(cycle, pairs) -> None:
    """Pairs as the coordinator published them some weeks ago (their emails long sent)."""
    if cycle.pairings.exists():
        return
    started = cycle.starts_on + datetime.timedelta(days=14)
    for mentor, mentees in pairs:
        pairing = Pairing.objects.create(
            cycle=cycle, status=Pairing.Status.ACTIVE, starts_on=started, ends_on=cycle.ends_on
        )
        Membership.objects.bulk_create(
            Membership(pairing=pairing, participant=p) for p in [mentor, *mentees]
        )


SCHOOL_GOALS = [
    ("Plan lessons around clear learning outcomes", "in_progress", 60),
    ("Keep a calm, working atmosphere in grade 7", "in_progress", 40),
    ("Use formative assessment every week", "not_started", 0),
]
PLAN = [
    ("Observe two lessons of my mentor", True),
    ("Mentor observes my lesson and gives feedback", True),
    ("Try exit tickets in three lessons", False),
    ("Share a lesson plan for comments", False),
]
MEETING_NOTES = [
    "Went through next week's lesson plans; agreed to cut the introduction to ten minutes.",
    "Discussed the observed lesson: good questions, too little time for pair work.",
    "Talked about a difficult class and agreed on three simple rules to introduce.",
    "Looked at marking of the last test and how to give comments pupils read.",
    "",
]


def _workspace(pairing, rng: random.Random) -> None:
    """Goals, a plan and months of meetings, as the pair wrote them (their history too)."""
    if pairing.meetings.exists():
        return
    members = list(pairing.members.select_related("user"))
    mentor = next(m.user for m in members if m.role == Participant.Role.MENTOR)
    mentee = next(m.user for m in members if m.role == Participant.Role.MENTEE)
    created = timezone.now() - datetime.timedelta(days=120)
    goals = []
    for title, status, progress in SCHOOL_GOALS:
        goal = Goal.objects.create(
            pairing=pairing, title=title, status=status, progress=progress, created_at=created
        )
        Change.objects.create(
            pairing=pairing, author=mentee, at=created, subject=Change.Subject.GOAL,
            title=title, action=Change.Action.CREATED,
        )  # fmt: skip
        goals.append(goal)
    for what, done in PLAN:
        PlanItem.objects.create(
            pairing=pairing, goal=goals[0], what=what, done=done, created_at=created,
            due_on=pairing.starts_on + datetime.timedelta(days=rng.randint(20, 90)),
        )  # fmt: skip
    Change.objects.create(
        pairing=pairing, author=mentor, subject=Change.Subject.GOAL, title=goals[0].title,
        action=Change.Action.CHANGED, fields=[{"field": "progress", "old": 40, "new": 60}],
    )  # fmt: skip
    # A meeting most weeks, with a gap now and then; the group has fallen behind lately. The
    # last meeting waits for the other member's confirmation and agrees on the next one.
    today = timezone.localdate()
    last = today - datetime.timedelta(days=17 if len(members) > 2 else 2)
    days, day = [], pairing.starts_on + datetime.timedelta(days=3)
    while day < last - datetime.timedelta(days=4):
        days.append(day)
        day += datetime.timedelta(days=rng.choice([7, 7, 7, 14]))
    for day in [*days, last]:
        author = rng.choice([mentor, mentee])
        other = mentee if author == mentor else mentor
        logged = timezone.make_aware(datetime.datetime.combine(day, datetime.time(17)))
        meeting = Meeting.objects.create(
            pairing=pairing, logged_by=author, held_on=day, created_at=logged,
            duration_minutes=rng.choice([45, 45, 60, 30]),
            format=rng.choice(["in_person", "in_person", "online", "observation"]),
            topics=rng.sample(["planning", "progress", "problem_solving", "observation",
                               "assessment", "teaching_methods"], k=2),
            notes=rng.choice(MEETING_NOTES),
            confirmed_by=other if day < last else None,
            confirmed_at=logged + datetime.timedelta(days=1) if day < last else None,
        )  # fmt: skip
        meeting.goals.set(rng.sample(goals, k=1))
    agreed = timezone.make_aware(
        datetime.datetime.combine(today + datetime.timedelta(days=5), datetime.time(15, 30))
    )
    Meeting.objects.filter(pk=meeting.pk).update(
        next_meeting_at=agreed, next_steps="Bring the plan of the open lesson."
    )


def _help_requests(teachers, coordinator) -> None:
    if HelpRequest.objects.filter(participant__in=teachers).exists():
        return
    answered = HelpRequest.objects.create(
        participant=teachers[1],
        topic=HelpRequest.Topic.METHODS,
        message="Is there a template for the individual development plan?",
        created_at=timezone.now() - datetime.timedelta(days=9),
    )
    answered.answer_with(
        "Yes: it is among the programme's documents. Fill it in with your mentor.", by=coordinator
    )
    HelpRequest.objects.create(
        participant=teachers[3],
        topic=HelpRequest.Topic.ORGANISATION,
        message="Our group cannot find a common free hour on Tuesdays. Could we meet online?",
    )


# (days from today, hour, hours long, kind, title, audience, places, programme: "school",
# "university" or None for the whole institution)
EVENTS = [
    (-150, 15, 2, "opening", "Opening of the school year's mentoring", "members", None, "school"),
    (-140, 14, 3, "mentor_training", "Training for new mentors: active listening", "mentors", 12,
     "school"),
    (-130, 15, 2, "strategic_start", "Strategic meeting: goals for the year", "members", None,
     "school"),
    (-110, 10, 3, "seminar", "Seminar: planning lessons around learning outcomes", "everyone",
     30, None),
    (-95, 15, 2, "workshop", "Workshop: formative assessment in practice", "members", 8,
     "school"),
    (-75, 16, 2, "guest_talk", "A school head on the first years of teaching", "everyone", 40,
     None),
    (-60, 14, 2, "mentee_preparation", "Getting the most out of mentoring", "mentees", 15,
     "school"),
    (-40, 15, 2, "reflection_middle", "Reflection: halfway through the year", "members", None,
     "school"),
    (-20, 15, 1, "supervision", "Supervision for mentors", "mentors", 6, "school"),
    (2, 15, 2, "workshop", "Workshop: classroom routines that work", "members", 3, "school"),
    (8, 10, 3, "seminar", "Seminar: feedback students act on", "everyone", 25, None),
    (20, 14, 3, "mentor_training", "Mentor training for the new university cycle", "mentors",
     20, "university"),
    (35, 16, 2, "guest_talk", "An employer on what graduates need", "everyone", None, None),
    (60, 15, 2, "opening", "Opening of the new lecturers' programme", "members", None,
     "university"),
    (120, 15, 2, "reflection_end", "Reflection: what the year taught us", "members", None,
     "school"),
    (190, 15, 3, "closing", "Closing of the year and thanks to the mentors", "everyone", 60,
     "school"),
]  # fmt: skip
EVENT_DESCRIPTION = (
    "Bring an example from your own teaching. Short input, then work in small groups and a "
    "shared summary."
)


def _events(programs, people_by_program, rng: random.Random) -> None:
    """A year of events of every kind; the school's teachers signed up, and attendance
    marked for those that took place. One workshop is full, with a waitlist."""
    if Event.objects.exists():
        return
    now = timezone.localtime()
    for days, hour, hours, kind, title, audience, places, where in EVENTS:
        starts = now.replace(hour=hour, minute=0, second=0, microsecond=0) + datetime.timedelta(
            days=days
        )
        event = Event.objects.create(
            program=programs.get(where), kind=kind, title=title, audience=audience,
            description=EVENT_DESCRIPTION, starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=hours), capacity=places,
            place="Room 204" if where == "school" else "Main building, hall B",
        )  # fmt: skip
        people = people_by_program[where or "school"]
        wanted = [p for p in people if audience != "mentors" or p.role == "mentor"]
        wanted = [p for p in wanted if audience != "mentees" or p.role == "mentee"]
        for n, participant in enumerate(wanted):
            full = places is not None and n >= places
            SignUp.objects.create(
                event=event, user=participant.user,
                status=SignUp.Status.WAITLISTED if full else SignUp.Status.CONFIRMED,
                signed_up_at=starts - datetime.timedelta(days=10 - n),
                attended=None if days > 0 or full else rng.random() > 0.15,
            )  # fmt: skip


WRITTEN = {
    "What changed in your teaching this year?": [
        "I plan lessons backwards from what pupils should be able to do.",
        "More pair work, and I talk less.",
        "I dare to try new methods and talk about what failed.",
    ],
    "What did you learn as a mentor?": [
        "To ask questions instead of giving answers.",
        "Watching a young colleague made me rethink my own routines.",
    ],
    "What would you change in the programme?": [
        "More time for observing each other's lessons.",
        "",
        "A shorter questionnaire at the start.",
    ],
}


def _self_assessed(participant, rng: random.Random) -> None:
    """A participant's answers to their role's self-assessment."""
    questionnaire = participant.cycle.self_assessment_for(participant.role)
    response = Response.objects.create(participant=participant, questionnaire=questionnaire)
    answers = []
    for question in questionnaire.questions.all():
        kind = question.kind
        if kind == Question.Kind.SCALE:
            value = rng.choice([3, 4, 4, 5, 5])
        elif kind == Question.Kind.YES_NO:
            value = rng.random() > 0.2
        elif kind == Question.Kind.MULTIPLE_CHOICE:
            value = rng.sample(question.choices[:-1], k=rng.randint(1, 2))
        else:
            value = rng.choice(WRITTEN.get(question.text, [""]))
        if value not in ("", None, []):
            answers.append(Answer(response=response, question=question, value=value))
    Answer.objects.bulk_create(answers)


def _last_school_year(program, users, rng: random.Random) -> None:
    """The school's previous cycle, closed: its pairs ended, their meetings logged, and
    everyone's self-assessment answered, so this year's report has a year to compare with."""
    current = program.cycles.order_by("-starts_on").first()
    starts = current.starts_on - datetime.timedelta(days=365)
    cycle, created = Cycle.objects.get_or_create(
        program=program,
        name=f"{starts.year}/{str(starts.year + 1)[-2:]}",
        defaults={
            "starts_on": starts,
            "ends_on": current.starts_on - datetime.timedelta(days=60),
            "registration_opens": timezone.now() - datetime.timedelta(days=500),
            "registration_closes": timezone.now() - datetime.timedelta(days=480),
            "stage": Cycle.Stage.COMPLETION,
        },
    )
    if not created:
        return
    with translation.override("en"):
        add_ready_made_questionnaires(cycle)
    people = [
        _register(user, cycle, role, rng, status="accepted")
        for user, role in zip(users, SCHOOL_ROLES[:4], strict=True)
    ]
    for mentor, mentee in [(people[0], people[1]), (people[2], people[3])]:
        pairing = Pairing.objects.create(
            cycle=cycle, status=Pairing.Status.ENDED, starts_on=cycle.starts_on,
            ends_on=cycle.ends_on, end_reason="The cycle ended.",
        )  # fmt: skip
        Membership.objects.bulk_create(
            Membership(pairing=pairing, participant=p) for p in (mentor, mentee)
        )
        day = cycle.starts_on + datetime.timedelta(days=10)
        while day < cycle.ends_on:
            Meeting.objects.create(
                pairing=pairing, logged_by=mentee.user, held_on=day, duration_minutes=45,
                topics=["planning", "progress"], confirmed_by=mentor.user,
                confirmed_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(18))),
            )  # fmt: skip
            day += datetime.timedelta(days=rng.choice([14, 14, 21, 28]))
    for participant in people:
        _self_assessed(participant, rng)


def create_demo() -> dict:
    """Create everything; return the logins worth printing."""
    ensure_person(ADMIN)
    university = _university_programme(ensure_person(UNIVERSITY_COORDINATOR))
    school = _school_programme(ensure_person(SCHOOL_COORDINATOR))
    rng = random.Random(2026)
    lecturers = university_people()
    registered = []
    for n, person in enumerate(lecturers):
        role = Participant.Role.MENTOR if n % 3 == 0 else Participant.Role.MENTEE
        registered.append(_register(ensure_person(person), university, role, rng))
    teachers = [
        _register(ensure_person(person), school, role, rng, status="accepted")
        for person, role in zip(SCHOOL_PEOPLE, SCHOOL_ROLES, strict=True)
    ]
    _published_pairs(school, [(teachers[0], teachers[1:2]), (teachers[2], teachers[3:5])])
    for pairing in Pairing.objects.active().filter(cycle=school):
        _workspace(pairing, rng)
    _help_requests(teachers, ensure_person(SCHOOL_COORDINATOR))
    _last_school_year(school.program, [t.user for t in teachers[:4]], rng)
    _events(
        {"school": school.program, "university": university.program},
        {"school": teachers, "university": [p for p in registered if p.is_accepted][:10]},
        rng,
    )
    for spec in (demo_languages.LITHUANIAN, demo_languages.RUSSIAN):
        demo_languages.create(spec, ensure_person, Person, rng)
    return {
        "administrator": ADMIN.email,
        "university coordinator": UNIVERSITY_COORDINATOR.email,
        "school coordinator (deputy head)": SCHOOL_COORDINATOR.email,
        "a lecturer (registered)": lecturers[1].email,
        "a mentor teacher (paired)": SCHOOL_PEOPLE[0].email,
        "a young teacher (paired)": SCHOOL_PEOPLE[1].email,
        "Lithuanian programme's coordinator": demo_languages.LITHUANIAN.coordinator[0],
        "Russian-speaking school's coordinator": demo_languages.RUSSIAN.coordinator[0],
        "a pupil mentee (in Russian)": demo_languages.RUSSIAN.mentees[0][0],
    }
