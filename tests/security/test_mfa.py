"""Coordinators and superusers need two-factor authentication for the coordinators' pages and
the administration site; everyone else is not asked."""

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from tests.factories import CycleFactory, EventFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _required(settings):
    settings.COORDINATOR_MFA_REQUIRED = True


def with_authenticator(user):
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    return user


@pytest.fixture
def pages(cast):
    """The coordinators' pages and the administration site, for the cast's programme."""
    cycle = cast.cycle
    event = EventFactory(program=cast.program)
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


def test_a_coordinator_without_two_factor_is_led_to_set_it_up(client, cast, pages):
    client.force_login(cast.coordinator)
    for page in pages:
        response = client.get(page)
        assert response.status_code == 302, page
        assert response.url == reverse("mfa_activate_totp"), page
    followed = client.get(pages[0], follow=True).content.decode()
    assert "set up two-factor authentication" in followed


def test_with_an_authenticator_the_coordinator_reaches_every_page(client, cast, pages):
    client.force_login(with_authenticator(cast.coordinator))
    for page in pages:
        assert client.get(page).status_code == 200, page


def test_a_superuser_needs_it_too(client, cast):
    client.force_login(cast.superuser)
    assert client.get(reverse("admin:index")).url == reverse("mfa_activate_totp")
    with_authenticator(cast.superuser)
    assert client.get(reverse("admin:index")).status_code == 200


def test_a_programme_coordinator_who_is_not_staff_needs_it_for_the_coordinators_pages(client):
    person = UserFactory()
    cycle = CycleFactory(program__coordinators=[person])
    client.force_login(person)
    assert client.get(reverse("dashboard", args=[cycle.pk])).url == reverse("mfa_activate_totp")


def test_participants_are_never_asked_and_coordinators_keep_their_own_pages(client, cast):
    for who in ["mentor", "mentee", "outsider"]:
        client.force_login(getattr(cast, who))
        assert client.get(reverse("my_mentorship")).status_code == 200, who
        assert client.get(reverse("meetings:help")).status_code == 200, who
    client.force_login(cast.coordinator)
    for page in ("my_mentorship", "home", "events:list", "profile", "mfa_index"):
        assert client.get(reverse(page)).status_code == 200, page


def test_development_can_switch_the_requirement_off(client, cast, settings):
    settings.COORDINATOR_MFA_REQUIRED = False
    client.force_login(cast.coordinator)
    assert client.get(reverse("coordinate")).status_code == 200
