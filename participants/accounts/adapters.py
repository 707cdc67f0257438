"""How allauth fits this product: the new person's language, and account emails in it."""

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.utils import translation

from mentorship.mail import recipient_language


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        # A person who signs up while reading Lithuanian gets their emails in Lithuanian.
        language = translation.get_language()
        if language in dict(settings.LANGUAGES):
            user.language = language
        return super().save_user(request, user, form, commit=commit)

    def send_mail(self, template_prefix, email, context):
        user = context.get("user")
        language = recipient_language(user) if user else translation.get_language()
        context.setdefault("site_name", settings.SITE_NAME)
        context.setdefault("site_url", settings.SITE_URL)
        with translation.override(language):
            super().send_mail(template_prefix, email, context)
