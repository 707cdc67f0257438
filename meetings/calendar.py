"""A pairing's agreed next meetings as calendar entries, for a download and the feed."""

import datetime

from django.conf import settings
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mentorship.ics import Entry
from participants.models import Pairing, Participant

from .models import Meeting


def next_meeting_entries(meetings, *, for_user) -> list[Entry]:
    """One entry a meeting: the next meeting its log agreed on. Each meeting's pairing, its
    programme and members must be loaded."""
    entries = []
    for meeting in meetings:
        pairing = meeting.pairing
        others = ", ".join(
            m.user.get_full_name() or m.user.email for m in pairing.others_for(for_user)
        )
        link = settings.SITE_URL + reverse("meetings:pairing", args=[pairing.pk])
        entries.append(
            Entry(
                uid=f"meeting-{meeting.pk}-next",
                start=meeting.next_meeting_at,
                duration=datetime.timedelta(minutes=pairing.cycle.program.meeting_minutes),
                summary=_("Mentoring meeting: %(people)s") % {"people": others},
                description="\n\n".join(
                    part
                    for part in (
                        pairing.cycle.program.name,
                        _("Agreed next steps: %(steps)s") % {"steps": meeting.next_steps}
                        if meeting.next_steps
                        else "",
                        link,
                    )
                    if part
                ),
                url=link,
            )
        )
    return entries


def upcoming_meetings(user, *, now=None):
    """The next meetings agreed in the person's active pairings, from a day ago on; the same
    time agreed in two logs is one meeting."""
    now = now or timezone.now()
    meetings = (
        Meeting.objects.visible_to(user)
        .filter(
            pairing__status=Pairing.Status.ACTIVE,
            pairing__members__user=user,
            next_meeting_at__gte=now - datetime.timedelta(days=1),
        )
        .select_related("pairing__cycle__program")
        .prefetch_related(
            Prefetch("pairing__members", queryset=Participant.objects.select_related("user"))
        )
        .order_by("next_meeting_at", "pk")
    )
    seen, unique = set(), []
    for meeting in meetings:
        key = (meeting.pairing_id, meeting.next_meeting_at)
        if key not in seen:
            seen.add(key)
            unique.append(meeting)
    return unique
