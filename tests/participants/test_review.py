"""Coordinators review a cycle's registrations, decide, and export the bases."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation

from participants.models import Answer, Participant, Response
from tests.factories import (
    CycleFactory,
    ParticipantFactory,
    UserFactory,
    registration_questionnaire,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator():
    return UserFactory(first_name="Rasa")


@pytest.fixture
def cycle(coordinator):
    cycle = CycleFactory(program__coordinators=[coordinator])
    registration_questionnaire(cycle, "mentor")
    registration_questionnaire(cycle, "mentee")
    return cycle


def applicant(cycle, role="mentee", department="Chemistry", **fields):
    participant = ParticipantFactory(cycle=cycle, role=role, **fields)
    questionnaire = cycle.questionnaires.get(purpose=f"{role}_registration")
    response = Response.objects.create(participant=participant, questionnaire=questionnaire)
    for question in questionnaire.questions.all():
        value = {"Department": department, "Your goals": '=HYPERLINK("http://x")'}.get(
            question.text
        )
        if value:
            Answer.objects.create(response=response, question=question, value=value)
    return participant


def url(cycle, **params):
    base = reverse("participants:registrations", args=[cycle.pk])
    return base + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def test_only_the_programmes_coordinators_review_its_registrations(client, cycle, coordinator):
    applicant(cycle)
    other_coordinator = UserFactory()
    CycleFactory(program__coordinators=[other_coordinator])
    assert client.get(url(cycle)).status_code == 302, "anonymous: to the login"
    for outsider in [UserFactory(), other_coordinator, applicant(cycle).user]:
        client.force_login(outsider)
        assert client.get(url(cycle)).status_code == 404
        decide = reverse("participants:decide", args=[cycle.pk])
        assert client.post(decide, {"status": "accepted"}).status_code == 404
        export = reverse("participants:export_base", args=[cycle.pk, "mentee", "csv"])
        assert client.get(export).status_code == 404
    client.force_login(coordinator)
    assert client.get(url(cycle)).status_code == 200


def test_registrations_filter_by_role_status_and_department(client, cycle, coordinator):
    chemist = applicant(cycle, department="Chemistry")
    physicist = applicant(cycle, department="Physics")
    mentor = applicant(cycle, role="mentor", department="Physics")
    accepted = applicant(cycle, status=Participant.Status.ACCEPTED)
    client.force_login(coordinator)

    def listed(**params):
        return {p.pk for p in client.get(url(cycle, **params)).context["page"]}

    assert listed() == {chemist.pk, physicist.pk, mentor.pk, accepted.pk}
    assert listed(role="mentor") == {mentor.pk}
    assert listed(status="accepted") == {accepted.pk}
    assert listed(department="Physics") == {physicist.pk, mentor.pk}
    assert listed(role="mentee", department="Physics") == {physicist.pk}


def test_accepting_several_at_once_emails_each_in_their_language(
    client, cycle, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    lithuanian = applicant(cycle, user=UserFactory(language="lt"))
    english = applicant(cycle, user=UserFactory(language="en"))
    untouched = applicant(cycle)
    client.force_login(coordinator)
    decide = reverse("participants:decide", args=[cycle.pk])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            decide, {"status": "accepted", "participants": [lithuanian.pk, english.pk]}, follow=True
        )

    assert "2 registrations are now" in response.content.decode()
    statuses = dict(Participant.objects.values_list("pk", "status"))
    assert statuses == {lithuanian.pk: "accepted", english.pk: "accepted", untouched.pk: "applied"}
    by_recipient = {m.to[0]: m for m in mailoutbox}
    with translation.override("lt"):
        accepted_lt = translation.gettext("You are accepted: %(program)s") % {
            "program": cycle.program.name
        }
    assert not accepted_lt.startswith("You are accepted"), "the catalogue is compiled"
    assert by_recipient[lithuanian.user.email].subject == accepted_lt
    assert by_recipient[english.user.email].subject == f"You are accepted: {cycle.program.name}"


def test_a_decision_without_a_selection_says_what_to_do(client, cycle, coordinator):
    client.force_login(coordinator)
    decide = reverse("participants:decide", args=[cycle.pk])
    response = client.post(decide, {"status": "accepted"}, follow=True)
    assert "Select at least one registration first." in response.content.decode()
    response = client.post(decide, {"status": "promoted", "participants": [1]}, follow=True)
    assert "Choose whether to accept, waitlist or decline." in response.content.decode()


def test_the_waitlist_keeps_the_order_people_were_put_on_it(client, cycle, coordinator):
    first, second, third = (applicant(cycle) for _ in range(3))
    client.force_login(coordinator)
    decide = reverse("participants:decide", args=[cycle.pk])
    for participant in [second, third, first]:
        client.post(decide, {"status": "waitlisted", "participants": [participant.pk]})
    listed = [p.pk for p in client.get(url(cycle, status="waitlisted")).context["page"]]
    assert listed == [second.pk, third.pk, first.pk]


def test_the_registration_list_needs_the_same_queries_for_more_people(
    client, cycle, coordinator, django_assert_num_queries
):
    client.force_login(coordinator)
    for _ in range(3):
        applicant(cycle)
    client.get(url(cycle))  # warm the session and the content types
    # The request's savepoint and its release, session, user, cycle, departments, count, and
    # the page of people with their users and how many answers each gave (a subquery): the
    # answers themselves are asked for when a row is opened, none per person here.
    with django_assert_num_queries(8):
        client.get(url(cycle))
    for _ in range(12):
        applicant(cycle, role="mentor")
    with django_assert_num_queries(8):
        response = client.get(url(cycle))
    assert len(response.context["page"]) == 15


def test_the_bases_export_one_row_a_person_with_formulas_made_harmless(client, cycle, coordinator):
    applicant(cycle, user=UserFactory(first_name="Ona", last_name="Ąžuolaitė"))
    applicant(cycle, role="mentor")
    client.force_login(coordinator)

    export = reverse("participants:export_base", args=[cycle.pk, "mentee", "csv"])
    response = client.get(export)
    assert response["Content-Disposition"].startswith('attachment; filename="')
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header, (row,) = rows[0], rows[1:]
    assert header[:5] == ["Last name", "First name", "Email", "Status", "Applied"]
    assert "Department" in header and "Your goals" in header
    assert row[:2] == ["Ąžuolaitė", "Ona"]
    assert row[header.index("Your goals")] == '\'=HYPERLINK("http://x")'

    export = reverse("participants:export_base", args=[cycle.pk, "mentor", "xlsx"])
    sheet = openpyxl.load_workbook(io.BytesIO(client.get(export).content)).active
    values = list(sheet.values)
    assert values[0][5] == "Capacity"
    assert len(values) == 2
    assert values[1][values[0].index("Your goals")] == '\'=HYPERLINK("http://x")'


def test_an_unknown_filter_value_is_reported_not_silently_dropped(client, cycle, coordinator):
    chemist = applicant(cycle, department="Chemistry")
    applicant(cycle, role="mentor", department="Physics")
    client.force_login(coordinator)
    response = client.get(url(cycle, role="mentee", department="Law"))
    assert {p.pk for p in response.context["page"]} == {chemist.pk}
    page = response.content.decode()
    assert "Select a valid choice." in page
    assert '<label for="id_department" class="form-label">Department</label>' in page
    assert 'class="form-select is-invalid" aria-invalid="true"' in page
    assert 'aria-describedby="id_department_error" id="id_department"' in page
    assert '<option value="mentee" selected>Mentee</option>' in page, "the filter kept"
    assert '<option value="" selected>All statuses</option>' in page


# A row's answers, loaded when the coordinator opens it


def answers_url(participant):
    return reverse("participants:registration_answers", args=[participant.cycle_id, participant.pk])


def test_each_row_says_how_many_answers_and_loads_them_when_it_is_opened(
    client, cycle, coordinator
):
    person = applicant(cycle, department="Physics")
    client.force_login(coordinator)

    page = client.get(url(cycle)).content.decode()
    assert "2 answers</summary>" in page
    assert f'hx-get="{person.pk}/answers/" hx-trigger="toggle once"' in page
    assert url(cycle) + f"{person.pk}/answers/" == answers_url(person), "below the list"
    assert "HYPERLINK" not in page, "the answers are not in the list itself"

    answers = client.get(answers_url(person), headers={"HX-Request": "true"}).content.decode()
    assert answers.index("<dt>Department</dt><dd>Physics</dd>") < answers.index(
        "<dt>Your goals</dt><dd>=HYPERLINK(&quot;http://x&quot;)</dd>"
    ), "in the questions' order, escaped"
    assert "<html" not in answers, "the row's part only"
    assert f'<a href="{person.pk}/answers/">Show the answers</a>' in page, "without JavaScript"
    whole = client.get(answers_url(person)).content.decode()
    assert f"<title>Answers of {person.user} · " in whole
    assert "<dt>Department</dt><dd>Physics</dd>" in whole


def test_a_rows_answers_are_for_the_cycles_coordinators_and_404_for_everyone_else(
    client, cycle, coordinator
):
    person = applicant(cycle)
    other_coordinator = UserFactory()
    CycleFactory(program__coordinators=[other_coordinator])
    assert client.get(answers_url(person)).status_code == 302, "anonymous: to the login"
    for outsider in [UserFactory(), other_coordinator, person.user, applicant(cycle).user]:
        client.force_login(outsider)
        assert client.get(answers_url(person)).status_code == 404
    client.force_login(coordinator)
    assert "Chemistry" in client.get(answers_url(person)).content.decode()
    another_cycle = CycleFactory(program=cycle.program)
    elsewhere = reverse("participants:registration_answers", args=[another_cycle.pk, person.pk])
    assert client.get(elsewhere).status_code == 404, "only below the list of the person's cycle"


def test_deciding_what_is_already_decided_says_nothing_changed(
    client, cycle, coordinator, mailoutbox
):
    accepted = applicant(cycle, status=Participant.Status.ACCEPTED)
    client.force_login(coordinator)
    decide = reverse("participants:decide", args=[cycle.pk])
    response = client.post(
        decide, {"status": "accepted", "participants": [accepted.pk]}, follow=True
    )
    assert "Nothing changed" in response.content.decode()
    assert mailoutbox == []


def test_the_admin_list_decides_too_and_emails_each_person(
    client, cycle, mailoutbox, django_capture_on_commit_callbacks
):
    from programs.coordinators import grant_coordinator_access

    staff = UserFactory()
    cycle.program.coordinators.add(staff)
    grant_coordinator_access(staff)
    waiting, withdrawn = applicant(cycle), applicant(cycle, status="withdrawn")
    elsewhere = ParticipantFactory()  # another programme's: not in the coordinator's list
    client.force_login(staff)
    changelist = reverse("admin:participants_participant_changelist")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            changelist,
            {"action": "accept", "_selected_action": [waiting.pk, withdrawn.pk, elsewhere.pk]},
            follow=True,
        )

    assert "1 registration is now “Accepted”" in response.content.decode()
    statuses = dict(Participant.objects.values_list("pk", "status"))
    assert statuses[waiting.pk] == "accepted"
    assert statuses[withdrawn.pk] == "withdrawn" and statuses[elsewhere.pk] == "applied"
    assert [m.to[0] for m in mailoutbox] == [waiting.user.email]
