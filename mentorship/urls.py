from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from mentorship.pages import views as page_views
from participants.accounts import views as account_views

# The admin has no login of its own: it goes through allauth's, with its rate limits and MFA.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = settings.SITE_NAME
admin.site.site_title = settings.SITE_NAME

urlpatterns = [
    path("", include("mentorship.pages.urls")),
    path("", include("mentorship.privacy.urls")),
    path("accounts/profile/", account_views.profile, name="profile"),
    path("accounts/", include("allauth.urls")),
    path("i18n/setlang/", account_views.set_language, name="set_language"),
    path("programmes/", include("programs.urls")),
    path("", include("participants.urls")),
    path("", include("meetings.urls")),
    path("", include("events.urls")),
    # Before the admin's own: its "view on site" redirect, limited to what the visitor may see.
    path(
        "admin/r/<int:content_type_id>/<path:object_id>/",
        page_views.view_on_site,
        name="view_on_site",
    ),
    path("admin/", admin.site.urls),
    # Pages without our <link rel="icon">, such as the admin's, make browsers ask for this.
    path("favicon.ico", RedirectView.as_view(url="/static/favicon.svg", permanent=True)),
]
