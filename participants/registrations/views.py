"""Pages about a person's registrations: registering through a cycle's questionnaire, reading,
editing and withdrawing a registration, and the end-of-cycle self-assessment."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from participants.accounts.forms import ConsentForm
from participants.models import Participant
from participants.registrations import self_assessment
from participants.registrations import services as registration
from participants.registrations.questionnaires import QuestionnaireForm
from participants.registrations.services import refusal
from programs.models import Cycle, Questionnaire


def _questionnaire_or_404(cycle, role):
    purpose = Questionnaire.registration_purpose(role)
    return get_object_or_404(Questionnaire.objects.filter(cycle=cycle, purpose=purpose))


def _questions(questionnaire):
    return questionnaire.questions.order_by("order", "pk")


@login_required
def register(request, cycle_pk, role):
    """The registration questionnaire of a cycle for one role."""
    if role not in Participant.Role.values:
        raise Http404
    cycle = get_object_or_404(
        Cycle.objects.visible_to(request.user).select_related("program"), pk=cycle_pk
    )
    reason = refusal(user=request.user, cycle=cycle, role=role)
    if reason:
        messages.warning(request, reason)
        return redirect(cycle.program)
    questionnaire = _questionnaire_or_404(cycle, role)
    form = QuestionnaireForm(request.POST or None, questions=_questions(questionnaire))
    consent = ConsentForm(request.POST or None, program=cycle.program)
    # Both forms are checked, so every error shows at once.
    if request.method == "POST" and all([form.is_valid(), consent.is_valid()]):
        try:
            participant = registration.register(
                user=request.user,
                cycle=cycle,
                role=role,
                questionnaire=questionnaire,
                answers=form.answers(),
                consented="privacy" in consent.cleaned_data,
                is_minor=consent.cleaned_data.get("under_18", False),
            )
        except IntegrityError:  # the same person submitted twice at once
            messages.warning(request, refusal(user=request.user, cycle=cycle, role=role))
            return redirect(cycle.program)
        messages.success(request, _("Thank you: your registration is received."))
        return redirect("participants:registration", participant.pk)
    context = {
        "cycle": cycle,
        "role": role,
        "questionnaire": questionnaire,
        "form": form,
        "consent": consent,
    }
    return render(request, "participants/register.html", context)


def _own_registration(request, pk):
    return get_object_or_404(
        Participant.objects.filter(user=request.user).select_related("cycle__program"), pk=pk
    )


def _registration_response(participant):
    purpose = Questionnaire.registration_purpose(participant.role)
    return (
        participant.responses.filter(questionnaire__purpose=purpose)
        .select_related("questionnaire")
        .first()
    )


@login_required
def registration_detail(request, pk):
    """A person's own registration: their answers, editable while it is being reviewed."""
    participant = _own_registration(request, pk)
    response = _registration_response(participant)
    answers = (
        response.answers.select_related("question").order_by("question__order", "question__pk")
        if response
        else []
    )
    context = {
        "participant": participant,
        "response": response,
        "answers": answers,
        "self_assessment": participant.is_accepted
        and participant.cycle.self_assessment_for(participant.role),
    }
    return render(request, "participants/registration_detail.html", context)


@login_required
def registration_edit(request, pk):
    participant = _own_registration(request, pk)
    response = _registration_response(participant)
    if not participant.is_editable_by_owner or response is None:
        messages.warning(request, _("Your answers can no longer be changed: they were reviewed."))
        return redirect("participants:registration", participant.pk)
    stored = dict(response.answers.values_list("question_id", "value"))
    form = QuestionnaireForm(
        request.POST or None, questions=_questions(response.questionnaire), answers=stored
    )
    if request.method == "POST" and form.is_valid():
        registration.update_answers(
            participant=participant, response=response, answers=form.answers()
        )
        messages.success(request, _("Your answers are saved."))
        return redirect("participants:registration", participant.pk)
    context = {"participant": participant, "form": form, "questionnaire": response.questionnaire}
    return render(request, "participants/registration_edit.html", context)


@login_required
@require_POST
def registration_withdraw(request, pk):
    participant = _own_registration(request, pk)
    if participant.status in (Participant.Status.APPLIED, Participant.Status.WAITLISTED):
        registration.withdraw(participant)
        messages.success(request, _("You have withdrawn your registration."))
    else:
        messages.warning(
            request, _("To leave an accepted place, write to the programme's coordinators.")
        )
    return redirect("participants:registration", participant.pk)


@login_required
def self_assessment_page(request, pk):
    """A participant's self-assessment at the end of the cycle: answered, and changed, while
    it is open; read afterwards."""
    participant = _own_registration(request, pk)
    cycle = participant.cycle
    questionnaire = cycle.self_assessment_for(participant.role)
    if questionnaire is None or not participant.is_accepted:
        raise Http404
    response = participant.responses.filter(questionnaire=questionnaire).first()
    is_open = self_assessment.is_open(cycle, timezone.localdate())
    stored = dict(response.answers.values_list("question_id", "value")) if response else {}
    posted = is_open and request.method == "POST"
    form = QuestionnaireForm(
        request.POST if posted else None,
        questions=_questions(questionnaire),
        answers=stored,
    )
    if posted and form.is_valid():
        self_assessment.answer(
            participant=participant, questionnaire=questionnaire, answers=form.answers()
        )
        messages.success(request, _("Thank you: your self-assessment is saved."))
        return redirect("participants:self_assessment", participant.pk)
    context = {
        "participant": participant,
        "questionnaire": questionnaire,
        "response": response,
        "answers": response.answers.select_related("question").order_by(
            "question__order", "question__pk"
        )
        if response
        else [],
        "form": form,
        "is_open": is_open,
        "opens_on": cycle.self_assessment_opens(),
    }
    return render(request, "participants/self_assessment.html", context)
