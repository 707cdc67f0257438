"""Registering means agreeing to the programme's privacy notice; a minor is accepted only
once a coordinator recorded their guardian's consent."""

import pytest
from django.urls import reverse

from participants.models import AuditEntry, Participant
from participants.registrations import services as registration
from programs.coordinators import grant_coordinator_access
from tests.factories import (
    CycleFactory,
    ParticipantFactory,
    UserFactory,
    registration_questionnaire,
)

pytestmark = pytest.mark.django_db

NOTICE = "We keep your answers for three years and share them only with the coordinators."


@pytest.fixture
def cycle():
    cycle = CycleFactory(program__privacy_notice=NOTICE, program__form="pupil_pupil")
    registration_questionnaire(cycle, "mentee")
    return cycle


def answers(cycle, **extra):
    questionnaire = cycle.questionnaires.get(purpose="mentee_registration")
    data = {}
    for question in questionnaire.questions.all():
        value = {"scale": "3", "yes_no": "yes", "number": "2", "date": "",
                 "single_choice": "Online", "multiple_choice": "Assessment"}.get(
            question.kind, "Grade 9, chemistry"
        )  # fmt: skip
        data[f"q{question.pk}"] = value
    return {**data, **extra}


def test_registering_needs_the_privacy_notice_agreed_and_keeps_the_answers_until_it_is(
    client, cycle
):
    person = UserFactory()
    client.force_login(person)
    url = reverse("participants:register", args=[cycle.pk, "mentee"])
    page = client.get(url).content.decode()
    assert NOTICE in page and "I am under 18." in page

    response = client.post(url, answers(cycle))
    assert response.status_code == 200
    assert "Agree to the privacy notice to register." in response.content.decode()
    assert "Grade 9, chemistry" in response.content.decode(), "what was typed is kept"
    assert not Participant.objects.filter(user=person).exists()

    response = client.post(url, answers(cycle, privacy="on", under_18="on"))
    participant = Participant.objects.get(user=person)
    assert response.status_code == 302
    assert participant.consented_at is not None and participant.is_minor


def test_a_programme_without_pupils_or_notice_asks_neither(client):
    cycle = CycleFactory()
    registration_questionnaire(cycle, "mentee")
    client.force_login(UserFactory())
    page = client.get(reverse("participants:register", args=[cycle.pk, "mentee"])).content
    assert b"privacy notice" not in page and b"under 18" not in page


def test_a_minor_is_accepted_only_after_the_guardians_consent(
    client, cycle, mailoutbox, django_capture_on_commit_callbacks
):
    coordinator = UserFactory()
    cycle.program.coordinators.add(coordinator)
    minor = ParticipantFactory(cycle=cycle, is_minor=True, user__last_name="Petraitis")
    adult = ParticipantFactory(cycle=cycle)
    client.force_login(coordinator)
    decide = reverse("participants:decide", args=[cycle.pk])

    response = client.post(decide, {"status": "accepted", "participants": [minor.pk, adult.pk]},
                           follow=True)  # fmt: skip
    page = response.content.decode()
    assert "Nobody was accepted" in page and "Petraitis" in page
    assert set(Participant.objects.values_list("status", flat=True)) == {"applied"}
    assert "consent missing" in page

    client.post(reverse("participants:guardian_consent", args=[minor.pk]))
    minor.refresh_from_db()
    assert minor.guardian_consent_by == coordinator
    assert AuditEntry.objects.filter(action="guardian_consent", person=minor.user).exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(decide, {"status": "accepted", "participants": [minor.pk, adult.pk]})
    assert set(Participant.objects.values_list("status", flat=True)) == {"accepted"}
    assert len(mailoutbox) == 2


def test_the_rule_holds_in_the_admin_and_in_the_function_too(client, cycle):
    minor = ParticipantFactory(cycle=cycle, is_minor=True)
    with pytest.raises(ValueError):
        registration.decide(participants=[minor], status="accepted")
    staff = UserFactory()
    cycle.program.coordinators.add(staff)
    grant_coordinator_access(staff)
    client.force_login(staff)
    changelist = reverse("admin:participants_participant_changelist")
    response = client.post(
        changelist, {"action": "accept", "_selected_action": [minor.pk]}, follow=True
    )
    assert "Nobody was accepted" in response.content.decode()
    change = reverse("admin:participants_participant_change", args=[minor.pk])
    response = client.post(change, {"status": "accepted", "is_minor": "on"})
    assert "record the guardian" in response.content.decode()
    minor.refresh_from_db()
    assert minor.status == "applied"
