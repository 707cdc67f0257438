"""Coordinators create and edit their programmes' events here; sign-ups, attendance, exports
and messages are on the event's own pages."""

from django.contrib import admin
from django.db import models
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from programs.admin import CoordinatedAdmin, ProgramFilter

from . import signup
from .models import Event, Material, SignUp

# Links typed without a scheme get https:// (Django 6's default, asked for explicitly here).
HTTPS_LINKS = {models.URLField: {"assume_scheme": "https"}}


def signups_in(status):
    """An event's sign-ups in `status`, counted for the rows of the page only: the join
    and grouping of `with_places()` counted every event's sign-ups before the page was cut."""
    counted = (
        SignUp.objects.filter(event=OuterRef("pk"), status=status)
        .order_by()
        .values("event")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(counted), 0)


class MaterialInline(admin.TabularInline):
    model = Material
    formfield_overrides = HTTPS_LINKS
    extra = 0
    fields = ["title", "file", "link"]


class SignUpInline(admin.TabularInline):
    model = SignUp
    extra = 0
    can_delete = False
    fields = ["user", "status", "signed_up_at", "attended"]
    readonly_fields = fields
    ordering = ["status", "signed_up_at"]

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user", "event")  # in their names


@admin.register(Event)
class EventAdmin(CoordinatedAdmin):
    list_display = ["title", "kind", "program", "starts_at", "audience", "places", "manage_link"]
    list_filter = ["kind", "audience", ("program", ProgramFilter), "starts_at"]
    list_select_related = ["program"]
    search_fields = ["title", "description", "place"]
    date_hierarchy = "starts_at"
    inlines = [MaterialInline, SignUpInline]
    formfield_overrides = HTTPS_LINKS
    fieldsets = [
        (None, {"fields": ["program", "cycle", "kind", "title", "description"]}),
        (_("When and where"), {"fields": ["starts_at", "ends_at", "place", "online_link"]}),
        (_("Who and how many"), {"fields": ["audience", "capacity", "signup_deadline"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                taken=signups_in(SignUp.Status.CONFIRMED),
                waiting=signups_in(SignUp.Status.WAITLISTED),
            )
        )

    def get_object(self, request, object_id, from_field=None):
        if request.method == "POST" and str(object_id).isdecimal():
            # Hold the event's row while its places are checked and saved, as sign-ups do, so
            # nobody takes a place between the check and the save.
            Event.objects.select_for_update().filter(pk=object_id).first()
        return super().get_object(request, object_id, from_field)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        # Only the institution's administrators hold events for no programme in particular.
        form.base_fields["program"].required = not request.user.is_superuser
        return form

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "capacity" in form.changed_data:
            signup.raise_capacity(obj)

    @admin.display(description=_("places"))
    def places(self, event):
        if event.capacity is None:
            return event.taken
        waiting = f" (+{event.waiting})" if event.waiting else ""
        return f"{event.taken} / {event.capacity}{waiting}"

    @admin.display(description=_("Sign-ups"))
    def manage_link(self, event):
        url = reverse("events:attendance", args=[event.pk])
        return format_html('<a href="{}">{}</a>', url, _("Sign-ups and attendance"))
