"""Pages about the person's account: their profile, their language and the reminders they get."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views import i18n
from django.views.decorators.http import require_POST

from participants.accounts.forms import ProfileForm, RemindersForm


@require_POST
def set_language(request):
    """Django's language switch, which also remembers a logged-in person's choice."""
    response = i18n.set_language(request)
    language = request.POST.get("language")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        request.user.language = language
        request.user.save(update_fields=["language"])
    return response


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        translation.activate(user.language)
        messages.success(request, _("Your profile is saved."))
        return redirect("profile")
    return render(request, "participants/profile.html", {"form": form})


@login_required
def reminders(request):
    """Which reminders the person gets by email."""
    form = RemindersForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your choice of reminders is saved."))
        return redirect("participants:reminders")
    return render(request, "participants/reminders.html", {"form": form})
