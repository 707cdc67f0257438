"""Invented demo data: a university programme for newly hired lecturers and a school's
teacher-teacher programme, and the people in them. Every name is made up; running it again
changes nothing that is already there."""

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

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

# Experienced and new lecturers of an invented university.
UNIVERSITY_PEOPLE = [
    Person("jonas.petrauskas@university.example", "Jonas", "Petrauskas", "lt"),
    Person("egle.kazlauskiene@university.example", "Eglė", "Kazlauskienė", "lt"),
    Person("marius.zukauskas@university.example", "Marius", "Žukauskas", "lt"),
    Person("laura.stankeviciute@university.example", "Laura", "Stankevičiūtė", "lt"),
    Person("tomas.balciunas@university.example", "Tomas", "Balčiūnas", "en"),
    Person("greta.urbonaite@university.example", "Greta", "Urbonaitė", "lt"),
    Person("paulius.navickas@university.example", "Paulius", "Navickas", "en"),
    Person("ieva.mockute@university.example", "Ieva", "Mockutė", "lt"),
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

EVERYONE = [ADMIN, UNIVERSITY_COORDINATOR, SCHOOL_COORDINATOR, *UNIVERSITY_PEOPLE, *SCHOOL_PEOPLE]


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
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    EmailAddress.objects.get_or_create(
        user=user, email=person.email, defaults={"verified": True, "primary": True}
    )
    return user


def create_demo() -> dict:
    """Create everything; return the logins worth printing."""
    for person in EVERYONE:
        ensure_person(person)
    return {
        "administrator": ADMIN.email,
        "university coordinator": UNIVERSITY_COORDINATOR.email,
        "school coordinator (deputy head)": SCHOOL_COORDINATOR.email,
        "a lecturer": UNIVERSITY_PEOPLE[0].email,
        "a teacher": SCHOOL_PEOPLE[0].email,
    }
