"""Programme pages, documents and the coordinators' set-up in the admin."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from programs.models import Cycle, Document, Program, Questionnaire
from tests.factories import (
    CycleFactory,
    ParticipantFactory,
    ProgramFactory,
    UserFactory,
    registration_questionnaire,
)

pytestmark = pytest.mark.django_db


def document(program, audience, name="rules.pdf"):
    return Document.objects.create(
        program=program,
        title=f"Regulations ({audience})",
        audience=audience,
        file=SimpleUploadedFile(name, b"%PDF-1.7 regulations"),
    )


def test_a_private_programme_is_seen_only_by_its_coordinators_and_members(client):
    coordinator = UserFactory()
    program = ProgramFactory(is_public=False, coordinators=[coordinator])
    member = ParticipantFactory(cycle=CycleFactory(program=program)).user
    url = program.get_absolute_url()
    assert client.get(url).status_code == 404
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    assert program.name not in client.get(reverse("programs:list")).content.decode()
    for insider in [coordinator, member]:
        client.force_login(insider)
        assert client.get(url).status_code == 200


def test_documents_reach_only_their_audience_as_attachments(client):
    coordinator = UserFactory()
    program = ProgramFactory(coordinators=[coordinator])
    cycle = CycleFactory(program=program)
    public = document(program, Document.Audience.EVERYONE, "Public Guide.pdf")
    members = document(program, Document.Audience.MEMBERS)
    applied = ParticipantFactory(cycle=cycle).user
    accepted = ParticipantFactory(cycle=cycle, status="accepted").user

    def status(doc):
        return client.get(doc.get_absolute_url()).status_code

    response = client.get(public.get_absolute_url())
    assert response["Content-Disposition"] == 'attachment; filename="Public Guide.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == b"%PDF-1.7 regulations"
    assert public.file.name.startswith("documents/") and "Public" not in public.file.name
    assert status(members) == 404
    for outsider in [UserFactory(), applied]:
        client.force_login(outsider)
        assert status(members) == 404
    for insider in [accepted, coordinator]:
        client.force_login(insider)
        assert status(members) == 200
    page = client.get(program.get_absolute_url()).content.decode()
    assert members.title in page


def admin_rows(client, model):
    response = client.get(reverse(f"admin:programs_{model}_changelist"))
    assert response.status_code == 200
    return set(response.context["cl"].queryset)


def test_coordinators_see_only_their_own_programmes_in_the_admin(client):
    mine, theirs = ProgramFactory(), ProgramFactory()
    coordinator = UserFactory()
    mine.coordinators.add(coordinator)
    my_cycle, their_cycle = CycleFactory(program=mine), CycleFactory(program=theirs)
    registration_questionnaire(their_cycle)
    client.force_login(coordinator)

    assert admin_rows(client, "program") == {mine}
    assert admin_rows(client, "cycle") == {my_cycle}
    assert admin_rows(client, "questionnaire") == set()
    their_url = reverse("admin:programs_cycle_change", args=[their_cycle.pk])
    assert client.get(their_url).status_code == 302  # the admin's "does not exist" redirect
    form = client.get(reverse("admin:programs_cycle_add")).context["adminform"].form
    assert set(form.fields["program"].queryset) == {mine}


def test_admin_actions_move_the_stage_and_add_questionnaires(client):
    coordinator = UserFactory()
    cycle = CycleFactory(program__coordinators=[coordinator], stage=Cycle.Stage.PREPARATION)
    client.force_login(coordinator)
    changelist = reverse("admin:programs_cycle_changelist")

    client.post(changelist, {"action": "advance_stage", "_selected_action": [cycle.pk]})
    client.post(changelist, {"action": "add_ready_made", "_selected_action": [cycle.pk]})

    cycle.refresh_from_db()
    assert cycle.stage == Cycle.Stage.MENTEE_BASE
    assert set(cycle.questionnaires.values_list("purpose", flat=True)) == {
        Questionnaire.Purpose.MENTOR_REGISTRATION,
        Questionnaire.Purpose.MENTEE_REGISTRATION,
        Questionnaire.Purpose.MENTOR_SELF_ASSESSMENT,
        Questionnaire.Purpose.MENTEE_SELF_ASSESSMENT,
    }


def test_a_coordinator_who_creates_a_programme_runs_it(client):
    coordinator = UserFactory()
    ProgramFactory(coordinators=[coordinator])
    client.force_login(coordinator)
    client.post(
        reverse("admin:programs_program_add"),
        {"name": "Teachers", "slug": "teachers", "form": "teacher_teacher", "cadence": "weekly",
         "meeting_minutes": 45, "is_public": "on", "time_zone": "Europe/Riga"},
    )  # fmt: skip
    assert Program.objects.get(slug="teachers").coordinators.get() == coordinator


def test_a_document_that_is_not_what_it_claims_is_refused_in_the_admin(client):
    coordinator = UserFactory()
    program = ProgramFactory(coordinators=[coordinator])
    client.force_login(coordinator)
    response = client.post(
        reverse("admin:programs_document_add"),
        {
            "program": program.pk,
            "title": "Regulations",
            "kind": "regulations",
            "audience": "members",
            "file": SimpleUploadedFile("regulations.pdf", b"MZ\x90\x00 an executable"),
        },
    )
    assert response.status_code == 200
    assert "not a PDF document" in response.content.decode()
    assert 'value="Regulations"' in response.content.decode()
    assert not Document.objects.exists()


def test_coordinators_see_only_their_own_registrations_in_the_admin(client):
    coordinator = UserFactory()
    mine = ParticipantFactory(cycle=CycleFactory(program__coordinators=[coordinator]))
    theirs = ParticipantFactory()
    client.force_login(coordinator)
    response = client.get(reverse("admin:participants_participant_changelist"))
    assert set(response.context["cl"].queryset) == {mine}
    url = reverse("admin:participants_participant_change", args=[theirs.pk])
    assert client.get(url).status_code == 302
