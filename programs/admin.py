"""The coordinators' set-up: programmes, cycles, questionnaires and documents. Each coordinator
sees and edits only the programmes they coordinate.

Also what every app's admin shares (`CoordinatedAdmin`, the programme and cycle filters, the
paginator of large tables): pages whose queries do not grow with the rows, and that answer as
fast with a million of them."""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import Cycle, Document, Program, Question, Questionnaire, StageEntry
from .ready_made import add_ready_made_questionnaires

# A list counts its rows up to this many, and says "more" beyond.
COUNTED_UP_TO = 1_000


class LargeTablePaginator(Paginator):
    """Counts a list's rows up to COUNTED_UP_TO, and no further: counting a programme's
    hundred thousand meetings took longer than the rest of the page. A longer list has that
    many rows in its pages, and `more` (the pages' template shows "1000+"); the rest are
    found by its filters and search."""

    @cached_property
    def _counted(self) -> int:
        return self.object_list.order_by().values("pk")[: COUNTED_UP_TO + 1].count()

    @property
    def more(self) -> bool:
        return self._counted > COUNTED_UP_TO

    @cached_property
    def count(self) -> int:
        return min(self._counted, COUNTED_UP_TO)


class LargeTableMixin:
    """Changelists that answer as fast with a million rows: counted once and only up to a
    thousand, in pages short enough to render at once (a row of the admin takes about a
    millisecond to render)."""

    # The rows are counted once, for the pages: a second count of all of them ("of N") would
    # read the whole table again.
    show_full_result_count = False
    paginator = LargeTablePaginator
    list_per_page = 25

    def action_checkbox(self, obj):
        """Django's checkbox of a row, written out: rendered as a form widget, through its
        templates, it took a third of the time of the row."""
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            obj.pk,
            format_html(_("Select this object for an action - {}"), str(obj)),
        )


def coordinated_ids(request, model) -> list[int]:
    """The programmes or cycles the person coordinates (`coordinated_by`), as ids read once
    in a request. Filtered by a list of cycles, a page of registrations, pairings or meetings
    is read from the cycles' indexes; the subquery of the same rule made the planner walk
    every programme's rows and drop the others'."""
    read = request.__dict__.setdefault("_coordinated_ids", {})
    if model not in read:
        rows = model.objects.coordinated_by(request.user)
        read[model] = sorted(rows.values_list("pk", flat=True))
    return read[model]


class ProgramFilter(admin.RelatedFieldListFilter):
    """The programmes the person coordinates (all of them for a superuser), in one query."""

    def field_choices(self, field, request, model_admin):
        return [
            (program.pk, str(program)) for program in Program.objects.coordinated_by(request.user)
        ]


class CycleFilter(admin.RelatedFieldListFilter):
    """The cycles of the programmes the person coordinates, in one query with their
    programmes (which name them)."""

    def field_choices(self, field, request, model_admin):
        cycles = Cycle.objects.coordinated_by(request.user).select_related("program")
        return [(cycle.pk, str(cycle)) for cycle in cycles]


