"""The participants' models, one module a sub-domain, all under the app label `participants`
(so `participants.models.X` and the migrations stay as they were)."""

from .accounts import User, UserManager, full_name
from .audit import AuditEntry
from .notifications import Notification, NotificationQuerySet
from .pairings import (
    MatchingCriterion,
    MatchingRun,
    Membership,
    PairChoice,
    Pairing,
    PairingQuerySet,
)
from .registrations import Answer, Participant, ParticipantQuerySet, Response, display_value

__all__ = [
    "Answer",
    "AuditEntry",
    "MatchingCriterion",
    "MatchingRun",
    "Membership",
    "Notification",
    "NotificationQuerySet",
    "PairChoice",
    "Pairing",
    "PairingQuerySet",
    "Participant",
    "ParticipantQuerySet",
    "Response",
    "User",
    "UserManager",
    "display_value",
    "full_name",
]
