"""The whole cycle of a programme in the browser, as coordinators, mentors and mentees use it:
sign-up, registration, review, matching, goals and meetings, a workshop with attendance, the
self-assessment and the report - part of it in Lithuanian and Russian."""

import datetime
import re
import time
from pathlib import Path

import pytest
from django.core import mail
from django.utils import timezone, translation
from playwright.sync_api import expect

from meetings.models import Meeting
from participants.models import Pairing, Participant, Response
from programs.models import Cycle, Questionnaire
from programs.ready_made import add_ready_made_questionnaires
from tests.factories import PASSWORD, CoordinatorFactory, CycleFactory, EventFactory

from .conftest import log_in, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MENTOR = {"first": "Rasa", "last": "Mentorė", "email": "rasa.mentor@university.example"}
MENTEE = {"first": "Jonas", "last": "Naujokas", "email": "jonas.mentee@university.example"}


def new_page(browser, live_server):
    """A page in its own browser context (one person), failing the test on console errors."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.on(
        "console",
        lambda message: page.errors.append(message.text) if message.type == "error" else None,
    )
    page.base = live_server.url
    page.set_default_timeout(10_000)
    return page


def advance_to(cycle, stage):
    cycle.refresh_from_db()
    while cycle.stage < stage:
        assert cycle.advance_stage()


def sign_up(page, person):
    """Sign up on the site, open the verification link from the email and confirm it."""
    mail.outbox.clear()
    page.goto(page.base + "/accounts/signup/")
    page.get_by_label("First name").fill(person["first"])
    page.get_by_label("Last name").fill(person["last"])
    page.fill("input[name=email]", person["email"])
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    with page.expect_navigation():
        page.press("input[name=password2]", "Enter")
    sent = [m for m in mail.outbox if person["email"] in m.to]
    assert sent, "no verification email was sent"
    link = re.search(r"/accounts/confirm-email/[^\s/]+/", sent[-1].body).group(0)
    page.goto(page.base + link)
    with page.expect_navigation():
        page.locator("main form button[type=submit], form button[type=submit]").last.click()
    # Confirming logs the person in (ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION); if not, log in.
    if page.locator("#account-menu").count() == 0:
        log_in(page, person["email"], PASSWORD)
    expect(page.locator("#account-menu")).to_have_text(person["first"])


def choose_language(page, name):
    page.locator("#language-menu").click()
    with page.expect_navigation():
        page.get_by_role("button", name=name, exact=True).click()
    page.wait_for_load_state()


def test_whole_cycle(browser, live_server, settings):
    started = time.monotonic()
    today = timezone.localdate()
    coordinator = CoordinatorFactory(email="coordinator@university.example")
    cycle = CycleFactory(
        starts_on=today - datetime.timedelta(days=20),
        ends_on=today + datetime.timedelta(days=200),
        stage=Cycle.Stage.MENTOR_BASE,
    )
    program = cycle.program
    program.coordinators.add(coordinator)
    with translation.override("en"):
        add_ready_made_questionnaires(cycle)
    event = EventFactory(program=program, kind="workshop", audience="members", title="Workshop")

    mentor = new_page(browser, live_server)
    mentee = new_page(browser, live_server)
    coord = new_page(browser, live_server)
    try:
        # 1. Sign-up, verification, log-in; the mentor works in Russian.
        sign_up(mentor, MENTOR)
        sign_up(mentee, MENTEE)
        choose_language(mentor, "Русский")
        expect(mentor.get_by_role("link", name="Моё наставничество")).to_be_visible()
        shot(mentor, "01-signed-up")

        # 2. Registration through the questionnaires.
        mentor.goto(mentor.base + program.get_absolute_url())
        with mentor.expect_navigation():
            mentor.get_by_role("link", name="Зарегистрироваться как наставник").click()
        mentor.get_by_label("Department").fill("Faculty of Physics")
        mentor.get_by_label("Subjects you teach").fill("Mechanics, thermodynamics")
        mentor.get_by_label("Years of teaching experience").fill("12")
        mentor.get_by_label("Course design").check()
        mentor.get_by_label("Digital tools").check()
        mentor.get_by_label("How many mentees can you take this year?").fill("2")
        mentor.get_by_label("Either", exact=True).check()
        mentor.get_by_label("English", exact=True).check()
        shot(mentor, "02-mentor-questionnaire")
        with mentor.expect_navigation():
            mentor.get_by_role("button", name="Отправить заявку").click()
        expect(mentor.locator(".alert-danger")).to_have_count(0)

        mentee.goto(mentee.base + program.get_absolute_url())
        with mentee.expect_navigation():
            mentee.get_by_role("link", name="Register as mentee").click()
        mentee.get_by_label("Department").fill("Faculty of Chemistry")
        mentee.get_by_label("Subjects you teach or will teach").fill("Organic chemistry")
        mentee.get_by_label("Less than a year").check()
        mentee.get_by_label("Course design").check()
        mentee.get_by_label("Your goals for this year").fill("Design my first course.")
        mentee.get_by_label("Online", exact=True).check()
        mentee.get_by_label("English", exact=True).check()
        with mentee.expect_navigation():
            mentee.get_by_role("button", name="Send my registration").click()
        expect(mentee.locator(".alert-danger")).to_have_count(0)
        shot(mentee, "03-mentee-registered")
        assert Participant.objects.filter(cycle=cycle).count() == 2

        # 3. The coordinator accepts both, matches and publishes.
        log_in(coord, coordinator.email, PASSWORD)
        with coord.expect_navigation():
            coord.get_by_role("link", name="Coordinate").click()
        with coord.expect_navigation():
            coord.get_by_role("link", name="Dashboard").first.click()
        with coord.expect_navigation():
            coord.get_by_role("link", name="Registrations").click()
        for person in (MENTOR, MENTEE):
            row = coord.locator("tbody tr").filter(has_text=person["last"])
            row.locator("input[type=checkbox]").check()
        shot(coord, "04-registrations")
        with coord.expect_navigation():
            coord.get_by_role("button", name="Accept", exact=True).click()
        assert (
            Participant.objects.filter(cycle=cycle, status=Participant.Status.ACCEPTED).count() == 2
        )
        advance_to(cycle, Cycle.Stage.FORMING_PAIRS)
        with coord.expect_navigation():
            coord.get_by_role("link", name="Matching").click()
        usual = coord.get_by_role("button", name=re.compile("usual criteria"))
        if usual.count():
            with coord.expect_navigation():
                usual.first.click()
            if "/matching/criteria/" in coord.url:
                with coord.expect_navigation():
                    coord.get_by_role("link", name="Matching").click()
        with coord.expect_navigation():
            coord.get_by_role("button", name="Suggest pairs").click()
        shot(coord, "05-matching")
        with coord.expect_navigation():
            coord.get_by_role("button", name=re.compile(r"^Publish 1 pair")).click()
        pairing = Pairing.objects.get(cycle=cycle)
        advance_to(cycle, Cycle.Stage.WORKING)

        # 4. Goals and meetings: the mentor in Russian, the mentee in Lithuanian.
        mentor.goto(mentor.base + "/my/")
        with mentor.expect_navigation():
            mentor.get_by_role("link", name="Цели и встречи").click()
        with mentor.expect_navigation():
            mentor.get_by_role("link", name="Добавить цель").click()
        mentor.fill("input[name=title]", "Design an active-learning course")
        with mentor.expect_navigation():
            mentor.get_by_role("button", name="Сохранить").click()
        expect(
            mentor.get_by_role("heading", name="Design an active-learning course")
        ).to_be_visible()
        with mentor.expect_navigation():
            mentor.get_by_role("link", name="Записать встречу").click()
        yesterday = today - datetime.timedelta(days=1)
        mentor.get_by_label(re.compile("Дата")).fill(yesterday.isoformat())
        mentor.get_by_label("Продолжительность (минуты)").fill("60")
        with mentor.expect_navigation():
            mentor.get_by_role("button", name="Сохранить").click()
        assert Meeting.objects.filter(pairing=pairing, held_on=yesterday).count() == 1
        shot(mentor, "06-mentor-meeting-ru")

        choose_language(mentee, "Lietuviškai")
        mentee.goto(mentee.base + "/my/")
        expect(mentee.get_by_role("heading", name="Mano mentorystė")).to_be_visible()
        with mentee.expect_navigation():
            mentee.get_by_role("link", name="Tikslai ir susitikimai").click()
        with mentee.expect_navigation():
            mentee.get_by_role("button", name="Patvirtinti šį susitikimą").click()
        assert Meeting.objects.get(pairing=pairing).confirmed_by is not None
        shot(mentee, "07-mentee-confirmed-lt")

        # 5. The workshop: both sign up, the coordinator marks them present.
        for page, name in ((mentor, "Записаться на мероприятие"),
                           (mentee, "Užsiregistruoti į renginį")):  # fmt: skip
            page.goto(page.base + f"/events/{event.pk}/")
            with page.expect_navigation():
                page.get_by_role("button", name=name).click()
        coord.goto(coord.base + f"/events/{event.pk}/")
        with coord.expect_navigation():
            coord.get_by_role("link", name="Sign-ups and attendance").click()
        for person in (MENTOR, MENTEE):
            row = coord.locator("li").filter(has_text=person["email"])
            row.get_by_role("button", name="Present").click()
            expect(row.get_by_role("button", name="Present")).to_have_attribute(
                "aria-pressed", "true"
            )
        assert event.signups.filter(attended=True).count() == 2
        shot(coord, "08-attendance")

        # 6. The self-assessment, at the completion stage.
        advance_to(cycle, Cycle.Stage.COMPLETION)
        for page, save in ((mentor, "Сохранить самооценку"),
                           (mentee, None)):  # fmt: skip
            page.goto(page.base + "/my/")
            with page.expect_navigation():
                page.locator("a[href$='/self-assessment/']").first.click()
            for group in page.locator("form fieldset").all():
                group.locator("input[type=radio], input[type=checkbox]").first.check()
            for text in page.locator("form textarea").all():
                text.fill("More confident with group work.")
            button = (
                page.get_by_role("button", name=save)
                if save
                else page.locator("form button[type=submit]").last
            )
            with page.expect_navigation():
                button.click()
            expect(page.locator(".alert-success[role=alert]")).to_be_visible()
        Purpose = Questionnaire.Purpose
        assert (
            Response.objects.filter(
                participant__cycle=cycle,
                questionnaire__purpose__in=[
                    Purpose.MENTOR_SELF_ASSESSMENT,
                    Purpose.MENTEE_SELF_ASSESSMENT,
                ],
            ).count()
            == 2
        )
        shot(mentee, "09-self-assessment")

        # 7. The report and its downloads.
        coord.goto(coord.base + "/coordinate/")
        with coord.expect_navigation():
            coord.get_by_role("link", name="Report").first.click()
        table = coord.locator("table").first
        expect(
            table.get_by_role("row", name=re.compile("Pairs and groups formed"))
        ).to_contain_text("1")
        expect(table.get_by_role("row", name=re.compile("Meetings held"))).to_contain_text("1")
        shot(coord, "10-report")
        for link in ("Download XLSX", "Base of mentees"):
            with coord.expect_download() as info:
                coord.get_by_role("link", name=link).click()
            path = Path(info.value.path())
            assert path.stat().st_size > 0, link
            assert path.read_bytes()[:2] == b"PK", link  # an XLSX is a zip file
    finally:
        errors = mentor.errors + mentee.errors + coord.errors
        for page in (mentor, mentee, coord):
            page.context.close()
    assert not errors, f"the browser reported errors: {errors}"
    assert time.monotonic() - started < 60
