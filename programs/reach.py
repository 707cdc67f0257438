"""What a person is part of: the programmes they coordinate, their registrations and their
published pairings. Every `visible_to(user)` starts from it, so each filters by lists of ids
instead of repeating the same subqueries (a page asking several models what the person may see
found the same memberships once for each, and compiled them each time).

It is read in one query, and once per request: `ReachMiddleware` keeps it for the request,
and a change to a registration, pairing, membership or a programme's coordinators forgets
it. Outside a request (tasks, the shell) it is read again each time.
"""

import contextvars
import functools
from dataclasses import dataclass

from django.apps import apps
from django.db import connection


@dataclass(frozen=True)
class Registration:
    participant: int
    cycle: int
    program: int
    role: str
    status: str


@dataclass(frozen=True)
class Reach:
    coordinated: frozenset[int]
    registrations: tuple[Registration, ...]
    pairings: frozenset[int]

    @property
    def programs(self) -> frozenset[int]:
        """Coordinated or registered in."""
        return self.coordinated | {r.program for r in self.registrations}

    def accepted(self, roles=None) -> list[Registration]:
        return [
            r
            for r in self.registrations
            if r.status == "accepted" and (roles is None or r.role in roles)
        ]


_this_request: contextvars.ContextVar[dict | None] = contextvars.ContextVar("reach", default=None)


def reach_of(user) -> Reach:
    """The reach of a logged-in person (not a superuser: they see everything anyway)."""
    found_here = _this_request.get()
    if found_here is not None and user.pk in found_here:
        return found_here[user.pk]
    found = _read(user)
    if found_here is not None:
        found_here[user.pk] = found
    return found


def _read(user) -> Reach:
    """One query: each registration with each of its pairings (a row for each), then each
    programme coordinated (a row without a registration)."""
    with connection.cursor() as cursor:
        cursor.execute(_sql(), [user.pk, user.pk])
        rows = cursor.fetchall()
    registrations, coordinated, pairings = {}, set(), set()
    for participant, cycle, program, role, status, pairing, pairing_status in rows:
        if participant is None:
            coordinated.add(program)
            continue
        registrations[participant] = Registration(participant, cycle, program, role, status)
        if pairing is not None and pairing_status != DRAFT:
            pairings.add(pairing)
    return Reach(frozenset(coordinated), tuple(registrations.values()), frozenset(pairings))


@functools.cache
def _sql() -> str:
    """The query, with the tables' names filled in once. In SQL, as the union of two queries
    of different tables is written more plainly than with the ORM."""
    tables = {name: apps.get_model(*label.split(".")) for name, label in TABLES.items()}
    tables["coordinators"] = tables["program"].coordinators.through
    names = {name: model._meta.db_table for name, model in tables.items()}
    return """
        SELECT p.id, p.cycle_id, c.program_id, p.role, p.status, m.pairing_id, x.status
        FROM {participant} p
        JOIN {cycle} c ON c.id = p.cycle_id
        LEFT JOIN {membership} m ON m.participant_id = p.id
        LEFT JOIN {pairing} x ON x.id = m.pairing_id
        WHERE p.user_id = %s
        UNION ALL
        SELECT NULL, NULL, program_id, NULL, NULL, NULL, NULL
        FROM {coordinators} WHERE user_id = %s
    """.format(**names)


TABLES = {
    "participant": "participants.Participant",
    "cycle": "programs.Cycle",
    "membership": "participants.Membership",
    "pairing": "participants.Pairing",
    "program": "programs.Program",
}
DRAFT = "draft"


def forget(*args, **kwargs) -> None:
    """Forget the reach read in this request (a signal receiver: its arguments are unused)."""
    found_here = _this_request.get()
    if found_here:
        found_here.clear()


class ReachMiddleware:
    """Keeps each person's reach for the length of one request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _this_request.set({})
        try:
            return self.get_response(request)
        finally:
            _this_request.reset(token)
