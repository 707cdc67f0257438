"""The welcome email: sent once per person, whoever runs the task and however often."""

import smtplib

import pytest

from participants.notifications.tasks import send_welcome
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_welcome_is_sent_once_however_often_the_task_runs(mailoutbox):
    person = UserFactory()
    assert send_welcome.delay(person.id).get() is True
    assert send_welcome.delay(person.id).get() is False
    assert [m.to for m in mailoutbox] == [[person.email]]
    person.refresh_from_db()
    assert person.welcomed_at is not None


def test_a_failed_send_gives_the_claim_back_for_the_retry(mailoutbox, monkeypatch):
    person = UserFactory()

    def refuse(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("mail server went away")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    with pytest.raises(smtplib.SMTPServerDisconnected):
        person.send_welcome()
    person.refresh_from_db()
    assert person.welcomed_at is None

    monkeypatch.undo()
    assert person.send_welcome() is True
    assert len(mailoutbox) == 1


def test_no_welcome_for_a_deactivated_account(mailoutbox):
    person = UserFactory(is_active=False)
    assert send_welcome.delay(person.id).get() is False
    assert mailoutbox == []


def test_confirming_a_second_address_sends_no_second_welcome(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    from allauth.account.models import EmailAddress
    from allauth.account.signals import email_confirmed

    person = UserFactory()
    second = EmailAddress.objects.create(user=person, email="second@school.example", verified=True)
    with django_capture_on_commit_callbacks(execute=True):
        email_confirmed.send(sender=EmailAddress, request=None, email_address=second)
    assert mailoutbox == []
