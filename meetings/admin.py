"""What coordinators look up in the administration site: that meetings took place (never
their notes) and the help requests of their programmes, which they answer on their own page."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from programs.admin import CoordinatedAdmin, CycleFilter, ProgramFilter

from .models import HelpRequest, Meeting


@admin.register(Meeting)
class MeetingAdmin(CoordinatedAdmin):
    """Read-only, and the notes and agreed steps are not among the fields: they belong to
    the pairing's members."""

    scope = "pairing__cycle__program"
    list_display = ["pairing", "held_on", "duration_minutes", "format", "topic_list", "confirmed"]
    list_filter = [
        "format",
        ("pairing__cycle__program", ProgramFilter),
        ("pairing__cycle", CycleFilter),
        "held_on",
    ]
    search_fields = ["pairing__members__user__email", "pairing__members__user__last_name"]
    # Each pairing's meetings together, the newest pairings first and their latest meeting
    # first: the order of the (pairing, date) index, so a page is read from it, where the
    # model's order by pairing sorted every meeting by programme and cycle names. Dates are
    # chosen with the date filter: a date hierarchy would read every meeting's date.
    ordering = ["-pairing_id", "-held_on", "-pk"]
    fields = [
        "pairing", "held_on", "duration_minutes", "format", "topic_list", "logged_by",
        "confirmed_by", "confirmed_at", "created_at",
    ]  # fmt: skip
    readonly_fields = fields

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("pairing", "logged_by", "confirmed_by")
            .prefetch_related("pairing__members__user")
        )

    @admin.display(description=_("topics"))
    def topic_list(self, meeting):
        return ", ".join(meeting.topic_labels())

    @admin.display(description=_("confirmed"), boolean=True)
    def confirmed(self, meeting):
        return meeting.confirmed_at is not None

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(HelpRequest)
class HelpRequestAdmin(CoordinatedAdmin):
    scope = "participant__cycle__program"
    list_display = ["created_at", "participant", "topic", "status", "answer_link"]
    list_filter = ["status", "topic", ("participant__cycle__program", ProgramFilter)]
    list_select_related = ["participant__user", "participant__cycle__program"]
    search_fields = ["participant__user__email", "participant__user__last_name", "message"]
    fields = [
        "participant", "topic", "message", "status", "answer", "answered_by", "answered_at",
        "closed_at", "created_at",
    ]  # fmt: skip
    readonly_fields = fields

    @admin.display(description=_("Answer"))
    def answer_link(self, help_request):
        url = reverse("meetings:coordinate_help_detail", args=[help_request.pk])
        return format_html('<a href="{}">{}</a>', url, _("Read and answer"))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
