"""The audit trail: coordinators' decisions, pairings, erasures and exports are written down
with who did them, and only the site's administrators read it."""

import pytest
from django.urls import reverse

from participants.models import AuditEntry
from participants.pairings import services as pairing
from participants.registrations import services as registration
from programs.coordinators import grant_coordinator_access
from tests.factories import CycleFactory, ParticipantFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator():
    user = UserFactory()
    grant_coordinator_access(user)
    return user


def entries():
    return list(AuditEntry.objects.values_list("actor", "action", "person", "cycle"))


def test_decisions_name_who_decided_about_whom(coordinator):
    cycle = CycleFactory(program__coordinators=[coordinator])
    first, second = ParticipantFactory(cycle=cycle), ParticipantFactory(cycle=cycle)
    registration.decide(participants=[first, second], status="accepted", by=coordinator)
    registration.decide(participants=[first], status="accepted", by=coordinator)  # no change
    assert sorted(entries()) == sorted(
        [(coordinator.pk, "accepted", p.user_id, cycle.pk) for p in (first, second)]
    )


def test_pairing_by_hand_and_ending_are_written_down(coordinator):
    cycle = CycleFactory(program__coordinators=[coordinator])
    mentor = ParticipantFactory(cycle=cycle, role="mentor", status="accepted")
    mentee = ParticipantFactory(cycle=cycle, role="mentee", status="accepted")
    created = pairing.create(cycle, [mentor], [mentee], by=coordinator)
    pairing.end(created, "Moved away.", by=coordinator)
    found = {(action, person) for _, action, person, _ in entries()}
    assert found == {
        ("paired", mentor.user_id), ("paired", mentee.user_id),
        ("pairing_ended", mentor.user_id), ("pairing_ended", mentee.user_id),
    }  # fmt: skip
    assert AuditEntry.objects.filter(action="pairing_ended", details="Moved away.").count() == 2


def test_exports_and_erasures_through_the_pages_are_written_down(client, cast):
    coordinator, cycle, mentee = cast.coordinator, cast.cycle, cast.mentee_registration
    client.force_login(coordinator)
    client.get(reverse("participants:export_base", args=[cycle.pk, "mentee", "csv"]))
    client.get(reverse("report_xlsx", args=[cycle.pk]))
    client.post(reverse("erase_participant", args=[mentee.pk]))
    actions = [action for actor, action, _, _ in entries() if actor == coordinator.pk]
    assert sorted(actions) == ["erased", "exported", "exported"]
    assert AuditEntry.objects.get(action="erased").person_id == mentee.user_id


def test_only_superusers_read_the_audit_trail(client, cast):
    AuditEntry.record(cast.coordinator, AuditEntry.Action.EXPORTED, details="base.csv")
    url = reverse("admin:participants_auditentry_changelist")
    for who in ["coordinator", "other_coordinator"]:
        client.force_login(getattr(cast, who))
        assert client.get(url).status_code == 403, who
        assert "Audit trail" not in client.get(reverse("admin:index")).content.decode(), who
    for who in ["mentor", "mentee", "outsider"]:
        client.force_login(getattr(cast, who))
        response = client.get(url)
        assert response.status_code == 302, who
        assert response.url.startswith(reverse("admin:login")), who
    client.force_login(cast.superuser)
    page = client.get(url).content.decode()
    assert "base.csv" in page and "Data exported" in page
