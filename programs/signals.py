"""Making someone a coordinator of a programme lets them into the administration site."""

from django.contrib.auth import get_user_model
from django.db.models.signals import m2m_changed
from django.dispatch import receiver

from .coordinators import grant_coordinator_access
from .models import Program


@receiver(m2m_changed, sender=Program.coordinators.through)
def coordinators_get_access(sender, instance, action, reverse, pk_set, **kwargs):
    if action != "post_add":
        return
    users = [instance] if reverse else get_user_model().objects.filter(pk__in=pk_set)
    for user in users:
        grant_coordinator_access(user)
