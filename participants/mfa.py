"""Coordinators and superusers reach the coordinators' pages and the administration site only
with two-factor authentication: without an authenticator they are led to set one up."""

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from programs.models import Program

# The coordinators' pages that do not live under coordinate/ or the admin.
MANAGEMENT_VIEWS = {
    "events:attendance",
    "events:mark_attendance",
    "events:export",
    "events:message",
}


def is_coordinators_page(match) -> bool:
    return (
        match.namespace == "admin"
        or match.route.startswith("coordinate/")
        or match.view_name in MANAGEMENT_VIEWS
    )


def needs_mfa(user) -> bool:
    """Whether `user` runs programmes (or the site) and has no second factor yet."""
    if not user.is_authenticated:
        return False
    runs = user.is_staff or user.is_superuser or Program.objects.coordinated_by(user).exists()
    return runs and not Authenticator.objects.filter(user=user).exists()


class CoordinatorMFAMiddleware:
    """After AuthenticationMiddleware: sends a coordinator without two-factor authentication
    from a coordinators' page to its set-up (COORDINATOR_MFA_REQUIRED, on outside
    development)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if not settings.COORDINATOR_MFA_REQUIRED or match is None:
            return None
        if is_coordinators_page(match) and needs_mfa(request.user):
            messages.warning(
                request,
                _(
                    "Coordinators' pages hold other people's personal data: set up two-factor "
                    "authentication (an authenticator app) to open them."
                ),
            )
            return redirect("mfa_activate_totp")
        return None
