"""The forms of the workspace: goals, plan items, meeting logs and help requests."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Goal, HelpRequest, Meeting, PlanItem


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class GoalForm(forms.ModelForm):
    class Meta:
        model = Goal
        fields = ["title", "description", "target_date", "status", "progress"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "target_date": DateInput(),
            "progress": forms.NumberInput(attrs={"min": 0, "max": 100, "step": 5}),
        }


class PlanItemForm(forms.ModelForm):
    class Meta:
        model = PlanItem
        fields = ["what", "due_on", "goal", "done"]
        widgets = {"due_on": DateInput()}

    def __init__(self, *args, pairing, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal"].queryset = pairing.goals.order_by("pk")
        self.fields["goal"].empty_label = _("(no particular goal)")


class MeetingForm(forms.ModelForm):
    topics = forms.MultipleChoiceField(
        label=_("Topics"),
        choices=Meeting.Topic.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"),
        min_value=1,
        max_value=600,
        widget=forms.NumberInput(attrs={"step": 5}),
        error_messages={
            "min_value": _("Give how long the meeting lasted, in minutes: at least 1."),
            "max_value": _("Give the length in minutes: at most 600 (ten hours)."),
        },
    )

    class Meta:
        model = Meeting
        fields = [
            "held_on", "duration_minutes", "format", "topics", "goals", "notes", "next_steps",
            "next_meeting_at",
        ]  # fmt: skip
        widgets = {
            "held_on": DateInput(),
            "goals": forms.CheckboxSelectMultiple,
            "notes": forms.Textarea(attrs={"rows": 5}),
            "next_steps": forms.Textarea(attrs={"rows": 3}),
            "next_meeting_at": DateTimeInput(),
        }
        help_texts = {
            "notes": _("Only the members of your pair or group read the notes."),
            "next_meeting_at": _("Date and time, if you have agreed them."),
        }

    def __init__(self, *args, pairing, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goals"].queryset = pairing.goals.order_by("pk")
        if self.initial.get("duration_minutes") is None:
            self.initial["duration_minutes"] = pairing.cycle.program.meeting_minutes


class HelpRequestForm(forms.ModelForm):
    class Meta:
        model = HelpRequest
        fields = ["participant", "topic", "message"]
        widgets = {"message": forms.Textarea(attrs={"rows": 6})}
        labels = {"participant": _("Programme")}

    def __init__(self, *args, participations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participant"].queryset = participations
        self.fields["participant"].label_from_instance = lambda p: (
            f"{p.cycle.program.name} {p.cycle.name} ({p.get_role_display().lower()})"
        )
        if len(participations) == 1:
            self.initial["participant"] = participations[0].pk


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer"), max_length=4000, widget=forms.Textarea(attrs={"rows": 6})
    )
