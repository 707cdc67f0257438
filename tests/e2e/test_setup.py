"""A coordinator sets up a programme, its cycle and its questionnaires in the administration
site, in the browser, and the programme opens for registration."""

import datetime

import pytest
from django.utils import timezone

from programs.coordinators import grant_coordinator_access
from programs.models import Cycle, Program
from tests.factories import PASSWORD, UserFactory

from .conftest import log_in, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_coordinator_sets_up_a_programme_a_cycle_and_its_questionnaires(page):
    coordinator = UserFactory(email="centre@university.example")
    grant_coordinator_access(coordinator)
    log_in(page, coordinator.email, PASSWORD)

    page.goto(page.base + "/admin/programs/program/add/")
    page.fill("#id_name", "Mentorship for new lecturers")
    page.select_option("#id_form", "new_lecturers")
    page.select_option("#id_cadence", "monthly")
    page.fill("#id_contact_email", "centre@university.example")
    page.fill("#id_privacy_notice", "Only the coordinators read your answers.")
    page.click("input[name=_save]")
    page.wait_for_load_state()
    shot(page, "00-programme-saved")
    program = Program.objects.get(name="Mentorship for new lecturers")
    assert program.coordinators.get() == coordinator, "the coordinator runs what they create"

    today = timezone.localdate()
    page.goto(page.base + "/admin/programs/cycle/add/")
    page.select_option("#id_program", str(program.pk))
    page.fill("#id_name", "2026/27")
    page.fill("#id_starts_on", (today + datetime.timedelta(days=30)).isoformat())
    page.fill("#id_ends_on", (today + datetime.timedelta(days=330)).isoformat())
    page.fill("#id_registration_opens_0", (today - datetime.timedelta(days=1)).isoformat())
    page.fill("#id_registration_opens_1", "09:00:00")
    page.fill("#id_registration_closes_0", (today + datetime.timedelta(days=20)).isoformat())
    page.fill("#id_registration_closes_1", "18:00:00")
    page.click("input[name=_save]")
    page.wait_for_load_state()
    cycle = Cycle.objects.get(program=program)

    page.goto(page.base + "/admin/programs/cycle/")
    page.check(f"input[name=_selected_action][value='{cycle.pk}']")
    page.select_option("select[name=action]", "add_ready_made")
    page.click("button[name=index]")
    page.wait_for_load_state()
    assert "4 questionnaires added." in page.content()
    shot(page, "00-set-up")

    page.goto(page.base + program.get_absolute_url())
    assert page.get_by_role("link", name="Register as mentor").is_visible()
    assert page.get_by_role("link", name="Register as mentee").is_visible()
    assert set(cycle.questionnaires.values_list("purpose", flat=True)) == {
        "mentor_registration", "mentee_registration",
        "mentor_self_assessment", "mentee_self_assessment",
    }  # fmt: skip
