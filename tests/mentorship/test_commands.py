"""The management commands the Makefile relies on."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from events.models import Event, SignUp
from meetings.cadence import with_cadence
from meetings.models import HelpRequest, Meeting
from mentorship.demo.data import ADMIN, PASSWORD, UNIVERSITY_COORDINATOR
from participants.models import Answer, Pairing, Participant
from participants.pairings import matching
from programs.models import Cycle, Program


@pytest.mark.django_db
def test_demo_creates_invented_people_who_can_log_in_and_nothing_twice(client, capsys):
    call_command("demo")
    models = (get_user_model(), Program, Cycle, Participant, Answer, Pairing, Meeting)
    models += (HelpRequest, Event, SignUp)
    counts = [m.objects.count() for m in models]
    call_command("demo")
    assert [m.objects.count() for m in models] == counts
    people = get_user_model().objects
    assert EmailAddress.objects.filter(verified=True, primary=True).count() == people.count()
    assert people.get(email=ADMIN.email).is_superuser
    assert people.filter(is_staff=True).count() == 5, "the administrator and 4 coordinators"
    assert {"lt", "lv", "ru", "en"} <= set(people.values_list("language", flat=True))
    assert ADMIN.email in capsys.readouterr().out

    university = Program.objects.get(coordinators__email=UNIVERSITY_COORDINATOR.email)
    open_cycle = Cycle.objects.open_for_registration().get(program=university)
    registrations = Participant.objects.filter(cycle=open_cycle)
    assert registrations.count() >= 30
    assert registrations.mentors().exists() and registrations.mentees().exists()
    departments = Answer.objects.filter(
        response__participant__cycle=open_cycle, question__matching_tag="department"
    ).values_list("value", flat=True)
    assert len(set(departments)) >= 5, "answers vary"
    assert set(registrations.values_list("status", flat=True)) >= {"applied", "accepted"}

    # The university's cycle is ready for matching; the school's works in published pairs.
    assert open_cycle.stage == Cycle.Stage.FORMING_PAIRS
    result = matching.solve(matching.load_problem(open_cycle))
    assert len(result.suggestions) >= 5 and result.total_score > 0
    school = Cycle.objects.get(stage=Cycle.Stage.WORKING, program__slug="young-teachers")
    pairs = Pairing.objects.active().filter(cycle=school).with_members()
    assert len(pairs) == 2 and any(p.is_group for p in pairs)
    assert not Pairing.objects.filter(cycle=open_cycle).exists()

    # The school's pairs have goals, a plan and months of meetings, in different rhythms.
    for pair in with_cadence(pairs.select_related("cycle__program")):
        assert pair.goals.count() >= 2 and pair.plan_items.exists()
        held = pair.meetings.values_list("held_on", flat=True)
        assert (max(held) - min(held)).days >= 90
    states = {p.cadence_state for p in with_cadence(Pairing.objects.active().filter(cycle=school))}
    assert states == {"on_track", "overdue"}
    assert HelpRequest.objects.filter(status="answered").exists()

    # Last year's school cycle is closed, with its self-assessments answered, for the report.
    closed = Cycle.objects.get(stage=Cycle.Stage.COMPLETION)
    assert closed.previous() is None and school.previous() == closed
    answered = Participant.objects.filter(cycle=closed, responses__questionnaire__purpose__in=[
        "mentor_self_assessment", "mentee_self_assessment"]).count()  # fmt: skip
    assert answered == closed.participants.count() == 4

    # A Lithuanian university programme and a Russian-speaking pupil-pupil school programme,
    # with their questionnaires, goals and meetings in those languages.
    lithuanian = Program.objects.get(slug="nauju-destytoju-mentoryste")
    russian = Program.objects.get(form="pupil_pupil")
    assert lithuanian.cycles.get().questionnaires.filter(title="Ugdytinių registracija").exists()
    assert russian.cycles.get().questionnaires.filter(title="Регистрация наставляемых").exists()
    for program, language in ((lithuanian, "lt"), (russian, "ru")):
        people = Participant.objects.filter(cycle__program=program)
        assert set(people.values_list("user__language", flat=True)) == {language}
        assert Meeting.objects.filter(pairing__cycle__program=program).count() >= 4
    pupils = Participant.objects.filter(cycle__program=russian)
    assert all(p.is_minor and p.guardian_consent_at for p in pupils), "consent recorded"

    # A year of events of every kind, with sign-ups, a waitlist and attendance.
    assert set(Event.objects.values_list("kind", flat=True)) == set(Event.Kind.values)
    assert Event.objects.past().exists() and Event.objects.upcoming().exists()
    assert SignUp.objects.waitlisted().exists()
    assert SignUp.objects.filter(attended=True, event__in=Event.objects.past()).exists()

    response = client.post("/accounts/login/", {"login": ADMIN.email, "password": PASSWORD})
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_services_names_redis_and_how_to_start_it_when_it_does_not_answer(db, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    with pytest.raises(CommandError, match=r"Redis does not answer.*redis-server"):
        call_command("services")


def test_services_is_quiet_when_everything_answers(db, capsys):
    call_command("services")
    assert "answer" in capsys.readouterr().out


def test_compilemessages_works_without_gettext(tmp_path, settings, monkeypatch):
    po = tmp_path / "lt" / "LC_MESSAGES" / "django.po"
    po.parent.mkdir(parents=True)
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Events"\nmsgstr "Renginiai"\n',
        encoding="utf-8",
    )
    settings.LOCALE_PATHS = [tmp_path]
    monkeypatch.setattr("shutil.which", lambda program: None)

    call_command("compilemessages", verbosity=0)

    import gettext

    with po.with_suffix(".mo").open("rb") as compiled:
        assert gettext.GNUTranslations(compiled).gettext("Events") == "Renginiai"


@pytest.mark.django_db
def test_send_reminders_sends_what_is_due_once(capsys, mailoutbox):
    import datetime

    import time_machine
    from django.utils import timezone

    from tests.factories import active_pairing

    pairing = active_pairing(started_days_ago=40)  # a monthly programme: a meeting is due
    morning = timezone.localtime().replace(hour=10) + datetime.timedelta(days=1)
    with time_machine.travel(morning, tick=False):
        call_command("send_reminders")
        assert "2 planned; 2 sent" in capsys.readouterr().out
        call_command("send_reminders")
        assert "0 planned; 0 sent" in capsys.readouterr().out
    members = {
        m.participant.user.email for m in pairing.memberships.select_related("participant__user")
    }
    assert {message.to[0] for message in mailoutbox} == members
