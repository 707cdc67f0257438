"""A questionnaire as a form: one field per question, answers stored as JSON values."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from programs.models import Question

SHORT_TEXT_MAX = 200
MAX_CAPACITY = 50
LONG_TEXT_MAX = 4000
Kind = Question.Kind


def _yes_no(value):
    return {"yes": True, "no": False}.get(value)


def field_for(question: Question) -> forms.Field:
    common = {
        "label": question.text,
        "required": question.required,
        "help_text": question.help_text,
    }
    options = [(choice, choice) for choice in question.choices]
    if question.kind == Kind.SHORT_TEXT:
        return forms.CharField(max_length=SHORT_TEXT_MAX, **common)
    if question.kind == Kind.LONG_TEXT:
        return forms.CharField(
            max_length=LONG_TEXT_MAX, widget=forms.Textarea(attrs={"rows": 4}), **common
        )
    if question.kind == Kind.SINGLE_CHOICE:
        return forms.ChoiceField(choices=options, widget=forms.RadioSelect, **common)
    if question.kind == Kind.MULTIPLE_CHOICE:
        return forms.MultipleChoiceField(
            choices=options, widget=forms.CheckboxSelectMultiple, **common
        )
    if question.kind == Kind.SCALE:
        return forms.TypedChoiceField(
            choices=[(n, str(n)) for n in range(1, 6)],
            coerce=int,
            empty_value=None,
            widget=forms.RadioSelect(attrs={"class": "scale"}),
            **common,
        )
    if question.kind == Kind.YES_NO:
        return forms.TypedChoiceField(
            choices=[("yes", _("Yes")), ("no", _("No"))],
            coerce=_yes_no,
            empty_value=None,
            widget=forms.RadioSelect,
            **common,
        )
    if question.kind == Kind.NUMBER:
        # A capacity becomes the mentor's number of places: a few dozen at the very most.
        most = MAX_CAPACITY if question.matching_tag == Question.MatchingTag.CAPACITY else 100_000
        return forms.IntegerField(min_value=0, max_value=most, **common)
    if question.kind == Kind.DATE:
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    raise ValueError(f"Unknown question kind {question.kind!r}")


def to_json(value):
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def to_initial(question: Question, value):
    if question.kind == Kind.YES_NO and isinstance(value, bool):
        return "yes" if value else "no"
    return value


class QuestionnaireForm(forms.Form):
    def __init__(self, *args, questions, answers=None, **kwargs):
        """`answers` maps question ids to stored values, to edit an earlier response."""
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        answers = answers or {}
        for question in self.questions:
            name = self.field_name(question)
            self.fields[name] = field_for(question)
            if question.pk in answers:
                self.initial[name] = to_initial(question, answers[question.pk])

    @staticmethod
    def field_name(question) -> str:
        return f"q{question.pk}"

    def answers(self) -> dict:
        """Question -> JSON value, for the questions answered."""
        return {
            question: to_json(self.cleaned_data.get(self.field_name(question)))
            for question in self.questions
        }
