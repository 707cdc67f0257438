"""A registration a coordinator manages, fetched by id for a page: the one place the rule is
written. Outside the coordinator's programmes the answer is 404."""

from django.shortcuts import get_object_or_404

from participants.models import Participant


def coordinated_participant_or_404(user, pk) -> Participant:
    """A participant of a programme `user` coordinates, with their account and programme."""
    return get_object_or_404(
        Participant.objects.coordinated_by(user).select_related("user", "cycle__program"), pk=pk
    )
