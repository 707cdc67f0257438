"""A mentor or mentee asks the programme's coordinators for help; the coordinators answer by
email and on the site; either side closes the request."""

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from meetings.models import HelpRequest
from participants.models import Participant
from tests.factories import (
    CoordinatorFactory,
    ParticipantFactory,
    ProgramFactory,
    UserFactory,
    active_pairing,
    member_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def emails(django_capture_on_commit_callbacks):
    """Run what the code queues after the commit (the emails), and see what was sent."""
    mail.outbox.clear()

    def sent_by(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args, **kwargs)

    return sent_by


@pytest.fixture
def pairing():
    return active_pairing()


@pytest.fixture
def program(pairing):
    return pairing.cycle.program


@pytest.fixture
def coordinators(program):
    people = [
        CoordinatorFactory(first_name="Rasa", email="rasa@university.example"),
        CoordinatorFactory(first_name="Petras", email="petras@university.example"),
    ]
    program.coordinators.add(*people)
    return people


@pytest.fixture
def asker(pairing):
    return member_user(pairing, "mentee")


def registration(user, pairing):
    return Participant.objects.get(user=user, cycle=pairing.cycle)


def ask(user, pairing, *, message, topic=HelpRequest.Topic.METHODS, status="open"):
    return HelpRequest.objects.create(
        participant=registration(user, pairing), topic=topic, message=message, status=status
    )


def test_a_member_asks_for_help_and_every_coordinator_is_emailed(
    client, pairing, program, coordinators, asker, emails
):
    CoordinatorFactory(email="elsewhere@university.example")
    ProgramFactory(coordinators=[UserFactory(email="other-programme@university.example")])
    client.force_login(asker)
    response = emails(
        client.post,
        reverse("meetings:help"),
        {
            "participant": registration(asker, pairing).pk,
            "topic": "cooperation",
            "message": "My mentor has not answered for three weeks.",
        },
    )
    help_request = HelpRequest.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("meetings:help_request", args=[help_request.pk])
    assert help_request.status == HelpRequest.Status.OPEN
    assert help_request.topic == "cooperation"
    assert help_request.message == "My mentor has not answered for three weeks."
    assert help_request.participant.user == asker

    assert sorted(m.to[0] for m in mail.outbox) == [
        "petras@university.example",
        "rasa@university.example",
    ]
    answer_page = settings.SITE_URL + reverse(
        "meetings:coordinate_help_detail", args=[help_request.pk]
    )
    for message in mail.outbox:
        assert message.subject == f"A new help request: {program.name}"
        assert answer_page in message.body
        assert "My mentor has not answered for three weeks." in message.body
        assert answer_page in message.alternatives[0][0]


def test_an_empty_question_is_refused_and_the_chosen_topic_is_kept(
    client, pairing, coordinators, asker, emails
):
    client.force_login(asker)
    response = emails(
        client.post,
        reverse("meetings:help"),
        {"participant": registration(asker, pairing).pk, "topic": "organisation", "message": ""},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Please correct the fields marked below." in page
    assert "This field is required." in page
    assert '<option value="organisation" selected>' in page
    assert not HelpRequest.objects.exists()
    assert not mail.outbox


def test_a_person_asks_only_about_their_own_registrations(
    client, pairing, coordinators, asker, emails
):
    someone_else = registration(member_user(pairing, "mentor"), pairing)
    client.force_login(asker)
    form = client.get(reverse("meetings:help")).content.decode()
    assert f'value="{registration(asker, pairing).pk}"' in form
    assert f'value="{someone_else.pk}"' not in form

    response = emails(
        client.post,
        reverse("meetings:help"),
        {"participant": someone_else.pk, "topic": "methods", "message": "Asked in their name."},
    )
    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    assert not HelpRequest.objects.exists()
    assert not mail.outbox


def test_a_declined_registration_is_not_offered(client, asker, coordinators):
    declined = ParticipantFactory(user=asker, status=Participant.Status.DECLINED)
    client.force_login(asker)
    response = client.post(
        reverse("meetings:help"),
        {"participant": declined.pk, "topic": "methods", "message": "Why was I declined?"},
    )
    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    assert not HelpRequest.objects.exists()


def test_the_coordinators_list_shows_the_unclosed_requests_and_filters_by_status(
    client, pairing, coordinators, asker
):
    ask(asker, pairing, message="An open question.")
    ask(asker, pairing, message="An answered question.", status="answered")
    ask(asker, pairing, message="A closed question.", status="closed")
    elsewhere = active_pairing()
    ask(member_user(elsewhere, "mentee"), elsewhere, message="A question elsewhere.")
    client.force_login(coordinators[0])
    every = [
        "An open question.",
        "An answered question.",
        "A closed question.",
        "A question elsewhere.",
    ]

    def listed(status=None):
        response = client.get(reverse("meetings:coordinate_help"), {"status": status or ""})
        assert response.status_code == 200
        page = response.content.decode()
        return {text for text in every if text in page}

    assert listed() == {"An open question.", "An answered question."}
    assert listed("open") == {"An open question."}
    assert listed("answered") == {"An answered question."}
    assert listed("closed") == {"A closed question."}
    assert listed("all") == {"An open question.", "An answered question.", "A closed question."}


def test_the_coordinator_answers_and_the_asker_is_emailed_the_answer(
    client, pairing, program, coordinators, asker, emails
):
    help_request = ask(asker, pairing, message="How do I give feedback on a lesson?")
    client.force_login(coordinators[0])
    page = client.get(reverse("meetings:coordinate_help_detail", args=[help_request.pk]))
    assert "How do I give feedback on a lesson?" in page.content.decode()

    response = emails(
        client.post,
        reverse("meetings:coordinate_help_detail", args=[help_request.pk]),
        {"answer": "Start with what worked, then one thing to try."},
    )
    assert response.status_code == 302
    assert response.url == reverse("meetings:coordinate_help")
    help_request.refresh_from_db()
    assert help_request.status == HelpRequest.Status.ANSWERED
    assert help_request.answer == "Start with what worked, then one thing to try."
    assert help_request.answered_by == coordinators[0]
    assert help_request.answered_at is not None

    [message] = mail.outbox
    assert message.to == [asker.email]
    assert message.subject == f"The coordinators answered your question: {program.name}"
    assert "Start with what worked, then one thing to try." in message.body
    assert "How do I give feedback on a lesson?" in message.body
    assert settings.SITE_URL + reverse("meetings:help_request", args=[help_request.pk]) in (
        message.body
    )


def test_an_empty_answer_is_refused_and_nothing_is_sent(
    client, pairing, coordinators, asker, emails
):
    help_request = ask(asker, pairing, message="Can we change pairs?")
    client.force_login(coordinators[0])
    response = emails(
        client.post,
        reverse("meetings:coordinate_help_detail", args=[help_request.pk]),
        {"answer": "  "},
    )
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    help_request.refresh_from_db()
    assert help_request.status == HelpRequest.Status.OPEN
    assert not mail.outbox


def test_the_answer_is_emailed_in_the_askers_language(
    client, pairing, program, coordinators, asker, emails
):
    asker.language = "lt"
    asker.save(update_fields=["language"])
    help_request = ask(asker, pairing, message="Kaip vertinti pamoką?")
    client.force_login(coordinators[0])
    emails(
        client.post,
        reverse("meetings:coordinate_help_detail", args=[help_request.pk]),
        {"answer": "Pradėkite nuo to, kas pavyko."},
    )
    [message] = mail.outbox
    assert message.extra_headers["Content-Language"] == "lt"
    assert "Pradėkite nuo to, kas pavyko." in message.body
    assert message.subject != f"The coordinators answered your question: {program.name}"
    assert program.name in message.subject


def test_the_asker_sees_the_answer_on_the_help_page_and_on_my_mentorship(
    client, pairing, coordinators, asker
):
    help_request = ask(asker, pairing, message="Where are the seminar slides?", topic="programme")
    help_request.answer_with("In the documents of the programme.", by=coordinators[0])
    client.force_login(asker)

    page = client.get(reverse("meetings:help_request", args=[help_request.pk])).content.decode()
    answer = page[page.index("The coordinators' answer") :]
    assert "In the documents of the programme." in answer
    assert coordinators[0].get_full_name() in answer

    home = client.get(reverse("my_mentorship")).content.decode()
    todo = home[home.index("What to do next") : home.index("</section>")]
    assert (
        "The coordinators answered your question about "
        "“The programme&#x27;s rules and documents”." in todo
    )
    assert f'href="{reverse("meetings:help_request", args=[help_request.pk])}"' in todo


def test_the_asker_closes_the_request_and_it_leaves_the_coordinators_list(
    client, pairing, coordinators, asker
):
    help_request = ask(asker, pairing, message="Settled question.", topic="other")
    help_request.answer_with("Here is how.", by=coordinators[0])
    client.force_login(asker)
    response = client.post(reverse("meetings:help_close", args=[help_request.pk]))
    assert response.status_code == 302
    assert response.url == reverse("meetings:help_request", args=[help_request.pk])
    help_request.refresh_from_db()
    assert help_request.status == HelpRequest.Status.CLOSED
    assert help_request.closed_at is not None
    assert "The coordinators answered your question" not in (
        client.get(reverse("my_mentorship")).content.decode()
    )

    client.force_login(coordinators[0])
    listing = reverse("meetings:coordinate_help")
    assert "Settled question." not in client.get(listing).content.decode()
    assert "Settled question." in client.get(listing, {"status": "closed"}).content.decode()


def test_the_coordinator_closes_the_request_and_it_leaves_the_default_list(
    client, pairing, coordinators, asker
):
    help_request = ask(asker, pairing, message="Please close this one.")
    client.force_login(coordinators[1])
    listing = reverse("meetings:coordinate_help")
    assert "Please close this one." in client.get(listing).content.decode()

    response = client.post(reverse("meetings:coordinate_help_close", args=[help_request.pk]))
    assert response.status_code == 302
    assert response.url == listing
    help_request.refresh_from_db()
    assert help_request.status == HelpRequest.Status.CLOSED
    assert "Please close this one." not in client.get(listing).content.decode()

    client.force_login(asker)
    page = client.get(reverse("meetings:help_request", args=[help_request.pk])).content.decode()
    assert "Closed" in page
    assert "Close: my question is settled" not in page
