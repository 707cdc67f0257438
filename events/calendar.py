"""Events as calendar entries: one event's download and the events in a person's feed."""

from django.conf import settings
from django.utils import timezone

from mentorship.ics import Entry

from .models import Event, SignUp


def event_entry(event: Event) -> Entry:
    link = settings.SITE_URL + event.get_absolute_url()
    location = event.place or event.online_link
    parts = (event.program.name if event.program else "", event.description, link)
    description = "\n\n".join(part for part in parts if part)
    return Entry(
        uid=f"event-{event.pk}",
        start=event.starts_at,
        duration=event.ends_at - event.starts_at,
        summary=event.title,
        description=description,
        location=location,
        url=link,
    )


def signed_up_entries(user, *, now=None) -> list[Entry]:
    """The events the person has a place at, from a day ago on (waitlisted ones are not)."""
    now = now or timezone.now()
    events = (
        Event.objects.visible_to(user)
        .filter(
            signups__user=user,
            signups__status=SignUp.Status.CONFIRMED,
            ends_at__gte=now - timezone.timedelta(days=1),
        )
        .select_related("program")
        .order_by("starts_at", "pk")
    )
    return [event_entry(event) for event in events]
