"""The floor every page is measured against: the site's layout around one query, behind the
same middleware and login as the pages, so a page's ratio to it is what the page's own work
costs."""

from django.shortcuts import render

from programs.models import Program


def floor(request):
    return render(request, "bench/floor.html", {"programs": Program.objects.count()})
