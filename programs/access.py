"""The objects a coordinator manages, fetched by id for a page: the one place each of these
rules is written. Outside the person's programmes the answer is 404, never another's data."""

from django.shortcuts import get_object_or_404

from .models import Cycle


def coordinated_cycle_or_404(user, pk) -> Cycle:
    """A cycle of a programme `user` coordinates (any, for a superuser), with its programme."""
    return get_object_or_404(Cycle.objects.coordinated_by(user).select_related("program"), pk=pk)
