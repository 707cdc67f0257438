"""The coordinators' forms for forming pairs: matching criteria, pairs by hand, ending."""

from django import forms
from django.utils.translation import gettext_lazy as _

from participants.models import MatchingCriterion, Membership, Pairing, Participant
from programs.models import Question, Questionnaire


class QuestionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, question):
        tag = question.get_matching_tag_display()
        return f"{question.text} ({tag})" if tag else question.text


class CriterionForm(forms.ModelForm):
    class Meta:
        model = MatchingCriterion
        fields = ["mentor_question", "mentee_question", "rule", "weight"]
        field_classes = {
            "mentor_question": QuestionChoiceField,
            "mentee_question": QuestionChoiceField,
        }
        widgets = {"weight": forms.NumberInput(attrs={"min": 0, "max": 10})}

    def __init__(self, *args, cycle, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.cycle = cycle
        for field, purpose in (
            ("mentor_question", Questionnaire.Purpose.MENTOR_REGISTRATION),
            ("mentee_question", Questionnaire.Purpose.MENTEE_REGISTRATION),
        ):
            self.fields[field].queryset = (
                Question.objects.filter(questionnaire__cycle=cycle, questionnaire__purpose=purpose)
                .select_related("questionnaire")
                .order_by("order", "pk")
            )


CriterionFormSet = forms.modelformset_factory(
    MatchingCriterion, form=CriterionForm, extra=1, can_delete=True
)


class ParticipantsField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, participant):
        return f"{participant.user} <{participant.user.email}>"


class PairingForm(forms.Form):
    """A pair or group by hand: at least one mentor and one mentee, accepted in the cycle and
    not in an active pairing yet (unless allowed several)."""

    mentors = ParticipantsField(label=_("Mentors"), queryset=Participant.objects.none())
    mentees = ParticipantsField(label=_("Mentees"), queryset=Participant.objects.none())
    exceed_capacity = forms.BooleanField(
        label=_("Yes, give these mentors more mentees than their capacity"), required=False
    )

    def __init__(self, *args, cycle, **kwargs):
        super().__init__(*args, **kwargs)
        # Those already in an active pair or group are offered only if allowed several.
        accepted = (
            Participant.objects.filter(cycle=cycle)
            .accepted()
            .exclude(
                pk__in=Membership.objects.filter(
                    pairing__cycle=cycle, pairing__status=Pairing.Status.ACTIVE
                ).values("participant"),
                several_pairings_allowed=False,
            )
            .select_related("user")
            .order_by("user__last_name", "user__first_name", "pk")
        )
        self.fields["mentors"].queryset = accepted.mentors()
        self.fields["mentees"].queryset = accepted.mentees()
        self.overruns = []

    def clean(self):
        data = super().clean()
        mentors, mentees = data.get("mentors"), data.get("mentees")
        if mentors and mentees:
            same = {m.user_id for m in mentors} & {m.user_id for m in mentees}
            if same:
                raise forms.ValidationError(_("Nobody can be their own mentor."))
        return data


class EndForm(forms.Form):
    reason = forms.CharField(
        label=_("Why does it end?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("The members read this in their email."),
    )
