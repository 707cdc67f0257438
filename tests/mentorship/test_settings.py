"""Settings come from the environment; production values pass Django's deployment check."""

import os
import subprocess
import sys
from pathlib import Path

from django.urls import reverse_lazy

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "a-production-secret-that-is-long-and-random-0123456789-abcdefghij",
    "ALLOWED_HOSTS": "mentorship.university.example",
    "DATABASE_URL": "postgres://mentorship@db.internal:5432/mentorship",
    "REDIS_URL": "redis://cache.internal:6379/0",
    "EMAIL_URL": "smtp+tls://mailer:secret@smtp.university.example:587",
    "DEFAULT_FROM_EMAIL": "Mentorship <mentorship@university.example>",
}


# Set for the browser tests' own process only (Playwright runs an event loop in it); a
# production process never has it.
TEST_ONLY = {"DJANGO_ALLOW_ASYNC_UNSAFE"}


def manage(*args, env):
    clean = {k: v for k, v in os.environ.items() if k not in PRODUCTION and k not in TEST_ONLY}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_deployment_check_is_clean_with_production_values():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


def test_pages_send_the_security_headers(client, db):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_production_requires_two_factor_for_coordinators_and_secure_cookies():
    code = (
        "from django.conf import settings as s; "
        "print(s.COORDINATOR_MFA_REQUIRED, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT)"
    )
    result = manage("shell", "-c", code, env=PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == ["True", "True", "True", "31536000", "True"]


def test_a_production_response_carries_hsts_and_secure_cookies(client, db, settings):
    """Production's values (from the deployment-check environment above) on a real
    response: HTTPS is enforced, remembered by HSTS, and cookies never travel in clear."""
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = settings.SECURE_HSTS_PRELOAD = True
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    settings.LANGUAGE_COOKIE_SECURE = True

    assert client.get("/").url.startswith("https://"), "plain HTTP is sent to HTTPS"
    response = client.get(reverse_lazy("account_login"), secure=True)
    assert response["Strict-Transport-Security"] == ("max-age=31536000; includeSubDomains; preload")
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response.cookies["csrftoken"]["secure"]
    client.post(reverse_lazy("set_language"), {"language": "lt"}, secure=True)
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME]["secure"]
