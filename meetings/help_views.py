"""Help requests: a mentor or mentee asks the coordinators; coordinators answer and close."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from participants.models import Participant
from programs.models import Program

from . import work
from .forms import AnswerForm, HelpRequestForm
from .models import HelpRequest

PAGE_SIZE = 30


def _askable(user):
    """The registrations a person may ask about: every one not declined or withdrawn."""
    return (
        Participant.objects.visible_to(user)
        .filter(user=user)
        .exclude(status__in=[Participant.Status.DECLINED, Participant.Status.WITHDRAWN])
        .select_related("cycle__program")
        .order_by("-cycle__starts_on", "role")
    )


@login_required
def my_requests(request):
    """The person's own requests, and a form to ask a new one."""
    participations = _askable(request.user)
    form = HelpRequestForm(request.POST or None, participations=participations)
    if request.method == "POST" and form.is_valid():
        help_request = work.ask_for_help(form)
        messages.success(
            request, _("Your question is sent. The coordinators answer by email and here.")
        )
        return redirect("meetings:help_request", help_request.pk)
    requests = (
        HelpRequest.objects.visible_to(request.user)
        .filter(participant__user=request.user)
        .select_related("participant__cycle__program")
    )
    context = {"form": form, "requests": requests, "participations": participations}
    return render(request, "meetings/help_list.html", context)


def _own(request, pk) -> HelpRequest:
    return get_object_or_404(
        HelpRequest.objects.visible_to(request.user)
        .filter(participant__user=request.user)
        .select_related("participant__cycle__program", "answered_by"),
        pk=pk,
    )


@login_required
def help_request(request, pk):
    return render(request, "meetings/help_detail.html", {"help_request": _own(request, pk)})


@login_required
@require_POST
def help_close(request, pk):
    help_request = _own(request, pk)
    if help_request.close():
        messages.success(request, _("The request is closed. Thank you."))
    return redirect("meetings:help_request", help_request.pk)


@login_required
def coordinate_list(request):
    """The requests of the programmes the coordinator runs: open and answered ones first."""
    if not Program.objects.coordinated_by(request.user).exists():
        raise Http404
    requests = (
        HelpRequest.objects.coordinated_by(request.user)
        .select_related("participant__user", "participant__cycle__program")
        .order_by("status", "-created_at", "-pk")
    )
    status = request.GET.get("status", "")
    if status in HelpRequest.Status.values:
        requests = requests.filter(status=status)
    elif status != "all":
        status = ""
        requests = requests.unresolved()
    page = Paginator(requests, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "status": status, "statuses": HelpRequest.Status.choices}
    return render(request, "meetings/coordinate_help_list.html", context)


def _coordinated(request, pk) -> HelpRequest:
    return get_object_or_404(
        HelpRequest.objects.coordinated_by(request.user).select_related(
            "participant__user", "participant__cycle__program", "answered_by"
        ),
        pk=pk,
    )


@login_required
def coordinate_detail(request, pk):
    help_request = _coordinated(request, pk)
    form = AnswerForm(request.POST or None, initial={"answer": help_request.answer})
    if request.method == "POST" and form.is_valid():
        work.answer(help_request, form.cleaned_data["answer"], by=request.user)
        messages.success(request, _("The answer is saved and emailed to the person who asked."))
        return redirect("meetings:coordinate_help")
    context = {"help_request": help_request, "form": form}
    return render(request, "meetings/coordinate_help_detail.html", context)


@login_required
@require_POST
def coordinate_close(request, pk):
    help_request = _coordinated(request, pk)
    if help_request.close():
        messages.success(request, _("The request is closed."))
    return redirect("meetings:coordinate_help")
