"""Who reaches the pairing's workspace and the help requests: every URL of `meetings.urls`,
asked by the cast (the pair's mentor and mentee, the programme's coordinator, a superuser, the
coordinator of another programme and the outsider), by a member of another pair of the same
cycle and by an anonymous visitor. Adding a URL without saying here who may use it fails the
coverage test."""

import datetime
from dataclasses import dataclass, field
from types import SimpleNamespace

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from meetings import urls as meetings_urls
from meetings.models import Change, Goal, HelpRequest, Meeting, PlanItem
from participants.models import Pairing
from tests.factories import (
    GoalFactory,
    HelpRequestFactory,
    MeetingFactory,
    PairingFactory,
    active_pairing,
    member_user,
)

pytestmark = pytest.mark.django_db

YESTERDAY = timezone.localdate() - datetime.timedelta(days=1)


@dataclass(frozen=True)
class WorkspaceView:
    """How to reach one view of the workspace and what its member sends to it.

    `data` is what the member posts (None: the view only reads); `coordinator` is what the
    programme's own coordinator gets: 200 for pages they read, 403 for forms and changes,
    404 for the members' own calendar file."""

    kwargs: object
    get: bool
    data: dict | None
    coordinator: int


def _pk(w):
    return {"pk": w.pairing.pk}


WORKSPACE = {
    "pairing": WorkspaceView(_pk, get=True, data=None, coordinator=200),
    "history": WorkspaceView(_pk, get=True, data=None, coordinator=200),
    "goal_new": WorkspaceView(
        _pk,
        get=True,
        data={"title": "Run a seminar", "status": "not_started", "progress": "0"},
        coordinator=403,
    ),
    "goal_edit": WorkspaceView(
        lambda w: {"pk": w.pairing.pk, "goal_pk": w.goal.pk},
        get=True,
        data={"title": "Run two seminars", "status": "in_progress", "progress": "40"},
        coordinator=403,
    ),
    "goal_delete": WorkspaceView(
        lambda w: {"pk": w.pairing.pk, "goal_pk": w.goal.pk}, get=False, data={}, coordinator=403
    ),
    "plan_item_new": WorkspaceView(
        _pk, get=True, data={"what": "Observe a lecture"}, coordinator=403
    ),
    "plan_item_edit": WorkspaceView(
        lambda w: {"pk": w.pairing.pk, "item_pk": w.plan_item.pk},
        get=True,
        data={"what": "Observe two lectures"},
        coordinator=403,
    ),
    "plan_item_delete": WorkspaceView(
        lambda w: {"pk": w.pairing.pk, "item_pk": w.plan_item.pk},
        get=False,
        data={},
        coordinator=403,
    ),
    "plan_item_done": WorkspaceView(
        lambda w: {"pk": w.pairing.pk, "item_pk": w.plan_item.pk},
        get=False,
        data={"done": "1"},
        coordinator=403,
    ),
    "meeting_new": WorkspaceView(
        _pk,
        get=True,
        data={"held_on": YESTERDAY.isoformat(), "duration_minutes": "60", "format": "online"},
        coordinator=403,
    ),
    "meeting_edit": WorkspaceView(
        lambda w: {"pk": w.pairing.pk, "meeting_pk": w.own_meeting.pk},
        get=True,
        data={"held_on": YESTERDAY.isoformat(), "duration_minutes": "45", "format": "phone"},
        coordinator=403,
    ),
    "meeting_delete": WorkspaceView(
        lambda w: {"pk": w.pairing.pk, "meeting_pk": w.own_meeting.pk},
        get=False,
        data={},
        coordinator=403,
    ),
    "meeting_confirm": WorkspaceView(
        lambda w: {"pk": w.pairing.pk, "meeting_pk": w.their_meeting.pk},
        get=False,
        data={},
        coordinator=403,
    ),
    "meeting_ics": WorkspaceView(
        lambda w: {"pk": w.pairing.pk, "meeting_pk": w.own_meeting.pk},
        get=True,
        data=None,
        coordinator=404,
    ),
}

PEOPLE_OUTSIDE = ["other_member", "outsider", "other_coordinator"]


@dataclass(frozen=True)
class HelpView:
    """How to reach one help view; `allowed` is who uses it ("anyone" logged in, the "asker"
    or the programme's "coordinator"); the others answer 404, except those in `own_page`,
    who get their own page, without the request."""

    kwargs: object
    allowed: str
    get: bool
    data: dict | None
    own_page: frozenset = field(default_factory=frozenset)


