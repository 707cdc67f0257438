"""The browser set-up itself: Chromium opens the site, runs its scripts without an error and
finds no serious accessibility problem on the home page."""

import pytest

from .conftest import axe_violations, scrolls_sideways

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_home_page_opens_in_chromium_without_errors_or_serious_barriers(page):
    page.goto(page.base + "/")
    assert page.title().endswith("Mentorship")
    assert page.locator("h1").inner_text() == "Grow together through mentorship"
    assert axe_violations(page) == []
    page.set_viewport_size({"width": 375, "height": 800})
    assert not scrolls_sideways(page)
