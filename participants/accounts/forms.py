"""Forms about the person: the extra sign-up fields, the profile and the reminders."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from participants.notifications import ledger as notifications


class SignupForm(forms.Form):
    """Added by allauth to its own sign-up form (email and password)."""

    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)

    field_order = ["first_name", "last_name", "email", "password1", "password2"]

    def signup(self, request, user):
        user.first_name = self.cleaned_data["first_name"].strip()
        user.last_name = self.cleaned_data["last_name"].strip()
        user.save(update_fields=["first_name", "last_name"])


class ProfileForm(forms.ModelForm):
    class Meta:
        model = get_user_model()
        fields = ["first_name", "last_name", "language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_name"].required = True
        self.fields["last_name"].required = True


class RemindersForm(forms.Form):
    """One box a kind of reminder: ticked, the person gets it."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        for kind in notifications.opt_out_kinds():
            self.fields[kind.name] = forms.BooleanField(
                label=kind.label,
                required=False,
                initial=kind.name not in user.muted_notifications,
            )

    def save(self):
        self.user.muted_notifications = [
            name for name, wanted in self.cleaned_data.items() if not wanted
        ]
        self.user.save(update_fields=["muted_notifications"])


class ConsentForm(forms.Form):
    """Below the registration questionnaire: agreeing to the programme's privacy notice (when
    it has one) and, where pupils take part, whether the person is under 18."""

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        if program.privacy_notice:
            self.fields["privacy"] = forms.BooleanField(
                label=_("I have read the privacy notice above and agree to it."),
                error_messages={"required": _("Agree to the privacy notice to register.")},
            )
        if program.has_pupils:
            self.fields["under_18"] = forms.BooleanField(
                label=_("I am under 18."),
                required=False,
                help_text=_(
                    "Then the coordinators ask a parent or guardian for their consent before "
                    "accepting you."
                ),
            )
