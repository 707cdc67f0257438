"""The benchmark's instrument (`make bench` itself is not part of the test suite): the
Server-Timing header counts the queries a request really ran, and the floor page is the
site's layout around one query."""

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.bench.run import server_timing
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def bench_site(settings):
    settings.ROOT_URLCONF = "tests.bench.urls"
    settings.MIDDLEWARE = ["tests.bench.timing.ServerTimingMiddleware", *settings.MIDDLEWARE]
    # A new list, not the old one changed: Django then builds its template engines anew.
    engine = settings.TEMPLATES[0]
    extra = settings.BASE_DIR / "tests" / "bench" / "templates"
    settings.TEMPLATES = [{**engine, "DIRS": [*engine["DIRS"], extra]}]


@pytest.mark.parametrize("url", ["/bench/floor/", "/events/"])
def test_the_header_gives_the_server_time_and_every_query_of_the_request(client, bench_site, url):
    client.force_login(UserFactory())
    with CaptureQueriesContext(connection) as ran:
        response = client.get(url)

    assert response.status_code == 200
    milliseconds, queries = server_timing(response["Server-Timing"])
    sql = [q["sql"] for q in ran.captured_queries if q["sql"] not in ("BEGIN", "COMMIT")]
    assert queries == len(sql) > 0
    assert milliseconds > 0


def test_the_floor_is_the_layout_around_one_query(client, bench_site):
    client.force_login(UserFactory())
    client.get("/bench/floor/")
    with CaptureQueriesContext(connection) as ran:
        response = client.get("/bench/floor/")

    page = response.content.decode()
    assert settings.SITE_NAME in page and 'id="main"' in page, "the site's layout"
    view_queries = [q for q in ran.captured_queries if "programs_program" in q["sql"]]
    assert len(view_queries) == 1
