"""Programmes, cycles, questionnaires and documents: the rules the models own."""

import datetime
import io
import zipfile

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from programs.coordinators import GROUP_NAME
from programs.documents import MAX_DOCUMENT_BYTES, validate_document
from programs.models import Cycle, Question, Questionnaire
from programs.ready_made import add_ready_made_questionnaires
from tests.factories import (
    CycleFactory,
    ProgramFactory,
    UserFactory,
    registration_questionnaire,
)

pytestmark = pytest.mark.django_db


def test_a_cycle_moves_through_its_seven_stages_and_remembers_when():
    cycle = CycleFactory(stage=Cycle.Stage.PREPARATION)
    while cycle.advance_stage():
        pass
    assert cycle.stage == Cycle.Stage.COMPLETION
    stages = list(cycle.stage_entries.values_list("stage", flat=True))
    assert stages == [1, 2, 3, 4, 5, 6, 7]
    assert cycle.advance_stage() is False


def test_a_cycle_must_end_after_it_starts_and_close_registration_after_opening():
    cycle = CycleFactory.build(program=ProgramFactory())
    cycle.ends_on = cycle.starts_on - datetime.timedelta(days=1)
    cycle.registration_closes = cycle.registration_opens
    with pytest.raises(ValidationError) as error:
        cycle.full_clean()
    assert set(error.value.message_dict) == {"ends_on", "registration_closes"}


def test_the_questionnaires_of_the_previous_cycle_are_copied_once():
    program = ProgramFactory()
    previous = CycleFactory(program=program, name="2025/26", starts_on=datetime.date(2025, 9, 1))
    registration_questionnaire(previous, "mentor")
    registration_questionnaire(previous, "mentee")
    current = CycleFactory(program=program, name="2026/27", starts_on=datetime.date(2026, 9, 1))

    copied = current.copy_questionnaires_from_previous()

    assert {q.purpose for q in copied} == {"mentor_registration", "mentee_registration"}
    old = previous.questionnaires.get(purpose="mentor_registration")
    new = current.questionnaires.get(purpose="mentor_registration")
    fields = ["text", "kind", "options", "matching_tag", "required", "order"]
    assert list(new.questions.values(*fields)) == list(old.questions.values(*fields))
    assert current.copy_questionnaires_from_previous() == []


def test_ready_made_questionnaires_cover_the_university_case():
    cycle = CycleFactory()
    added = add_ready_made_questionnaires(cycle)
    assert len(added) == 4
    mentor = cycle.questionnaires.get(purpose=Questionnaire.Purpose.MENTOR_REGISTRATION)
    tags = set(mentor.questions.values_list("matching_tag", flat=True))
    assert {"department", "competences_offered", "capacity", "meeting_format", "language"} <= tags
    mentee = cycle.questionnaires.get(purpose=Questionnaire.Purpose.MENTEE_REGISTRATION)
    assert "competences_wanted" in set(mentee.questions.values_list("matching_tag", flat=True))
    for question in [*mentor.questions.all(), *mentee.questions.all()]:
        question.full_clean()
    for role in ("mentor", "mentee"):
        self_assessment = cycle.self_assessment_for(role)
        assert self_assessment.purpose == f"{role}_self_assessment"
        kinds = set(self_assessment.questions.values_list("kind", flat=True))
        assert {"scale", "multiple_choice", "yes_no", "long_text"} <= kinds
        for question in self_assessment.questions.all():
            question.full_clean()
    assert add_ready_made_questionnaires(cycle) == []


def test_ready_made_questionnaires_are_written_in_the_coordinators_language():
    cycle = CycleFactory()
    with translation.override("lt"):
        add_ready_made_questionnaires(cycle)
        expected = translation.gettext("Department")
    assert expected != "Department"
    assert cycle.questionnaires.first().questions.first().text == expected


def test_choice_questions_need_choices_and_others_none():
    questionnaire = registration_questionnaire(CycleFactory())
    question = Question(questionnaire=questionnaire, text="Format", kind="single_choice")
    with pytest.raises(ValidationError, match="at least two choices"):
        question.full_clean()
    question.kind, question.options = "short_text", "A\nB"
    with pytest.raises(ValidationError, match="Only choice questions"):
        question.full_clean()


def test_becoming_a_coordinator_opens_the_administration_site():
    person = UserFactory()
    program = ProgramFactory()
    program.coordinators.add(person)
    person.refresh_from_db()
    assert person.is_staff
    assert person.groups.filter(name=GROUP_NAME).exists()
    assert person.has_perm("programs.change_cycle")
    assert Permission.objects.filter(group__name=GROUP_NAME, codename="view_participant").exists()


def docx_bytes(marker="word/document.xml") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(marker, "<document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("rules.pdf", b"%PDF-1.7\n..."),
        ("guide.docx", docx_bytes()),
        ("plan.xlsx", docx_bytes("xl/workbook.xml")),
    ],
)
def test_real_documents_are_accepted(name, content):
    validate_document(SimpleUploadedFile(name, content))


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("script.exe", b"MZ...", "Upload a PDF, DOCX, XLSX or ODT file."),
        ("fake.pdf", b"<html>not a pdf</html>", "not a PDF document"),
        ("fake.docx", docx_bytes("xl/workbook.xml"), "not a DOCX document"),
        ("broken.xlsx", b"PK\x03\x04 broken", "not a XLSX document"),
    ],
)
def test_other_files_are_refused_by_their_content(name, content, message):
    with pytest.raises(ValidationError, match=message):
        validate_document(SimpleUploadedFile(name, content))


def test_documents_over_the_size_limit_are_refused():
    big = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * MAX_DOCUMENT_BYTES)
    with pytest.raises(ValidationError, match="the limit is 10"):
        validate_document(big)
