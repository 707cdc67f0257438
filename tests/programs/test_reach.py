"""What a person is part of (`programs/reach.py`), which every `visible_to()` starts from: read
in one query, kept for the length of a request, forgotten when it changes."""

import pytest
from django.test import RequestFactory

from participants.models import Pairing
from programs.reach import Reach, ReachMiddleware, Registration, reach_of
from tests.factories import (
    CoordinatorFactory,
    ParticipantFactory,
    ProgramFactory,
    UserFactory,
    active_pairing,
    member_user,
)

pytestmark = pytest.mark.django_db


def test_the_reach_holds_the_programmes_run_the_registrations_and_the_published_pairings(
    django_assert_num_queries,
):
    pairing = active_pairing()
    person = member_user(pairing)
    mine = pairing.members.get(user=person)
    draft = Pairing.objects.create(cycle=pairing.cycle, status=Pairing.Status.DRAFT)
    draft.members.add(mine)
    applied = ParticipantFactory(user=person, role="mentee", status="applied")
    run = ProgramFactory(coordinators=[person])
    ProgramFactory(coordinators=[CoordinatorFactory()])

    with django_assert_num_queries(1):
        found = reach_of(person)

    assert found == Reach(
        coordinated=frozenset({run.pk}),
        registrations=found.registrations,
        pairings=frozenset({pairing.pk}),
    )
    assert sorted(found.registrations, key=lambda r: r.participant) == [
        Registration(mine.pk, pairing.cycle_id, pairing.cycle.program_id, "mentor", "accepted"),
        Registration(applied.pk, applied.cycle_id, applied.cycle.program_id, "mentee", "applied"),
    ]
    assert found.programs == {run.pk, pairing.cycle.program_id, applied.cycle.program_id}
    assert found.accepted(["mentee"]) == []


def test_a_person_who_is_part_of_nothing_reaches_nothing():
    assert reach_of(UserFactory()) == Reach(frozenset(), (), frozenset())


def in_a_request(view):
    """Run `view` as the view of a request that passes through the middleware."""
    return ReachMiddleware(lambda request: view())(RequestFactory().get("/"))


def test_in_a_request_the_reach_is_read_once_and_forgotten_when_it_changes(
    django_assert_num_queries,
):
    person = UserFactory()
    program = ProgramFactory()

    def view():
        with django_assert_num_queries(1):
            assert reach_of(person).registrations == ()
            assert reach_of(person).registrations == ()
        ParticipantFactory(user=person)  # registering in the same request
        assert len(reach_of(person).registrations) == 1
        program.coordinators.add(person)
        return reach_of(person).coordinated

    assert in_a_request(view) == {program.pk}


def test_outside_a_request_the_reach_is_read_each_time(django_assert_num_queries):
    person = UserFactory()
    with django_assert_num_queries(2):
        reach_of(person)
        reach_of(person)
