"""The people, their registrations and answers, pairings, the ledger of emails and the audit
trail in the administration site: coordinators review their programmes' registrations and look
up the rest; the people themselves are the site's administrators' to manage."""

from allauth.account.admin import EmailAddressAdmin as BaseEmailAddressAdmin
from allauth.account.models import EmailAddress
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from programs.admin import CoordinatedAdmin, CycleFilter, LargeTableMixin, ProgramFilter
from programs.models import Program

from .models import (
    Answer,
    AuditEntry,
    Membership,
    Notification,
    Pairing,
    Participant,
    Response,
    User,
)
from .notifications import ledger as notifications
from .registrations import services as registration


def picks_coordinators(request) -> bool:
    """Whether the request is the picker of a programme's coordinators (the admin's
    autocomplete for that field), asked by someone who may change programmes."""
    match = request.resolver_match
    return (
        match is not None
        and match.url_name == "autocomplete"
        and request.GET.get("app_label") == Program._meta.app_label
        and request.GET.get("model_name") == Program._meta.model_name
        and request.GET.get("field_name") == "coordinators"
        and request.user.has_perm("programs.change_program")
    )


admin.site.unregister(EmailAddress)


@admin.register(EmailAddress)
class EmailAddressAdmin(LargeTableMixin, BaseEmailAddressAdmin):
    """allauth's: an address for each person, so as many rows as people."""


@admin.register(User)
class UserAdmin(LargeTableMixin, BaseUserAdmin):
    ordering = ["email"]  # by its unique index: sorting everyone by name read every row
    list_display = ["email", "first_name", "last_name", "language", "is_staff", "is_active"]
    list_filter = ["is_staff", "is_superuser", "is_active", "language"]
    search_fields = ["email", "first_name", "last_name"]
    readonly_fields = ["last_login", "date_joined"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Personal information"), {"fields": ["first_name", "last_name", "language"]}),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": [
                    "email",
                    "first_name",
                    "last_name",
                    "language",
                    "password1",
                    "password2",
                ],
            },
        ),
    ]

    def has_view_permission(self, request, obj=None):
        """Coordinators find people here only to name a programme's coordinators, as the
        programme's form offered everyone before it looked them up as typed."""
        return super().has_view_permission(request, obj) or (
            obj is None and picks_coordinators(request)
        )


@admin.register(Participant)
class ParticipantAdmin(CoordinatedAdmin):
    scope = "cycle__program"
    list_display = ["user", "cycle", "role", "status", "capacity", "applied_at"]
    list_filter = ["role", "status", ("cycle__program", ProgramFilter), ("cycle", CycleFilter)]
    # The registrations list's order backwards (the newest cycle first): that of their index,
    # so a page is read from it, where sorting by programme and cycle names read everyone.
    ordering = ["-cycle_id", "-role", "-status", "-status_changed_at", "-pk"]
    list_select_related = ["user", "cycle__program"]
    search_fields = ["user__email", "user__first_name", "user__last_name"]
    readonly_fields = [
        "user", "cycle", "role", "applied_at", "status_changed_at", "consented_at",
        "guardian_consent_at", "guardian_consent_by",
    ]  # fmt: skip
    fields = [
        "user", "cycle", "role", "status", "capacity", "several_pairings_allowed", "applied_at",
        "status_changed_at", "consented_at", "is_minor", "guardian_consent_at",
        "guardian_consent_by",
    ]  # fmt: skip

    actions = ["accept", "waitlist", "decline"]

    def has_add_permission(self, request):
        return False  # people register themselves, through the questionnaire

    def _decide(self, request, queryset, status):
        chosen = list(queryset.exclude(status=Participant.Status.WITHDRAWN).select_related("user"))
        refusal = status == Participant.Status.ACCEPTED and registration.guardian_refusal(chosen)
        if refusal:
            self.message_user(request, refusal, messages.ERROR)
            return
        changed = registration.decide(participants=chosen, status=status, by=request.user)
        self.message_user(
            request,
            ngettext(
                "%(count)d registration is now “%(status)s”; the person is told by email.",
                "%(count)d registrations are now “%(status)s”; each person is told by email.",
                changed,
            )
            % {"count": changed, "status": Participant.Status(status).label},
        )

    @admin.action(description=_("Accept (and tell them by email)"))
    def accept(self, request, queryset):
        self._decide(request, queryset, Participant.Status.ACCEPTED)

    @admin.action(description=_("Put on the waiting list (and tell them by email)"))
    def waitlist(self, request, queryset):
        self._decide(request, queryset, Participant.Status.WAITLISTED)

    @admin.action(description=_("Decline (and tell them by email)"))
    def decline(self, request, queryset):
        self._decide(request, queryset, Participant.Status.DECLINED)