class CoordinatedAdmin(LargeTableMixin, admin.ModelAdmin):
    """Limits the rows, and the programmes or cycles offered in forms, to the coordinator's."""

    scope = "program"  # the path from this model to its Program, or "" for Program itself

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        if self.scope.endswith("cycle__program"):  # the cycles', rather than the programmes'
            path = self.scope.removesuffix("__program")
            return queryset.filter(**{f"{path}__in": coordinated_ids(request, Cycle)})
        path = self.scope or "pk"
        return queryset.filter(**{f"{path}__in": coordinated_ids(request, Program)})

    def get_search_results(self, request, queryset, search_term):
        """A search through a many-valued relation (a pairing's members) keeps each row once
        by a subquery of the ids found, rather than by DISTINCT, which sorts every joined row."""
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if may_have_duplicates:
            return queryset.filter(pk__in=found.values("pk")), False
        return found, False

    def response_action(self, request, queryset):
        """An action's selection is a list of ids: anything else selects nothing (Django's
        own would fail on it)."""
        selected = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
        if not all(value.isdecimal() for value in selected):
            self.message_user(
                request,
                _(
                    "Items must be selected in order to perform actions on them. No items have "
                    "been changed."
                ),
                messages.WARNING,
            )
            return HttpResponseRedirect(request.get_full_path())
        return super().response_action(request, queryset)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "program":
            kwargs["queryset"] = Program.objects.coordinated_by(request.user)
        elif db_field.name == "cycle":
            kwargs["queryset"] = Cycle.objects.coordinated_by(request.user).select_related(
                "program"
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Program)
class ProgramAdmin(CoordinatedAdmin):
    scope = ""
    list_display = ["name", "form", "cadence", "is_public", "contact_email"]
    list_filter = ["form", "cadence", "is_public"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    # Looked up as typed: a list of everyone would be the whole institution.
    autocomplete_fields = ["coordinators"]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # A coordinator who creates a programme runs it.
        if not change and not request.user.is_superuser:
            form.instance.coordinators.add(request.user)


class StageEntryInline(admin.TabularInline):
    model = StageEntry
    extra = 0
    can_delete = False
    readonly_fields = ["stage", "entered_at"]

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("cycle__program")  # in their names


@admin.register(Cycle)
class CycleAdmin(CoordinatedAdmin):
    list_display = [
        "__str__", "stage", "starts_on", "ends_on", "registration_closes", "dashboard_link",
        "registrations_link", "matching_link", "report_link",
    ]  # fmt: skip
    list_filter = ["stage", ("program", ProgramFilter)]
    search_fields = ["name", "program__name"]
    list_select_related = ["program"]
    inlines = [StageEntryInline]
    actions = ["advance_stage", "copy_previous_questionnaires", "add_ready_made"]

    @admin.display(description=_("Dashboard"))
    def dashboard_link(self, cycle):
        url = reverse("dashboard", args=[cycle.pk])
        return format_html('<a href="{}">{}</a>', url, _("Dashboard"))

    @admin.display(description=_("Report"))
    def report_link(self, cycle):
        url = reverse("report", args=[cycle.pk])
        return format_html('<a href="{}">{}</a>', url, _("Report"))

    @admin.display(description=_("Registrations"))
    def registrations_link(self, cycle):
        url = reverse("participants:registrations", args=[cycle.pk])
        return format_html('<a href="{}">{}</a>', url, _("Review"))

    @admin.display(description=_("Pairs and groups"))
    def matching_link(self, cycle):
        url = reverse("participants:matching", args=[cycle.pk])
        return format_html('<a href="{}">{}</a>', url, _("Matching"))

    @admin.action(description=_("Move to the next stage"))
    def advance_stage(self, request, queryset):
        moved = sum(cycle.advance_stage() for cycle in queryset)
        self.message_user(
            request,
            ngettext(
                "%(count)d cycle moved to its next stage.",
                "%(count)d cycles moved to their next stage.",
                moved,
            )
            % {"count": moved},
        )

    @admin.action(description=_("Copy the questionnaires of the previous cycle"))
    def copy_previous_questionnaires(self, request, queryset):
        copied = sum(len(cycle.copy_questionnaires_from_previous()) for cycle in queryset)
        level = messages.SUCCESS if copied else messages.WARNING
        self.message_user(
            request,
            ngettext(
                "%(count)d questionnaire copied.",
                "%(count)d questionnaires copied.",
                copied,
            )
            % {"count": copied}
            if copied
            else _("Nothing to copy: no previous cycle, or its questionnaires are already here."),
            level,
        )

    @admin.action(description=_("Add the ready-made university questionnaires"))
    def add_ready_made(self, request, queryset):
        added = sum(len(add_ready_made_questionnaires(cycle)) for cycle in queryset)
        self.message_user(
            request,
            ngettext("%(count)d questionnaire added.", "%(count)d questionnaires added.", added)
            % {"count": added},
        )


class QuestionInline(admin.StackedInline):
    model = Question
    extra = 0
    fields = [
        ("order", "kind", "required", "sensitive", "anonymous"),
        "text",
        "options",
        ("help_text", "matching_tag"),
    ]


@admin.register(Questionnaire)
class QuestionnaireAdmin(CoordinatedAdmin):
    scope = "cycle__program"
    list_display = ["title", "cycle", "purpose"]
    list_filter = ["purpose", ("cycle__program", ProgramFilter)]
    list_select_related = ["cycle__program"]
    search_fields = ["title"]
    inlines = [QuestionInline]


@admin.register(Document)
class DocumentAdmin(CoordinatedAdmin):
    list_display = ["title", "program", "kind", "audience", "uploaded_at"]
    list_filter = ["kind", "audience", ("program", ProgramFilter)]
    list_select_related = ["program"]
    search_fields = ["title"]
    readonly_fields = ["original_name", "uploaded_at"]
