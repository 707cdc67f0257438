"""A logged-in person sees the site in the language they chose, on every device."""

from django.conf import settings
from django.utils import translation


class PreferredLanguageMiddleware:
    """Runs after LocaleMiddleware and AuthenticationMiddleware: the person's saved language
    wins over the browser's, and the language cookie follows it so the choice outlives a
    logout."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = self._preferred(request)
        if language and language != request.LANGUAGE_CODE:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        response = self.get_response(request)
        # Read again: the view may have changed the language, logged the person in or out.
        language = self._preferred(request)
        cookie = settings.LANGUAGE_COOKIE_NAME
        if language and cookie not in response.cookies and request.COOKIES.get(cookie) != language:
            response.set_cookie(
                cookie,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return response

    @staticmethod
    def _preferred(request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        return user.language if user.language in dict(settings.LANGUAGES) else None
