"""When the figures of a cycle last changed, so that a page showing them (the dashboard, the
report) can keep what it worked out until something it counts changes.

Each write that a cycle's figures read marks the cycle (or its whole programme, or every
cycle) as changed once its transaction commits; `stamp()` reads those marks, and a page keeps
its figures under a key that holds the stamp. A change made around the models (a bulk update
nobody marks) is seen when the kept figures expire, at most `KEPT_FOR` seconds later.
"""

import time

from django.core.cache import cache
from django.db import transaction

KEPT_FOR = 300
EVERYTHING = "figures-changed"


def _key(kind: str, pk) -> str:
    return f"{EVERYTHING}:{kind}:{pk}"


def changed(*, cycle: int | None = None, program: int | None = None) -> None:
    """Mark the figures of one cycle, of every cycle of a programme, or (neither given) of
    every cycle as changed, once the current transaction commits (at once outside one)."""
    if cycle is not None:
        key = _key("cycle", cycle)
    elif program is not None:
        key = _key("program", program)
    else:
        key = EVERYTHING
    transaction.on_commit(lambda: cache.set(key, time.time_ns(), timeout=None))


def stamp(*cycles) -> str:
    """What the last changes to the figures of these cycles were, as one string."""
    keys = [EVERYTHING]
    for cycle in cycles:
        keys += [_key("program", cycle.program_id), _key("cycle", cycle.pk)]
    found = cache.get_many(keys)
    return ".".join(str(found.get(key, 0)) for key in keys)
