"""The one email helper renders in the recipient's language and the time zone it is given."""

import datetime

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext

from mentorship import mail
from tests.factories import EventFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_same_email_is_rendered_in_each_recipients_language(mailoutbox):
    english = UserFactory(first_name="Ann", language="en")
    lithuanian = UserFactory(first_name="Rūta", language="lt")

    mail.send("welcome", to=english)
    mail.send("welcome", to=lithuanian)

    with translation.override("lt"):
        subject_lt = gettext("Welcome to the mentorship programmes")
        ready_lt = gettext("Your email address is confirmed and your account is ready.")
    assert subject_lt != "Welcome to the mentorship programmes", "the catalogue is compiled"
    to_english, to_lithuanian = mailoutbox
    assert to_english.subject == "Welcome to the mentorship programmes"
    assert to_english.to == [english.email]
    assert "Hello Ann," in to_english.body
    assert to_english.extra_headers["Content-Language"] == "en"
    assert to_lithuanian.subject == subject_lt
    assert ready_lt in to_lithuanian.body
    html, mimetype = to_lithuanian.alternatives[0]
    assert mimetype == "text/html"
    assert '<html lang="lt">' in html
    assert ready_lt in html
    assert to_lithuanian.extra_headers["Content-Language"] == "lt"


def test_sending_does_not_change_the_language_of_the_request(mailoutbox):
    with translation.override("ru"):
        mail.send("welcome", to=UserFactory(language="lv"))
        assert translation.get_language() == "ru"


def test_times_are_shown_in_the_zone_given_else_in_the_sites(settings):
    settings.TIME_ZONE = "Europe/Riga"
    starts_at = datetime.datetime(2026, 5, 14, 15, tzinfo=datetime.UTC)
    event = EventFactory(starts_at=starts_at, ends_at=starts_at + datetime.timedelta(hours=2))
    person, context = UserFactory(language="en"), {"event": event, "program": event.program}

    def when(**zone) -> str:
        body = mail.render("event_reminder", to=person, context=context, **zone).body
        return next(line for line in body.splitlines() if line.startswith("When:"))

    assert when(time_zone="UTC") == "When: May 14, 2026, 3 p.m.\N{EN DASH}5 p.m."
    assert when(time_zone="Asia/Tokyo") == "When: May 15, 2026, midnight\N{EN DASH}2 a.m."
    assert when() == "When: May 14, 2026, 6 p.m.\N{EN DASH}8 p.m."
    assert timezone.get_current_timezone_name() == "Europe/Riga", "the caller's zone is kept"


def test_a_recipient_with_an_unknown_language_reads_the_default(mailoutbox, settings):
    person = UserFactory(language="de")
    mail.send("welcome", to=person)
    assert mailoutbox[0].extra_headers["Content-Language"] == settings.LANGUAGE_CODE


@pytest.mark.parametrize("name", ["registration", "help"])
def test_subjects_carry_names_as_typed_not_as_html(mailoutbox, name):
    from meetings.models import HelpRequest
    from tests.factories import ParticipantFactory

    participant = ParticipantFactory(cycle__program__name="Teachers' Q&A <club>")
    context = {
        "registration": {"cycle": participant.cycle, "participant": participant, "event": "x"},
        "help": {
            "program": participant.cycle.program,
            "event": "answered",
            "help_request": HelpRequest(pk=1, participant=participant, topic="other"),
        },
    }[name]
    subject = mail.render(name, to=participant.user, context=context).subject
    assert subject.endswith("Teachers' Q&A <club>")
