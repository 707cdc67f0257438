"""The welcome email: a row in the ledger, sent once per person however often it is planned."""

import pytest

from participants.models import Notification
from participants.notifications.emails import welcome_email
from participants.notifications.ledger import dispatch
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_welcome_is_sent_once_however_often_it_is_planned(
    mailoutbox, django_capture_on_commit_callbacks
):
    person = UserFactory()
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            welcome_email(person.id)
    dispatch()
    assert [m.to for m in mailoutbox] == [[person.email]]
    assert mailoutbox[0].subject == "Welcome to the mentorship programmes"
    row = Notification.objects.get(recipient=person)
    assert (row.kind, row.state) == ("welcome", Notification.State.SENT)


def test_no_welcome_for_a_deactivated_account(mailoutbox, django_capture_on_commit_callbacks):
    person = UserFactory(is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        welcome_email(person.id)
    assert mailoutbox == []
    assert not Notification.objects.filter(recipient=person).exists()


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