def _help_pk(w):
    return {"pk": w.help_request.pk}


EVERYONE_LOGGED_IN = ["mentor", "mentee", "coordinator", "superuser", *PEOPLE_OUTSIDE]
# The mentor asks: everyone else who opens the form gets their own (the mentee too).
EVERYONE_ELSE = frozenset(EVERYONE_LOGGED_IN) - {"mentor"}

HELP = {
    "help": HelpView(None, allowed="anyone", get=True, data=None, own_page=EVERYONE_ELSE),
    "help_request": HelpView(_help_pk, allowed="asker", get=True, data=None),
    "help_close": HelpView(_help_pk, allowed="asker", get=False, data={}),
    "coordinate_help": HelpView(
        None, allowed="coordinator", get=True, data=None, own_page=frozenset({"other_coordinator"})
    ),
    "coordinate_help_detail": HelpView(
        _help_pk, allowed="coordinator", get=True, data={"answer": "Try peer observation."}
    ),
    "coordinate_help_close": HelpView(_help_pk, allowed="coordinator", get=False, data={}),
}


def workspace(pairing, member, other):
    """A goal, a plan item and two meeting logs in the pairing, each with the next meeting
    agreed: one by `member` (who may edit it) and one by `other` (which `member` may
    confirm)."""
    next_meeting_at = timezone.now() + datetime.timedelta(days=3)
    return SimpleNamespace(
        pairing=pairing,
        goal=GoalFactory(pairing=pairing),
        plan_item=PlanItem.objects.create(pairing=pairing, what="Read the course guide"),
        own_meeting=MeetingFactory(
            pairing=pairing, logged_by=member, next_meeting_at=next_meeting_at
        ),
        their_meeting=MeetingFactory(
            pairing=pairing, logged_by=other, next_meeting_at=next_meeting_at
        ),
    )


@pytest.fixture
def world(cast):
    """The cast, with its pair's workspace (the mentor's and the mentee's meeting logs), the
    mentor's question to the coordinators and a member of another pair of the same cycle."""
    w = SimpleNamespace(**vars(cast))
    vars(w).update(vars(workspace(cast.pairing, cast.mentor, cast.mentee)))
    w.other_member = member_user(active_pairing(cast.cycle), "mentee")
    w.help_request = HelpRequestFactory(
        participant=cast.mentor_registration,
        topic=HelpRequest.Topic.COOPERATION,
        message="We cannot agree on a time to meet.",
    )
    return w


@pytest.fixture
def emails(django_capture_on_commit_callbacks):
    """Run what the code queues after the commit (the emails), and see what was sent."""
    mail.outbox.clear()

    def sent_by(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args, **kwargs)

    return sent_by


def written():
    """Every row the workspace and the help requests write, to compare before and after."""
    rows = {
        model.__name__: list(model.objects.order_by("pk").values())
        for model in (Goal, PlanItem, Meeting, Change, HelpRequest)
    }
    rows["goals discussed"] = list(Meeting.goals.through.objects.order_by("pk").values())
    return rows


def url(name, kwargs_of, w):
    return reverse(f"meetings:{name}", kwargs=kwargs_of(w) if kwargs_of else None)


def assert_login_redirect(response):
    assert response.status_code == 302
    assert response.url.startswith(f"{reverse('account_login')}?next=")


def test_every_url_of_the_meetings_app_is_covered_by_these_tests():
    names = {pattern.name for pattern in meetings_urls.urlpatterns}
    workspace_names = {
        pattern.name
        for pattern in meetings_urls.urlpatterns
        if str(pattern.pattern).startswith("pairings/")
    }
    assert set(WORKSPACE) == workspace_names
    assert set(HELP) == names - workspace_names


def seen_by(world, member):
    """The world as one member of the pair sees it: the mentor's log is the mentor's own and
    the mentee's theirs to confirm, and the other way round for the mentee."""
    if member == "mentor":
        return world
    swapped = {"own_meeting": world.their_meeting, "their_meeting": world.own_meeting}
    return SimpleNamespace(**{**vars(world), **swapped})


