"""The Celery app, and `queue()`, the one way code queues a task. Tasks are found in each app's
`tasks` module; they take ids, never objects, and are queued with `transaction.on_commit` so a
worker never looks for a row not yet saved."""

import logging
import os

from celery import Celery
from kombu.exceptions import OperationalError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentorship.settings")

app = Celery("mentorship")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.update(
    task_serializer="json",
    result_serializer="json",
    accept_content=["json"],
    # A task is acknowledged after it ran, and handed to another worker if its worker died,
    # so a killed worker loses nothing; tasks are written to be safe to run twice.
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    task_soft_time_limit=240,
    task_time_limit=300,
    broker_connection_retry_on_startup=True,
    task_ignore_result=True,
)
app.autodiscover_tasks()

logger = logging.getLogger(__name__)

# What queuing may wait for the broker: no retries, and short socket timeouts.
QUEUING_TRANSPORT = {"max_retries": 0, "socket_connect_timeout": 0.5, "socket_timeout": 0.5}


def queue(task, *args) -> bool:
    """Queue `task(*args)`; returns whether the broker took it. When the broker (Redis) does
    not answer it gives up within a second and logs why, so the request or task that asked
    never fails or hangs for it: a task queued so must be one whose work the periodic tasks
    find in the database and do later (an email waits in the ledger for the dispatcher).

    Its own connection, with its own timeouts, so that the workers keep the patient defaults
    for theirs."""
    with app.connection_for_write(transport_options=QUEUING_TRANSPORT) as connection:
        try:
            task.apply_async(args, connection=connection, retry=False)
        except (OperationalError, *connection.connection_errors) as error:
            logger.warning("%s was not queued, the broker does not answer: %s", task.name, error)
            return False
    return True
