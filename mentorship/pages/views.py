"""Pages that gather what several apps know about the visitor."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from participants.models import Participant
from programs.models import Cycle


def home(request):
    open_cycles = (
        Cycle.objects.open_for_registration()
        .select_related("program")
        .order_by("registration_closes", "program__name")
    )
    return render(request, "pages/home.html", {"open_cycles": open_cycles})


@login_required
def my_mentorship(request):
    registrations = (
        Participant.objects.visible_to(request.user)
        .filter(user=request.user)
        .select_related("cycle__program")
        .order_by("-cycle__starts_on", "role")
    )
    return render(request, "pages/my_mentorship.html", {"registrations": registrations})
