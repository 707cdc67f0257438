"""`python -m tests.bench.load`: realistic volumes written through COPY, holding to the rules the
pages rely on, with the benchmark's subjects found in them and their pages answering."""

import pytest
from django.core.management import CommandError
from django.db import connection, transaction
from django.db.models import Count, F, Max, Q, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from events.models import Event, SignUp
from meetings.models import Meeting
from participants.models import Membership, Pairing, Participant, User
from programs.models import Cycle, Program
from tests.bench import load
from tests.factories import ProgramFactory

pytestmark = pytest.mark.django_db

PAIRINGS = 60


def generate_load(*options) -> str:
    out = []
    load.main(["--pairings", str(PAIRINGS), *options], write=out.append)
    # The test's transaction never commits: check the deferred foreign keys now.
    connection.check_constraints()
    return "\n".join(out)


@pytest.fixture
def loaded() -> str:
    return generate_load()


def test_it_writes_the_volumes_asked_for_and_says_how_long_each_step_took(loaded):
    paired = Participant.objects.filter(pairings__isnull=False).distinct()
    assert Pairing.objects.count() == PAIRINGS
    assert 2 * PAIRINGS <= paired.count() <= 2.2 * PAIRINGS
    assert 5 * PAIRINGS <= Meeting.objects.count() <= 35 * PAIRINGS
    meetings = Pairing.objects.annotate(n=Count("meetings"))
    assert not meetings.filter(Q(n__lt=5) | Q(n__gt=35)).exists()
    assert Event.objects.count() >= load.MIN_EVENTS
    assert Program.objects.get().slug == "load-01"
    assert Cycle.objects.count() == 4
    assert "meetings" in loaded and " s\n" in loaded


def test_every_person_has_one_registration_and_logs_in_with_the_load_password(client, loaded):
    assert not User.objects.filter(is_staff=False).exclude(participations__isnull=False).exists()
    assert not User.objects.annotate(n=Count("participations")).filter(n__gt=1).exists()
    response = client.post(
        reverse("account_login"), {"login": f"person-1@{load.DOMAIN}", "password": load.PASSWORD}
    )
    assert response.status_code == 302


def test_every_pairing_has_a_mentor_and_a_mentee_accepted_in_its_own_cycle(loaded):
    counted = Pairing.objects.annotate(
        mentors=Count("members", filter=Q(members__role=Participant.Role.MENTOR)),
        mentees=Count("members", filter=Q(members__role=Participant.Role.MENTEE)),
    )
    assert not counted.filter(Q(mentors=0) | Q(mentees=0)).exists()
    memberships = Membership.objects.all()
    assert not memberships.exclude(participant__status=Participant.Status.ACCEPTED).exists()
    assert not memberships.exclude(participant__cycle=F("pairing__cycle")).exists()


def test_meetings_lie_within_their_cycle_up_to_today(loaded):
    outside = Meeting.objects.filter(
        Q(held_on__lt=F("pairing__cycle__starts_on"))
        | Q(held_on__gt=F("pairing__cycle__ends_on"))
        | Q(held_on__gt=timezone.localdate())
    )
    assert not outside.exists()
    assert not Meeting.objects.filter(confirmed_by=F("logged_by")).exists()
    assert not Meeting.objects.exclude(cycle=F("pairing__cycle")).exists()


def test_each_pairing_keeps_its_last_meeting_and_the_count_and_minutes_of_its_meetings(loaded):
    counted = Pairing.objects.annotate(
        last=Max("meetings__held_on"),
        held=Count("meetings"),
        minutes=Coalesce(Sum("meetings__duration_minutes"), 0),
    )
    assert counted.filter(held__gt=0).exists()
    assert not counted.exclude(
        last_meeting_on=F("last"), meetings_count=F("held"), meetings_minutes=F("minutes")
    ).exists()


def test_nobody_signs_up_twice_for_an_event(loaded):
    twice = SignUp.objects.values("event", "user").annotate(n=Count("pk")).filter(n__gt=1)
    assert not twice.exists()


def test_the_site_inserts_rows_after_the_load(loaded):
    """The sequences were moved past the keys COPY wrote."""
    pairing = Pairing.objects.active().first()
    member = pairing.members.first()
    meeting = Meeting.objects.create(
        pairing=pairing, logged_by=member.user, held_on=pairing.starts_on, duration_minutes=45
    )
    user = User.objects.create_user("newcomer@example.org", "a-long-password")
    assert meeting.pk > Meeting.objects.exclude(pk=meeting.pk).order_by("-pk").first().pk
    assert user.pk > User.objects.exclude(pk=user.pk).order_by("-pk").first().pk


def test_the_subjects_are_rows_of_the_load(loaded):
    found = load.subjects()
    program = Program.objects.get(pk=found["program"], slug="load-01")
    cycle = Cycle.objects.get(pk=found["cycle"], program=program)
    pairing = Pairing.objects.get(pk=found["pairing"], cycle=cycle, status=Pairing.Status.ACTIVE)
    assert cycle.starts_on <= timezone.localdate() <= cycle.ends_on
    assert pairing.meetings.count() >= 10
    assert program.coordinators.filter(pk=found["coordinator"]).exists()
    assert pairing.members.filter(
        user_id=found["participant"], role=Participant.Role.MENTEE
    ).exists()


def fingerprint() -> list:
    """The data without its keys, which the sequences hand out afresh on every run."""
    people = User.objects.order_by("email").values_list("email", "first_name", "language")
    meetings = Meeting.objects.order_by("pk").values_list("held_on", "format", "topics")
    return [*people, *meetings]


def test_the_same_seed_gives_the_same_data():
    runs = []
    for _ in range(2):
        with transaction.atomic():
            generate_load("--seed", "7")
            runs.append(fingerprint())
            transaction.set_rollback(True)
    assert runs[0] == runs[1] and len(runs[0]) > PAIRINGS * 5


def test_a_second_run_is_refused_even_with_force(loaded):
    with pytest.raises(CommandError, match="--force"):
        generate_load()
    with pytest.raises(CommandError, match="already holds a generated load"):
        generate_load("--force")


def test_it_adds_the_load_beside_other_programmes_only_with_force():
    ProgramFactory()
    with pytest.raises(CommandError, match="Use --force"):
        generate_load()
    generate_load("--force")
    assert Program.objects.count() == 2


def test_it_refuses_a_database_that_is_not_postgresql(monkeypatch):
    monkeypatch.setattr(connection, "vendor", "sqlite")
    with pytest.raises(CommandError, match="PostgreSQL"):
        load.main(["--pairings", "1"], write=lambda line: None)
    assert not Program.objects.exists()


def subject_pages(found: dict) -> dict[str, list[str]]:
    cycle = [found["cycle"]]
    return {
        "participant": [
            reverse("my_mentorship"),
            reverse("meetings:pairing", args=[found["pairing"]]),
            reverse("events:list"),
        ],
        "coordinator": [
            reverse("participants:registrations", args=cycle),
            reverse("dashboard", args=cycle),
            reverse("report", args=cycle),
            reverse("events:list"),
        ],
    }


@pytest.mark.parametrize("who", ["participant", "coordinator"])
def test_the_subjects_see_their_pages(client, loaded, who):
    found = load.subjects()
    client.force_login(User.objects.get(pk=found[who]))
    for url in subject_pages(found)[who]:
        assert client.get(url).status_code == 200, url
