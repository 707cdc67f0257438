"""Pages about the person: their profile and language, and their registrations."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import i18n
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from programs.models import Cycle, Program, Questionnaire

from . import notifications, registration, self_assessment
from .forms import ConsentForm, ProfileForm, RemindersForm
from .models import Notification, Participant, User
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


@login_required
def reminders(request):
    """Which reminders the person gets by email."""
    form = RemindersForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your choice of reminders is saved."))
        return redirect("participants:reminders")
    return render(request, "participants/reminders.html", {"form": form})


@csrf_exempt  # mail programs post the one-click stop without a form; the signed link is the key
def notifications_stop(request, token):
    """The one-click link at the foot of a reminder: no login, the signed link is enough.
    A visit shows what will stop; the button (or a mail program's one-click request) stops it."""
    found = notifications.read_stop_token(token)
    user = User.objects.filter(pk=found[0], is_active=True).first() if found else None
    if user is None:
        return render(
            request, "participants/notifications_stop.html", {"invalid": True}, status=404
        )
    kind = notifications.KINDS[found[1]]
    stopped = found[1] in user.muted_notifications
    if request.method == "POST" and not stopped:
        user.muted_notifications = [*user.muted_notifications, kind.name]
        user.save(update_fields=["muted_notifications"])
        stopped = True
    context = {"kind": kind, "stopped": stopped, "person": user}
    return render(request, "participants/notifications_stop.html", context)


@login_required
def emails_overview(request):
    """What the background work emailed to the coordinator's programmes: how many of each
    kind were sent, those that failed (to send again), and who switched reminders off."""
    programs = Program.objects.coordinated_by(request.user)
    if not programs.exists():
        raise Http404
    ledger = Notification.objects.coordinated_by(request.user)
    counts = {}
    for kind, state, number in (
        ledger.values_list("kind", "state").annotate(n=Count("pk")).order_by("kind", "state")
    ):
        counts.setdefault(kind, {})[state] = number
    kinds = notifications.KINDS
    summary = [
        {
            "label": kinds[kind].label if kind in kinds else kind,
            "waiting": states.get("pending", 0) + states.get("sending", 0),
            **states,
        }
        for kind, states in counts.items()
    ]
    failed = ledger.filter(state=Notification.State.FAILED).select_related("recipient")[:100]
    opted_out = (
        User.objects.filter(
            participations__cycle__program__in=programs,
            participations__status=Participant.Status.ACCEPTED,
        )
        .exclude(muted_notifications=[])
        .distinct()
        .order_by("last_name", "first_name")
    )
    for person in opted_out:
        person.muted_labels = [kinds[k].label for k in person.muted_notifications if k in kinds]
    context = {"summary": summary, "failed": failed, "opted_out": opted_out}
    return render(request, "participants/emails_overview.html", context)


@login_required
@require_POST
def emails_retry(request):
    """Send the failed emails of the coordinator's programmes again."""
    failed = Notification.objects.coordinated_by(request.user).filter(
        state=Notification.State.FAILED
    )
    again = failed.update(
        state=Notification.State.PENDING, attempts=0, next_attempt_at=timezone.now()
    )
    notifications.dispatch()
    messages.success(
        request,
        ngettext(
            "%(count)d email will be sent again.", "%(count)d emails will be sent again.", again
        )
        % {"count": again},
    )
    return redirect("participants:emails")