@pytest.mark.parametrize("member", ["mentor", "mentee"])
@pytest.mark.parametrize("name", sorted(WORKSPACE))
def test_each_member_uses_the_workspace_view(client, world, name, member):
    view = WORKSPACE[name]
    page = url(name, view.kwargs, seen_by(world, member))
    client.force_login(getattr(world, member))
    if view.get:
        assert client.get(page).status_code == 200
    if view.data is not None:
        before = written()
        response = client.post(page, view.data)
        assert response.status_code == 302
        assert response.url.startswith(reverse("meetings:pairing", args=[world.pairing.pk]))
        assert written() != before, "the member's post changes the workspace"


@pytest.mark.parametrize("name", sorted(WORKSPACE))
def test_the_workspace_view_answers_404_to_everyone_outside_the_pairing(client, world, name):
    view = WORKSPACE[name]
    page = url(name, view.kwargs, world)
    before = written()
    for who in PEOPLE_OUTSIDE:
        client.force_login(getattr(world, who))
        if view.get:
            assert client.get(page).status_code == 404, who
        assert client.post(page, view.data or {}).status_code == 404, who
    client.logout()
    if view.get:
        assert_login_redirect(client.get(page))
    assert_login_redirect(client.post(page, view.data or {}))
    assert written() == before
    assert not mail.outbox


@pytest.mark.parametrize("who", ["coordinator", "superuser"])
@pytest.mark.parametrize("name", sorted(WORKSPACE))
def test_the_programmes_coordinator_and_a_superuser_read_the_pairing_but_change_nothing(
    client, world, name, who
):
    view = WORKSPACE[name]
    page = url(name, view.kwargs, world)
    before = written()
    client.force_login(getattr(world, who))
    if view.get:
        assert client.get(page).status_code == view.coordinator
    if view.data is not None:
        assert client.post(page, view.data).status_code == view.coordinator
    assert written() == before


def test_a_draft_pairing_answers_404_to_its_would_be_members(client, world):
    draft = PairingFactory(
        cycle=world.cycle, status=Pairing.Status.DRAFT, starts_on=None, ends_on=None
    )
    mentor, mentee = member_user(draft, "mentor"), member_user(draft, "mentee")
    w = workspace(draft, mentor, mentee)
    before = written()
    for person in (mentor, mentee):
        client.force_login(person)
        for name, view in WORKSPACE.items():
            page = url(name, view.kwargs, w)
            if view.get:
                assert client.get(page).status_code == 404, name
            assert client.post(page, view.data or {}).status_code == 404, name
    assert written() == before


def rightful(view) -> list[str]:
    """Who uses a help view: the mentor who asked (and who opens the form to ask), or the
    programme's coordinator and a superuser."""
    return ["mentor"] if view.allowed in ("anyone", "asker") else ["coordinator", "superuser"]


@pytest.mark.parametrize(
    ("name", "who"), [(name, who) for name in sorted(HELP) for who in rightful(HELP[name])]
)
def test_the_help_view_is_used_by_whom_it_belongs_to(client, world, name, who, emails):
    view = HELP[name]
    page = url(name, view.kwargs, world)
    client.force_login(getattr(world, who))
    if view.get:
        response = client.get(page)
        assert response.status_code == 200
        assert world.help_request.message in response.content.decode()
    if view.data is not None:
        before = written()
        assert emails(client.post, page, view.data).status_code == 302
        assert written() != before


@pytest.mark.parametrize("name", sorted(HELP))
def test_the_help_view_answers_404_to_everyone_it_does_not_belong_to(client, world, name):
    view = HELP[name]
    page = url(name, view.kwargs, world)
    refused = set(EVERYONE_LOGGED_IN) - set(rightful(view))
    before = written()
    for who in sorted(refused):
        client.force_login(getattr(world, who))
        if view.get:
            response = client.get(page)
            if who in view.own_page:
                assert response.status_code == 200, who
                assert world.help_request.message not in response.content.decode(), who
            else:
                assert response.status_code == 404, who
        if view.data is not None:
            assert client.post(page, view.data).status_code == 404, who
    client.logout()
    if view.get:
        assert_login_redirect(client.get(page))
    if view.data is not None:
        assert_login_redirect(client.post(page, view.data))
    assert written() == before
    assert not mail.outbox


def test_a_coordinator_of_another_programme_never_sees_the_request_in_their_list(client, world):
    client.force_login(world.other_coordinator)
    for status in ["", "open", "answered", "closed", "all"]:
        response = client.get(reverse("meetings:coordinate_help"), {"status": status})
        assert response.status_code == 200
        assert world.help_request.message not in response.content.decode()
