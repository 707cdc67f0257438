"""Accounts as a person meets them: sign up, confirm, log in, language, reset, MFA, limits."""

import base64
import hashlib
import hmac
import re
import struct
import time
from urllib.parse import urlparse

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.db import IntegrityError
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from tests.factories import PASSWORD, CoordinatorFactory, UserFactory

pytestmark = pytest.mark.django_db

SIGNUP = {
    "first_name": "Aistė",
    "last_name": "Naujokė",
    "email": "aiste.naujoke@university.example",
    "password1": "correct-horse-battery",
    "password2": "correct-horse-battery",
}


def link_in(message) -> str:
    return re.search(r"https?://\S+", message.body).group(0)


def log_in(client, email, password=PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_a_new_person_signs_up_confirms_logs_in_and_switches_to_lithuanian(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    response = client.post(reverse("account_signup"), SIGNUP)
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    user = get_user_model().objects.get(email=SIGNUP["email"])
    assert (user.first_name, user.last_name, user.language) == ("Aistė", "Naujokė", "en")
    assert [m.to for m in mailoutbox] == [[SIGNUP["email"]]]

    client.logout()
    response = log_in(client, SIGNUP["email"], SIGNUP["password1"])
    assert response.url == reverse("account_email_verification_sent"), "unverified may not log in"
    assert "_auth_user_id" not in client.session

    confirm_path = urlparse(link_in(mailoutbox[-1])).path
    assert "Confirm" in client.get(confirm_path).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(confirm_path)
    welcome = mailoutbox[-1]
    assert welcome.subject == "Welcome to the mentorship programmes"
    assert welcome.to == [SIGNUP["email"]]

    client.logout()
    response = log_in(client, SIGNUP["email"], SIGNUP["password1"])
    assert response.status_code == 302
    assert client.get(reverse("home")).context["user"] == user

    response = client.post(reverse("set_language"), {"language": "lt", "next": "/"}, follow=True)
    user.refresh_from_db()
    assert user.language == "lt"
    with translation.override("lt"):
        lithuanian = gettext("Grow together through mentorship")
    assert lithuanian != "Grow together through mentorship"
    page = response.content.decode()
    assert '<html lang="lt">' in page
    assert lithuanian in page


def test_a_saved_language_follows_the_person_to_a_new_browser(client, django_user_model):
    UserFactory(email="rasa@school.example", language="lv")
    client.cookies.clear()
    log_in(client, "rasa@school.example")
    assert client.cookies["django_language"].value == "lv", "the choice outlives a logout"
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en")
    assert response["Content-Language"] == "lv"


def test_an_anonymous_visitor_switches_language_without_an_account(client):
    response = client.post(reverse("set_language"), {"language": "ru", "next": "/"}, follow=True)
    assert response["Content-Language"] == "ru"
    assert '<html lang="ru">' in response.content.decode()


def test_signup_with_mismatched_passwords_keeps_what_was_typed(client):
    data = {**SIGNUP, "password2": "something-else-entirely"}
    response = client.post(reverse("account_signup"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "You must type the same password each time." in page
    assert 'value="Aistė"' in page
    assert 'value="aiste.naujoke@university.example"' in page
    assert not get_user_model().objects.exists()


def test_signup_with_a_taken_address_does_not_reveal_the_account(client, mailoutbox):
    UserFactory(email=SIGNUP["email"])
    response = client.post(reverse("account_signup"), SIGNUP)
    # The same answer as for a new address; the owner is told by email instead.
    assert response.url == reverse("account_email_verification_sent")
    assert get_user_model().objects.count() == 1
    assert mailoutbox[-1].to == [SIGNUP["email"]]


def test_email_addresses_are_unique_whatever_their_case(db):
    UserFactory(email="Mentor@University.example")
    assert get_user_model().objects.get().email == "mentor@university.example"
    with pytest.raises(IntegrityError):
        UserFactory(email="MENTOR@university.example")


def test_password_reset_sends_a_working_link(client, mailoutbox):
    UserFactory(email="lecturer@university.example")
    client.post(reverse("account_reset_password"), {"email": "lecturer@university.example"})
    reset_path = urlparse(link_in(mailoutbox[-1])).path
    form_page = client.get(reset_path, follow=True)
    set_password_path = form_page.redirect_chain[-1][0] if form_page.redirect_chain else reset_path
    client.post(
        set_password_path, {"password1": "brand-new-secret-1", "password2": "brand-new-secret-1"}
    )
    client.logout()
    assert log_in(client, "lecturer@university.example", "brand-new-secret-1").status_code == 302
    assert "_auth_user_id" in client.session


def test_password_change_keeps_the_person_logged_in(client):
    person = UserFactory()
    client.force_login(person)
    response = client.post(
        reverse("account_change_password"),
        {
            "oldpassword": PASSWORD,
            "password1": "another-long-pass",
            "password2": "another-long-pass",
        },
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.check_password("another-long-pass")


def test_failed_logins_are_limited_per_address(client):
    UserFactory(email="target@university.example")
    for _ in range(5):
        response = log_in(client, "target@university.example", "wrong-password")
        assert "not correct" in response.content.decode()
    response = log_in(client, "target@university.example")  # even the right password now
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_password_reset_requests_are_limited(client):
    for _ in range(5):
        response = client.post(reverse("account_reset_password"), {"email": "x@school.example"})
        assert response.status_code == 302
    response = client.post(reverse("account_reset_password"), {"email": "x@school.example"})
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()


def test_the_admin_login_is_the_rate_limited_site_login(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))

    client.force_login(UserFactory())
    assert client.get("/admin/", follow=True).status_code == 403, "a person who is not staff"

    client.force_login(CoordinatorFactory())
    assert client.get("/admin/").status_code == 200


def totp(secret: str, at: float) -> str:
    """The six-digit code an authenticator app shows (RFC 6238)."""
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", int(at // 30)), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 1_000_000:06d}"


def test_a_person_turns_on_two_factor_authentication_and_needs_it_to_log_in(client):
    person = UserFactory(email="careful@university.example")
    log_in(client, person.email)
    response = client.get(reverse("mfa_activate_totp"))
    assert response.url.startswith(reverse("account_reauthenticate")), "asks for the password"
    client.post(response.url, {"password": PASSWORD})
    page = client.get(reverse("mfa_activate_totp")).content.decode()
    secret = re.search(r'id="authenticator_secret"[^>]*value="([A-Z2-7]+)"', page, re.S).group(1)

    response = client.post(reverse("mfa_activate_totp"), {"code": totp(secret, time.time())})
    assert response.status_code == 302
    kinds = set(Authenticator.objects.filter(user=person).values_list("type", flat=True))
    assert kinds == {Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES}

    client.logout()
    with time_machine.travel(time.time() + 60, tick=False):
        response = log_in(client, person.email)
        assert response.url == reverse("mfa_authenticate")
        assert "_auth_user_id" not in client.session
        client.post(reverse("mfa_authenticate"), {"code": totp(secret, time.time())})
        assert client.session["_auth_user_id"] == str(person.pk)
