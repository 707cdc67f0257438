"""Pages about the person: their profile and language, and their registrations."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views import i18n
from django.views.decorators.http import require_POST

from programs.models import Cycle, Questionnaire

from . import registration
from .forms import ProfileForm
from .models import Participant
from .questionnaires import QuestionnaireForm
from .registration import refusal


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
    if request.method == "POST" and form.is_valid():
        try:
            participant = registration.register(
                user=request.user,
                cycle=cycle,
                role=role,
                questionnaire=questionnaire,
                answers=form.answers(),
            )
        except IntegrityError:  # the same person submitted twice at once
            messages.warning(request, refusal(user=request.user, cycle=cycle, role=role))
            return redirect(cycle.program)
        messages.success(request, _("Thank you: your registration is received."))
        return redirect("participants:registration", participant.pk)
    context = {"cycle": cycle, "role": role, "questionnaire": questionnaire, "form": form}
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
    context = {"participant": participant, "response": response, "answers": answers}
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
