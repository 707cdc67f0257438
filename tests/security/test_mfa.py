"""Coordinators and superusers need two-factor authentication for the coordinators' pages and
the administration site; everyone else is not asked."""

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from programs.coordinators import grant_coordinator_access
from tests.factories import CycleFactory, EventFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _required(settings):
    settings.COORDINATOR_MFA_REQUIRED = True


def with_authenticator(user):
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    return user


@pytest.fixture
def coordinator():
    user = UserFactory()
    grant_coordinator_access(user)
    return user


@pytest.fixture
def pages(coordinator):
    cycle = CycleFactory(program__coordinators=[coordinator])
    event = EventFactory(program=cycle.program)
    return [
        reverse("admin:index"),
        reverse("admin:programs_program_changelist"),
        reverse("coordinate"),
        reverse("dashboard", args=[cycle.pk]),
        reverse("report", args=[cycle.pk]),
        reverse("participants:registrations", args=[cycle.pk]),
        reverse("participants:matching", args=[cycle.pk]),
        reverse("participants:emails"),
        reverse("meetings:coordinate_help"),
        reverse("events:attendance", args=[event.pk]),
        reverse("events:message", args=[event.pk]),
    ]


def test_a_coordinator_without_two_factor_is_led_to_set_it_up(client, coordinator, pages):
    client.force_login(coordinator)
    for page in pages:
        response = client.get(page)
        assert response.status_code == 302, page
        assert response.url == reverse("mfa_activate_totp"), page
    followed = client.get(pages[0], follow=True).content.decode()
    assert "set up two-factor authentication" in followed


def test_with_an_authenticator_the_coordinator_reaches_every_page(client, coordinator, pages):
    client.force_login(with_authenticator(coordinator))
    for page in pages:
        assert client.get(page).status_code == 200, page


def test_a_superuser_needs_it_too(client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    assert client.get(reverse("admin:index")).url == reverse("mfa_activate_totp")
    with_authenticator(admin)
    assert client.get(reverse("admin:index")).status_code == 200


def test_a_programme_coordinator_who_is_not_staff_needs_it_for_the_coordinators_pages(client):
    person = UserFactory()
    cycle = CycleFactory(program__coordinators=[person])
    client.force_login(person)
    assert client.get(reverse("dashboard", args=[cycle.pk])).url == reverse("mfa_activate_totp")


def test_participants_are_never_asked_and_coordinators_keep_their_own_pages(client, coordinator):
    participant = UserFactory()
    client.force_login(participant)
    assert client.get(reverse("my_mentorship")).status_code == 200
    assert client.get(reverse("meetings:help")).status_code == 200
    client.force_login(coordinator)
    for page in ("my_mentorship", "home", "events:list", "profile", "mfa_index"):
        assert client.get(reverse(page)).status_code == 200, page


def test_development_can_switch_the_requirement_off(client, coordinator, settings):
    settings.COORDINATOR_MFA_REQUIRED = False
    client.force_login(coordinator)
    assert client.get(reverse("coordinate")).status_code == 200
