"""Pages that gather what several apps know about the visitor."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render


def home(request):
    return render(request, "pages/home.html")


@login_required
def my_mentorship(request):
    return render(request, "pages/my_mentorship.html")
