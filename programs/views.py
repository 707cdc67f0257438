"""Public programme pages and programme documents."""

from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Document, Program, Questionnaire

ROLES = [
    ("mentor", Questionnaire.Purpose.MENTOR_REGISTRATION, _("Register as mentor")),
    ("mentee", Questionnaire.Purpose.MENTEE_REGISTRATION, _("Register as mentee")),
]


def program_list(request):
    programs = Program.objects.visible_to(request.user).prefetch_related("cycles")
    return render(request, "programs/program_list.html", {"programs": programs})


def _open_cycles(program, user):
    """The cycles open for registration, each with what the visitor can do in each role."""
    now = timezone.now()
    mine = {}
    if user.is_authenticated:
        mine = {(p.cycle_id, p.role): p for p in user.participations.filter(cycle__program=program)}
    cycles = program.cycles.filter(registration_opens__lte=now, registration_closes__gt=now)
    result = []
    for cycle in cycles.prefetch_related("questionnaires"):
        purposes = {q.purpose for q in cycle.questionnaires.all()}
        cycle.roles = [
            {"role": role, "label": label, "registration": mine.get((cycle.pk, role))}
            for role, purpose, label in ROLES
            if purpose in purposes
        ]
        result.append(cycle)
    return result if program.is_public else []


def program_detail(request, slug):
    program = get_object_or_404(Program.objects.visible_to(request.user), slug=slug)
    context = {
        "program": program,
        "open_cycles": _open_cycles(program, request.user),
        "documents": Document.objects.visible_to(request.user).filter(program=program),
    }
    return render(request, "programs/program_detail.html", context)


def document_download(request, pk):
    document = get_object_or_404(Document.objects.visible_to(request.user), pk=pk)
    return document.as_download()
