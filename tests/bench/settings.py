"""The production settings (from the environment, as deployed), plus the benchmark's floor page
and its timing header. Nothing else differs from what an installation runs."""

from mentorship.settings import *  # noqa: F403
from mentorship.settings import BASE_DIR, MIDDLEWARE, TEMPLATES

ROOT_URLCONF = "tests.bench.urls"
MIDDLEWARE = ["tests.bench.timing.ServerTimingMiddleware", *MIDDLEWARE]
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], BASE_DIR / "tests" / "bench" / "templates"]
