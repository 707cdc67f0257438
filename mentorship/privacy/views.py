"""The person's own data (to read and to download) and erasing it; a coordinator erasing a
participant of their programme. The rule of what goes and what stays is in personal_data."""

import json

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mentorship.privacy import personal_data
from participants.registrations.access import coordinated_participant_or_404


@login_required
def my_data(request):
    return render(request, "privacy/my_data.html", {"data": personal_data.collect(request.user)})


@login_required
def my_data_json(request):
    body = json.dumps(
        personal_data.collect(request.user), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2
    )
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="my-mentorship-data.json"'
    return response


class EraseForm(forms.Form):
    password = forms.CharField(
        label=gettext_lazy("Your password, to confirm"), widget=forms.PasswordInput
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("That is not your password."))
        return password


@login_required
def erase_account(request):
    """The person erases their account, after typing their password."""
    form = EraseForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        personal_data.erase(request.user)
        logout(request)
        messages.success(request, _("Your account and your personal data are erased."))
        return redirect("home")
    return render(request, "privacy/erase_account.html", {"form": form})


@login_required
def erase_participant(request, pk):
    """A coordinator erases a participant of their programme, by the same rule."""
    participant = coordinated_participant_or_404(request.user, pk)
    person = participant.user
    if request.method == "POST" and not person.erased_at:
        personal_data.erase(person, by=request.user)
        messages.success(request, _("The person's personal data are erased."))
        return redirect("participants:registrations", participant.cycle_id)
    context = {"participant": participant, "person": person}
    return render(request, "privacy/erase_participant.html", context)
