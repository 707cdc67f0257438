"""Pages that gather what several apps know about the visitor."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from participants.models import Pairing, Participant
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
    pairings = (
        Pairing.objects.visible_to(request.user)
        .filter(members__user=request.user)
        .select_related("cycle__program")
        .with_members()
        .order_by("status", "-starts_on", "pk")
        .distinct()
    )
    for pairing in pairings:
        pairing.others = pairing.others_for(request.user)
    context = {"registrations": registrations, "pairings": pairings}
    return render(request, "pages/my_mentorship.html", context)
