"""Whether an address has an account cannot be learned from any page, and sign-ups are rate
limited (logins and password resets are tested in tests/participants/test_accounts.py)."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

KNOWN, UNKNOWN = "known@university.example", "nobody@university.example"


def strip_tokens(html: str) -> str:
    """The page without its per-request CSRF token."""
    import re

    return re.sub(r"[A-Za-z0-9]{64}", "TOKEN", html)


def test_a_password_reset_answers_the_same_for_a_known_and_an_unknown_address(client, mailoutbox):
    UserFactory(email=KNOWN)
    known = client.post(reverse("account_reset_password"), {"email": KNOWN}, follow=True)
    unknown = client.post(reverse("account_reset_password"), {"email": UNKNOWN}, follow=True)
    assert known.redirect_chain == unknown.redirect_chain
    assert strip_tokens(known.content.decode()) == strip_tokens(unknown.content.decode())


def test_a_failed_login_answers_the_same_for_a_known_and_an_unknown_address(client):
    UserFactory(email=KNOWN)
    known = client.post(reverse("account_login"), {"login": KNOWN, "password": "wrong"})
    unknown = client.post(reverse("account_login"), {"login": UNKNOWN, "password": "wrong"})
    assert known.status_code == unknown.status_code == 200
    assert strip_tokens(known.content.decode()).replace(KNOWN, "") == strip_tokens(
        unknown.content.decode()
    ).replace(UNKNOWN, "")


def test_sign_ups_are_rate_limited_per_address_of_origin(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup": "3/m/ip"}
    for n in range(3):
        data = {"email": f"new{n}@university.example", "first_name": "A", "last_name": "B",
                "password1": "a-long-password-1", "password2": "a-long-password-1"}  # fmt: skip
        assert client.post(reverse("account_signup"), data).status_code == 302
    data = {**data, "email": "new9@university.example"}
    response = client.post(reverse("account_signup"), data)
    assert response.status_code == 429
