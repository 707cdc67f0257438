"""The one way the product sends an email: three templates rendered in the recipient's language
and the programme's time zone.

`email/<name>_subject.txt`, `email/<name>_body.txt` and `email/<name>_body.html` are rendered
with the recipient, the site's address and the caller's context, inside the recipient's
language and the time zone the caller names (the programme's; the site's by default), and
sent as one message with a plain-text and an HTML part.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone, translation


def recipient_language(recipient) -> str:
    """The language a person reads their email in: their own choice, else the site's."""
    language = getattr(recipient, "language", "") or settings.LANGUAGE_CODE
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def render(
    name: str, *, to, context: dict | None = None, time_zone: str | None = None
) -> EmailMultiAlternatives:
    """Build (without sending) the message `name` for the user `to`, its dates and times in
    `time_zone` (a zone's name)."""
    language = recipient_language(to)
    full_context = {"recipient": to, "site_url": settings.SITE_URL, **(context or {})}
    with translation.override(language), timezone.override(time_zone or settings.TIME_ZONE):
        subject = render_to_string(f"email/{name}_subject.txt", full_context)
        text = render_to_string(f"email/{name}_body.txt", full_context)
        html = render_to_string(f"email/{name}_body.html", full_context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=text,
        to=[to.email],
        headers={"Content-Language": language},
    )
    message.attach_alternative(html, "text/html")
    return message


def send(
    name: str,
    *,
    to,
    context: dict | None = None,
    headers: dict | None = None,
    time_zone: str | None = None,
) -> None:
    """Render the message `name` for the user `to` in `time_zone` and send it now."""
    message = render(name, to=to, context=context, time_zone=time_zone)
    message.extra_headers.update(headers or {})
    message.send()