class ReadOnlyInline(admin.TabularInline):
    """Rows shown with their parent, written only by the product's own pages."""

    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False


class AnswerInline(ReadOnlyInline):
    model = Answer
    fields = ["question", "answer"]

    @admin.display(description=_("answer"))
    def answer(self, answer):
        return answer.display

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("question")  # shown with each


@admin.register(Response)
class ResponseAdmin(CoordinatedAdmin):
    scope = "participant__cycle__program"
    list_display = ["participant", "questionnaire_title", "submitted_at", "updated_at"]
    list_filter = ["questionnaire__purpose", ("participant__cycle__program", ProgramFilter)]
    # In the order of their registrations (above), read from the registrations' index, where
    # the newest responses first made a coordinator's page pass every other programme's ones.
    ordering = [
        "-participant__cycle_id",
        "-participant__role",
        "-participant__status",
        "-participant__status_changed_at",
        "-participant_id",
    ]
    list_select_related = ["participant__user", "participant__cycle__program", "questionnaire"]
    search_fields = ["participant__user__email", "participant__user__last_name"]
    readonly_fields = ["participant", "questionnaire", "submitted_at", "updated_at"]
    inlines = [AnswerInline]

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("questionnaire"))
    def questionnaire_title(self, response):
        """Its title: the participant beside it names the cycle, which the questionnaire's
        name would repeat (and join two more tables for)."""
        return response.questionnaire.title


class MembershipInline(ReadOnlyInline):
    model = Membership
    fields = ["participant", "joined_at"]

    def get_queryset(self, request):
        # Each member is named with their cycle and its programme.
        return (
            super()
            .get_queryset(request)
            .select_related("participant__user", "participant__cycle__program")
        )


@admin.register(Pairing)
class PairingAdmin(CoordinatedAdmin):
    """Pairings are formed and ended on the coordinators' pages, where the rules and emails
    are; here they can be looked up."""

    scope = "cycle__program"
    list_display = ["__str__", "cycle", "status", "starts_on", "ends_on", "workspace_link"]
    list_filter = ["status", ("cycle__program", ProgramFilter), ("cycle", CycleFilter)]
    ordering = ["-cycle_id", "status", "pk"]  # the newest cycle first, read from its index
    list_select_related = ["cycle__program"]
    search_fields = ["members__user__email", "members__user__last_name"]
    fields = ["cycle", "status", "starts_on", "ends_on", "end_reason", "score", "created_at"]
    readonly_fields = fields
    inlines = [MembershipInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("members__user")

    @admin.display(description=_("Goals and meetings"))
    def workspace_link(self, pairing):
        url = reverse("meetings:pairing", args=[pairing.pk])
        return format_html('<a href="{}">{}</a>', url, _("Goals and meetings"))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class KindFilter(admin.SimpleListFilter):
    """The kinds of email the apps register, without reading every row of the ledger for the
    kinds it holds."""

    title = _("kind")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return [(kind.name, kind.label) for kind in notifications.KINDS.values()]

    def queryset(self, request, queryset):
        return queryset.filter(kind=self.value()) if self.value() else queryset


@admin.register(Notification)
class NotificationAdmin(CoordinatedAdmin):
    """The ledger, to look up what was sent to whom and why something failed; read-only."""

    scope = "program"
    list_display = [
        "created_at",
        "recipient",
        "kind",
        "content_type",
        "object_id",
        "period",
        "state",
        "attempts",
    ]
    list_filter = ["state", KindFilter, ("program", ProgramFilter), "created_at"]
    # The recipients are fetched for the page's rows, after them (below): joined, they made the
    # planner sort a programme's rows in parallel, which took longer than the rest of the page.
    list_select_related = []
    search_fields = ["recipient__email", "recipient__last_name"]
    # Dates are chosen with the date filter: a date hierarchy reads every row's date.

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("recipient", "content_type")

    def get_ordering(self, request):
        """Newest first. The whole ledger by its key, as it has no index by date and rows are
        written when planned; a coordinator's programmes' rows found by the programme's index,
        then sorted by date, as walking the key back would pass every newer row of others."""
        return ["-pk"] if request.user.is_superuser else ["-created_at", "-pk"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(LargeTableMixin, admin.ModelAdmin):
    """The audit trail of coordinators' actions on people: for the site's administrators."""

    list_display = ["at", "actor", "action", "person", "cycle", "details"]
    list_filter = ["action", ("cycle__program", ProgramFilter), "at"]
    list_select_related = ["actor", "person", "cycle__program"]
    search_fields = ["actor__email", "person__email", "details"]
    # (Dates by the filter, not a date hierarchy, which reads every entry's date.)

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
