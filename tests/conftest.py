import pytest
from django.core.cache import cache

from mentorship.celery import app as celery_app

from .factories import CoordinatorFactory, UserFactory, build_cast


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate limits live in the cache (Redis): each test starts with none used."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _tasks_in_process():
    """Tasks run in the test's own process unless a test starts a real worker."""
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = True


@pytest.fixture
def person(db):
    return UserFactory()


@pytest.fixture
def coordinator(db):
    return CoordinatorFactory()


@pytest.fixture
def cast(db):
    """The people every access test asks: a programme's coordinator, the mentor and mentee of
    one of its pairs, another programme's coordinator, an outsider and a superuser (see
    `tests.factories.build_cast`)."""
    return build_cast()


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    """Fast password hashing (hashing safely is not what these tests are about), uploads kept
    in a temporary folder, figures counted on every visit."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    # The figures are counted on every visit, unless a test is about keeping them.
    settings.FIGURES_SECONDS = 0


@pytest.fixture
def hourly_job(django_capture_on_commit_callbacks):
    """The scheduled work of one hour, at a moment: the hourly task runs every planner and what
    they plan is sent at once. Returns the emails that run sent."""
    import time_machine
    from django.core import mail

    from participants.notifications.tasks import plan_notifications

    mail.outbox.clear()

    def run(moment):
        with (
            time_machine.travel(moment, tick=False),
            django_capture_on_commit_callbacks(execute=True),
        ):
            plan_notifications()
        sent = list(mail.outbox)
        mail.outbox.clear()
        return sent

    return run
