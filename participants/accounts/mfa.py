"""Coordinators and superusers reach the coordinators' pages and the administration site only
with two-factor authentication: without an authenticator they are led to set one up."""

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from programs.models import Program

# Every page that shows coordinators other people's data lives under one of these.
COORDINATORS_PREFIXES = ("/coordinate/", "/admin/")


def is_coordinators_page(path: str) -> bool:
    return path.startswith(COORDINATORS_PREFIXES)


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
        if not settings.COORDINATOR_MFA_REQUIRED:
            return None
        if is_coordinators_page(request.path_info) and needs_mfa(request.user):
            messages.warning(
                request,
                _(
                    "Coordinators' pages hold other people's personal data: set up two-factor "
                    "authentication (an authenticator app) to open them."
                ),
            )
            return redirect("mfa_activate_totp")
        return None
