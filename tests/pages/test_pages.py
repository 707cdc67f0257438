"""The pages every visitor sees: home, navigation, events, my mentorship, errors."""

import pytest
from django.urls import reverse

from tests.factories import CoordinatorFactory, UserFactory

pytestmark = pytest.mark.django_db


def nav(response) -> str:
    page = response.content.decode()
    return page[page.index("<nav") : page.index("</nav>")]


def test_the_home_page_says_what_the_site_is_and_that_nothing_is_open_yet(client):
    response = client.get(reverse("home"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Grow together through mentorship" in page
    assert "No programme is open for registration right now." in page
    assert "Log in" in nav(response)
    assert "My mentorship" not in nav(response)


def test_only_coordinators_see_coordinate_in_the_navigation(client):
    client.force_login(UserFactory(first_name="Vida"))
    menu = nav(client.get(reverse("home")))
    assert "My mentorship" in menu
    assert "Vida" in menu
    assert "Coordinate" not in menu

    client.force_login(CoordinatorFactory())
    assert f'href="{reverse("coordinate")}">Coordinate' in nav(client.get(reverse("home")))


def test_my_mentorship_asks_a_visitor_to_log_in(client):
    response = client.get(reverse("my_mentorship"))
    assert response.status_code == 302
    assert response.url == f"{reverse('account_login')}?next={reverse('my_mentorship')}"


def test_my_mentorship_explains_the_next_step_to_a_newcomer(client):
    client.force_login(UserFactory())
    page = client.get(reverse("my_mentorship")).content.decode()
    assert "You are not taking part in a programme yet." in page
    assert f'href="{reverse("home")}#open-programmes"' in page


def test_the_events_page_is_public(client):
    response = client.get(reverse("events:list"))
    assert response.status_code == 200
    assert "No events are announced yet." in response.content.decode()


def test_an_unknown_address_answers_with_the_sites_404_page(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_every_page_loads_bootstrap_and_htmx_from_our_own_static_files(client):
    page = client.get(reverse("home")).content.decode()
    assert '<script src="/static/vendor/htmx/htmx.min.js" defer>' in page
    assert '<link rel="stylesheet" href="/static/vendor/bootstrap/bootstrap.min.css">' in page
    assert "<script>" not in page, "no inline scripts (the CSP forbids them)"


def test_a_person_edits_their_name_and_language_on_the_profile_page(client):
    person = UserFactory()
    client.force_login(person)
    response = client.post(
        reverse("profile"), {"first_name": "Inga", "last_name": "Bērziņa", "language": "lv"}
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.first_name, person.last_name, person.language) == ("Inga", "Bērziņa", "lv")


def test_the_profile_refuses_an_empty_name_and_keeps_the_rest(client):
    person = UserFactory(first_name="Old")
    client.force_login(person)
    response = client.post(
        reverse("profile"), {"first_name": "", "last_name": "Kept", "language": "xx"}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"first_name", "language"}
    assert 'value="Kept"' in response.content.decode()
    person.refresh_from_db()
    assert person.first_name == "Old"


@pytest.mark.parametrize("cycles", [1, 5])
def test_the_home_page_lists_open_programmes_in_one_query(
    client, django_assert_num_queries, cycles
):
    from tests.factories import CycleFactory

    CycleFactory.create_batch(cycles)
    # The request's savepoint and its release, and the open cycles with their programmes
    # (select_related), however many there are.
    with django_assert_num_queries(3):
        page = client.get(reverse("home")).content.decode()
    assert page.count("New lecturers programme") == cycles
