"""Registering for a cycle through its questionnaire, as a person does it."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from participants.models import Answer, Participant, Response
from tests.factories import (
    PASSWORD,
    CycleFactory,
    ParticipantFactory,
    UserFactory,
    registration_questionnaire,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle():
    cycle = CycleFactory(program__contact_email="mentoring@university.example")
    registration_questionnaire(cycle, "mentor")
    registration_questionnaire(cycle, "mentee")
    return cycle


def questions(cycle, role):
    questionnaire = cycle.questionnaires.get(purpose=f"{role}_registration")
    return {q.text: f"q{q.pk}" for q in questionnaire.questions.all()}


def answers(cycle, role="mentee", **changes):
    names = questions(cycle, role)
    data = {
        names["Department"]: "Faculty of Chemistry",
        names["Your goals"]: "Plan my first course.",
        names["Meeting format"]: "Online",
        names["Competences"]: ["Assessment", "Digital tools"],
        names["Confidence"]: "3",
        names["First year of teaching?"]: "yes",
        names["How many mentees can you take?"]: "2",
        names["Available from"]: "2026-10-01",
    }
    for text, value in changes.items():
        data[names[text.replace("_", " ")]] = value
    return {k: v for k, v in data.items() if v is not None}


def register_url(cycle, role="mentee"):
    return reverse("participants:register", args=[cycle.pk, role])


def test_a_visitor_is_sent_to_log_in_and_comes_back_to_the_questionnaire(client, cycle):
    url = register_url(cycle)
    response = client.get(url)
    assert response.url == f"{reverse('account_login')}?next={url}"
    UserFactory(email="new.lecturer@university.example")
    response = client.post(
        response.url, {"login": "new.lecturer@university.example", "password": PASSWORD}
    )
    assert response.url == url


def test_a_lecturer_registers_as_mentee_and_gets_a_confirmation(
    client, cycle, mailoutbox, django_capture_on_commit_callbacks
):
    person = UserFactory(language="lt")
    client.force_login(person)
    assert client.get(register_url(cycle)).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(register_url(cycle), answers(cycle))

    participant = Participant.objects.get(user=person)
    assert response.url == reverse("participants:registration", args=[participant.pk])
    assert (participant.role, participant.status) == ("mentee", "applied")
    stored = {a.question.text: a.value for a in Answer.objects.select_related("question")}
    assert stored == {
        "Department": "Faculty of Chemistry",
        "Your goals": "Plan my first course.",
        "Meeting format": "Online",
        "Competences": ["Assessment", "Digital tools"],
        "Confidence": 3,
        "First year of teaching?": True,
        "How many mentees can you take?": 2,
        "Available from": "2026-10-01",
    }
    assert participant.capacity is None, "only mentors offer places"
    (email,) = mailoutbox
    assert email.to == [person.email]
    assert email.extra_headers["Content-Language"] == "lt"
    assert cycle.program.name in email.subject

    page = client.get(response.url).content.decode()
    assert "Faculty of Chemistry" in page
    assert "Assessment, Digital tools" in page


def test_a_mentors_capacity_comes_from_their_answer(client, cycle):
    client.force_login(UserFactory())
    client.post(register_url(cycle, "mentor"), answers(cycle, "mentor"))
    mentor = Participant.objects.get()
    assert (mentor.role, mentor.capacity, mentor.effective_capacity) == ("mentor", 2, 2)


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"Department": ""}, "This field is required."),
        ({"Your_goals": "x" * 4001}, "Ensure this value has at most 4000 characters"),
        ({"Meeting_format": "By pigeon"}, "Select a valid choice."),
        ({"Competences": ["Juggling"]}, "Select a valid choice."),
        ({"Confidence": "9"}, "Select a valid choice."),
        ({"How_many_mentees_can_you_take?": "many"}, "Enter a whole number."),
        ({"Available_from": "31/31/2026"}, "Enter a valid date."),
    ],
)
def test_bad_answers_are_explained_kept_and_nothing_is_saved(client, cycle, change, error):
    client.force_login(UserFactory())
    response = client.post(register_url(cycle), answers(cycle, **change))
    assert response.status_code == 200
    page = response.content.decode()
    assert error in page
    assert "Faculty of Chemistry" in page or change.get("Department") == ""
    assert not Participant.objects.exists()
    assert not Response.objects.exists()


def test_registration_is_refused_once_closed(client, cycle):
    cycle.registration_closes = timezone.now() - datetime.timedelta(minutes=1)
    cycle.registration_opens = timezone.now() - datetime.timedelta(days=10)
    cycle.save()
    client.force_login(UserFactory())
    response = client.post(register_url(cycle), answers(cycle), follow=True)
    assert "is closed" in response.content.decode()
    assert not Participant.objects.exists()


def test_a_second_registration_in_the_same_role_is_refused(client, cycle):
    person = UserFactory()
    ParticipantFactory(user=person, cycle=cycle, role="mentee")
    client.force_login(person)
    response = client.post(register_url(cycle), answers(cycle), follow=True)
    assert "You have already registered as mentee in this cycle." in response.content.decode()
    assert Participant.objects.count() == 1


def test_a_withdrawn_person_is_told_whom_to_ask(client, cycle):
    person = UserFactory()
    ParticipantFactory(user=person, cycle=cycle, status=Participant.Status.WITHDRAWN)
    client.force_login(person)
    page = client.get(register_url(cycle), follow=True).content.decode()
    assert "You withdrew from this cycle" in page
    assert "mentoring@university.example" in page


def test_a_person_may_register_as_mentor_in_one_programme_and_mentee_in_another(client, cycle):
    other = CycleFactory()
    registration_questionnaire(other, "mentor")
    client.force_login(UserFactory())
    client.post(register_url(cycle), answers(cycle))
    client.post(register_url(other, "mentor"), answers(other, "mentor"))
    assert sorted(Participant.objects.values_list("role", flat=True)) == ["mentee", "mentor"]


def registered(client, cycle):
    client.force_login(UserFactory())
    client.post(register_url(cycle), answers(cycle))
    return Participant.objects.get()


def test_while_applied_a_person_changes_their_answers(client, cycle):
    participant = registered(client, cycle)
    edit = reverse("participants:registration_edit", args=[participant.pk])
    page = client.get(edit).content.decode()
    assert 'value="Faculty of Chemistry"' in page
    client.post(edit, answers(cycle, Department="Faculty of Physics", Competences=["Assessment"]))
    stored = dict(Answer.objects.values_list("question__text", "value"))
    assert stored["Department"] == "Faculty of Physics"
    assert stored["Competences"] == ["Assessment"]


def test_after_the_decision_answers_can_no_longer_change(client, cycle):
    participant = registered(client, cycle)
    participant.set_status(Participant.Status.ACCEPTED)
    edit = reverse("participants:registration_edit", args=[participant.pk])
    response = client.post(edit, answers(cycle, Department="Elsewhere"), follow=True)
    assert "can no longer be changed" in response.content.decode()
    assert Answer.objects.get(question__text="Department").value == "Faculty of Chemistry"


def test_a_person_withdraws_while_applied(client, cycle):
    participant = registered(client, cycle)
    client.post(reverse("participants:registration_withdraw", args=[participant.pk]))
    participant.refresh_from_db()
    assert participant.status == Participant.Status.WITHDRAWN


def test_nobody_else_sees_or_changes_a_registration(client, cycle):
    participant = registered(client, cycle)
    other_coordinator = UserFactory()
    CycleFactory(program__coordinators=[other_coordinator])
    same_cycle = ParticipantFactory(cycle=cycle, role="mentor").user
    for outsider in [UserFactory(), other_coordinator, same_cycle]:
        client.force_login(outsider)
        for name in ["registration", "registration_edit"]:
            url = reverse(f"participants:{name}", args=[participant.pk])
            assert client.get(url).status_code == 404
        withdraw = reverse("participants:registration_withdraw", args=[participant.pk])
        assert client.post(withdraw).status_code == 404
    participant.refresh_from_db()
    assert participant.status == Participant.Status.APPLIED


def test_the_home_page_lists_cycles_open_for_registration(client, cycle):
    now = timezone.now()
    closed = CycleFactory(
        registration_closes=now - datetime.timedelta(days=1),
        registration_opens=now - datetime.timedelta(days=9),
    )
    page = client.get(reverse("home")).content.decode()
    assert cycle.program.name in page
    assert closed.program.name not in page
    assert "No programme is open for registration right now." not in page


def test_the_programme_page_offers_both_roles_and_then_the_persons_status(client, cycle):
    page = client.get(cycle.program.get_absolute_url()).content.decode()
    assert register_url(cycle, "mentor") in page
    assert register_url(cycle, "mentee") in page
    participant = registered(client, cycle)
    page = client.get(cycle.program.get_absolute_url()).content.decode()
    assert reverse("participants:registration", args=[participant.pk]) in page
    assert register_url(cycle, "mentee") not in page


def test_a_visitor_who_signs_up_lands_on_the_questionnaire_after_confirming(
    client, cycle, mailoutbox
):
    url = register_url(cycle)
    signup = f"{reverse('account_signup')}?next={url}"
    client.post(
        signup,
        {
            "first_name": "Nora",
            "last_name": "Naujaitė",
            "email": "nora@university.example",
            "password1": "a-good-long-secret",
            "password2": "a-good-long-secret",
            "next": url,
        },
    )
    confirm = re.search(r"https?://[^/]+(/\S+)", mailoutbox[-1].body).group(1)
    response = client.post(confirm)
    assert response.url == url
