"""The shared cast of the access tests and the factories of the models tests build: each
person has the part the tests rely on, and no other (an outsider who coordinated something
would make every refusal asked of them pass for the wrong reason)."""

import pytest

from participants.models import Notification, Pairing, Participant
from programs.models import Cycle, Program
from programs.reach import reach_of
from tests.factories import (
    HelpRequestFactory,
    NotificationFactory,
    PairingFactory,
    SignUpFactory,
    active_pairing,
    build_cast,
)

pytestmark = pytest.mark.django_db


def parts(user):
    """What a person takes part in: the programmes they coordinate, the cycles and roles of
    their registrations, and their published pairings."""
    reach = reach_of(user)
    return (
        set(reach.coordinated),
        {(r.cycle, r.role, r.status) for r in reach.registrations},
        set(reach.pairings),
    )


def test_each_person_of_the_cast_has_their_part_and_no_other(cast):
    cycle, other_cycle = cast.cycle, cast.other_cycle
    assert parts(cast.coordinator) == ({cast.program.pk}, set(), set())
    assert parts(cast.mentor) == (set(), {(cycle.pk, "mentor", "accepted")}, {cast.pairing.pk})
    assert parts(cast.mentee) == (set(), {(cycle.pk, "mentee", "accepted")}, {cast.pairing.pk})
    assert parts(cast.other_coordinator) == ({cast.other_program.pk}, set(), set())
    assert parts(cast.outsider) == (set(), set(), set())
    assert cast.superuser.is_superuser and parts(cast.superuser) == (set(), set(), set())
    assert other_cycle.program == cast.other_program != cast.program
    assert list(Program.objects.coordinated_by(cast.outsider)) == []


def test_the_casts_pair_works_in_a_cycle_under_way(cast):
    assert cast.cycle.stage == Cycle.Stage.WORKING
    assert cast.cycle.starts_on <= cast.pairing.starts_on <= cast.cycle.ends_on
    assert cast.pairing.status == Pairing.Status.ACTIVE
    assert {p.user for p in cast.pairing.members.all()} == {cast.mentor, cast.mentee}
    assert cast.mentor_registration.user == cast.mentor
    assert cast.mentee_registration.user == cast.mentee


def test_the_cast_has_readable_names_and_addresses(cast):
    assert str(cast.mentor) == "Ruta Kazlauskaite"
    assert cast.coordinator.email == "rasa.vaitkute@university.example"
    assert (cast.program.name, cast.other_program.name) == ("New lecturers", "Pupil to pupil")


def test_the_cast_is_also_built_without_the_fixture(db):
    assert build_cast().outsider.email == "karolis.zemaitis@university.example"


def test_a_pairing_has_an_accepted_mentor_and_mentee_unless_told_otherwise(db):
    pairing = PairingFactory()
    members = list(pairing.members.order_by("role"))
    assert [(m.role, m.status) for m in members] == [("mentee", "accepted"), ("mentor", "accepted")]
    assert all(m.cycle == pairing.cycle for m in members)
    assert pairing.cycle.stage == Cycle.Stage.WORKING
    group = active_pairing(pairing.cycle, mentees=2)
    assert sorted(group.members.values_list("role", flat=True)) == ["mentee", "mentee", "mentor"]
    assert not PairingFactory(status=Pairing.Status.DRAFT, members=[]).members.exists()


def test_a_sign_up_a_help_request_and_an_email_are_made_with_what_a_test_leaves_out(db):
    assert SignUpFactory().status == "confirmed"
    question = HelpRequestFactory()
    assert question.participant.status == Participant.Status.ACCEPTED
    assert question.status == "open"
    person = NotificationFactory().recipient
    second = NotificationFactory(recipient=person, state=Notification.State.SENT)
    assert person.notifications.count() == 2, "two emails of one kind to one person"
    assert second.state == Notification.State.SENT and second.program is None
