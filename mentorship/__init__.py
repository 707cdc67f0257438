"""The project package: settings, URLs, the Celery app and the email helper (the ground every
app may use), and in `pages` the pages that read several apps at once (the top floor)."""

from .celery import app as celery_app

__all__ = ["celery_app"]
