"""Run inside the benchmark's database (`python -m tests.bench.prepare [--explain] [--admin]`):
logs the subjects in (a session each, as a login makes) and prints, as JSON, the pages to
measure with their session cookies; with --explain, also the plans of the dashboard's queries;
with --admin, the administration site's pages instead of the main ones."""

import json
import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.bench.settings")
django.setup()

from allauth.mfa.models import Authenticator  # noqa: E402
from django.contrib import admin  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, RequestFactory  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from meetings.models import Meeting  # noqa: E402
from participants.models import Membership, Pairing, Participant, User  # noqa: E402
from programs.coordinators import grant_coordinator_access  # noqa: E402
from tests.bench.load import DOMAIN, subjects  # noqa: E402

BACKEND = "django.contrib.auth.backends.ModelBackend"


def session_for(user) -> str:
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = BACKEND
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def pages(found) -> list[dict]:
    participant = User.objects.get(pk=found["participant"])
    coordinator = User.objects.get(pk=found["coordinator"])
    # Coordinators' pages need a second factor set up (COORDINATOR_MFA_REQUIRED).
    Authenticator.objects.get_or_create(
        user=coordinator, type=Authenticator.Type.TOTP, defaults={"data": {"secret": "bench"}}
    )
    as_participant, as_coordinator = session_for(participant), session_for(coordinator)
    cycle = found["cycle"]
    # Each page with its budget: its median time at most this many times the floor's. The
    # server keeps no figures (FIGURES_SECONDS=0), so the dashboard and the report are counted
    # on every request, as on a coordinator's first visit.
    measured = [
        ("participant home", reverse("my_mentorship"), as_participant, 3),
        (
            "pairing page",
            reverse("meetings:pairing", args=[found["pairing"]]),
            as_participant,
            4,
        ),
        (
            "registrations list",
            reverse("participants:registrations", args=[cycle]),
            as_coordinator,
            5,
        ),
        ("dashboard, counted afresh", reverse("dashboard", args=[cycle]), as_coordinator, 8),
        ("report, counted afresh", reverse("report", args=[cycle]), as_coordinator, 10),
        ("events list", reverse("events:list"), as_participant, 3),
    ]
    return [
        {"name": "floor", "url": reverse("bench_floor"), "session": as_participant},
        *(
            {"name": name, "url": url, "session": session, "budget": budget}
            for name, url, session, budget in measured
        ),
    ]


def with_second_factor(user):
    """Coordinators' pages and the admin need a second factor set up (COORDINATOR_MFA_REQUIRED)."""
    Authenticator.objects.get_or_create(
        user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": "bench"}}
    )
    return user


def admin_pages(found) -> list[dict]:
    """Each changelist of the administration site, asked for by a superuser and by load-01's
    coordinator where they may see it, and the change forms of a meeting, a registration and
    a pairing of load-01. The generator makes no superuser and writes the coordinators in bulk
    (without the signal that gives them the admin's permissions): both are made here."""
    superuser, _ = User.objects.get_or_create(
        email=f"administrator@{DOMAIN}",
        defaults={"first_name": "Site", "last_name": "Administrator", "is_staff": True,
                  "is_superuser": True},
    )  # fmt: skip
    coordinator = User.objects.get(pk=found["coordinator"])
    grant_coordinator_access(coordinator)
    people = {
        "superuser": with_second_factor(superuser),
        "coordinator": with_second_factor(coordinator),
    }
    meeting = Meeting.objects.filter(pairing=found["pairing"]).order_by("pk").first()
    registration = Participant.objects.get(user=found["participant"], pairings=found["pairing"])
    objects = [meeting, registration, Pairing.objects.get(pk=found["pairing"])]
    listed = []
    for role, user in people.items():
        session, request = session_for(user), RequestFactory().get("/")
        request.user = user
        for model, model_admin in admin.site._registry.items():
            if model_admin.has_view_permission(request):
                name = f"admin: {model._meta.verbose_name_plural} ({role})"
                url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
                listed.append({"name": name, "url": url, "session": session})
        for shown in objects:
            name = f"admin: a {shown._meta.verbose_name} ({role})"
            url = reverse(
                f"admin:{shown._meta.app_label}_{shown._meta.model_name}_change", args=[shown.pk]
            )
            listed.append({"name": name, "url": url, "session": session})
    participant = session_for(User.objects.get(pk=found["participant"]))
    # Each server process reads a model's content type once (for "view on site"), at its
    # first change form of that model: each page is warmed up in both processes first.
    warmed = [{**page, "warm_up": 8} for page in listed]
    return [{"name": "floor", "url": reverse("bench_floor"), "session": participant}, *warmed]


def explain_dashboard(found) -> list[dict]:
    """Each query of the dashboard with its plan, as PostgreSQL ran it."""
    client = Client()
    client.force_login(User.objects.get(pk=found["coordinator"]), backend=BACKEND)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("dashboard", args=[found["cycle"]]), secure=True)
    assert response.status_code == 200, response.status_code
    plans = []
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute("EXPLAIN (ANALYZE, COSTS OFF) " + sql)
            plans.append({"sql": sql, "plan": [row[0] for row in cursor.fetchall()]})
    return plans


def visitors(found, count: int) -> list[dict]:
    """`count` different mentees of the subject cycle's active pairings, each logged in, with
    their own pages and a meeting to log (`tests.bench.traffic`)."""
    mentees = (
        Membership.objects.filter(
            pairing__cycle=found["cycle"],
            pairing__status=Pairing.Status.ACTIVE,
            participant__role=Participant.Role.MENTEE,
        )
        .select_related("participant__user")
        .order_by("pairing_id")[:count]
    )
    today = timezone.localdate().isoformat()
    return [
        {
            "session": session_for(membership.participant.user),
            "urls": {
                "participant home": reverse("my_mentorship"),
                "pairing page": reverse("meetings:pairing", args=[membership.pairing_id]),
                "events list": reverse("events:list"),
                "meeting form": reverse("meetings:meeting_new", args=[membership.pairing_id]),
            },
            "meeting": {"held_on": today, "duration_minutes": 60, "format": "online"},
        }
        for membership in mentees
    ]


def main():
    found = subjects()
    listed = admin_pages(found) if "--admin" in sys.argv else pages(found)
    result = {"subjects": found, "pages": listed}
    if "--explain" in sys.argv:
        result["explain"] = explain_dashboard(found)
    if "--traffic" in sys.argv:
        count = int(sys.argv[sys.argv.index("--traffic") + 1])
        result["traffic"] = {"floor": reverse("bench_floor"), "visitors": visitors(found, count)}
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
