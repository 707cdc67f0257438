from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from programs.admin import CoordinatedAdmin

from .models import Answer, Participant, Response, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["last_name", "first_name", "email"]
    list_display = ["email", "first_name", "last_name", "language", "is_staff", "is_active"]
    list_filter = ["is_staff", "is_superuser", "is_active", "language"]
    search_fields = ["email", "first_name", "last_name"]
    readonly_fields = ["last_login", "date_joined", "welcomed_at"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Personal information"), {"fields": ["first_name", "last_name", "language"]}),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Important dates"), {"fields": ["last_login", "date_joined", "welcomed_at"]}),
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


@admin.register(Participant)
class ParticipantAdmin(CoordinatedAdmin):
    scope = "cycle__program"
    list_display = ["user", "cycle", "role", "status", "capacity", "applied_at"]
    list_filter = ["role", "status", "cycle__program", "cycle"]
    list_select_related = ["user", "cycle__program"]
    search_fields = ["user__email", "user__first_name", "user__last_name"]
    readonly_fields = ["user", "cycle", "role", "applied_at", "status_changed_at"]
    fields = [
        "user", "cycle", "role", "status", "capacity", "several_pairings_allowed", "applied_at",
        "status_changed_at",
    ]  # fmt: skip

    def has_add_permission(self, request):
        return False  # people register themselves, through the questionnaire


class AnswerInline(admin.TabularInline):
    model = Answer
    extra = 0
    can_delete = False
    fields = ["question", "display"]
    readonly_fields = ["question", "display"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Response)
class ResponseAdmin(CoordinatedAdmin):
    scope = "participant__cycle__program"
    list_display = ["participant", "questionnaire", "submitted_at", "updated_at"]
    list_filter = ["questionnaire__purpose", "participant__cycle__program"]
    list_select_related = ["participant__user", "participant__cycle__program", "questionnaire"]
    search_fields = ["participant__user__email", "participant__user__last_name"]
    readonly_fields = ["participant", "questionnaire", "submitted_at", "updated_at"]
    inlines = [AnswerInline]

    def has_add_permission(self, request):
        return False
