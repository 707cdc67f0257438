"""The coordinators' pages for forming pairs and groups: the matching, and pairings by hand."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from participants.models import MatchingCriterion, MatchingRun, PairChoice, Pairing, Participant
from participants.pairings import services as pairing
from participants.pairings.explanations import reasons_for, unmatched_text
from participants.pairings.forms import CriterionFormSet, EndForm, PairingForm
from participants.registrations.review import PAGE_SIZE
from programs.access import coordinated_cycle_or_404


def _criteria(cycle):
    return list(
        MatchingCriterion.objects.filter(cycle=cycle)
        .select_related("mentor_question", "mentee_question")
        .order_by("pk")
    )


def _counts(cycle) -> dict:
    people = Participant.objects.filter(cycle=cycle).accepted()
    counts = people.aggregate(
        mentors=Count("pk", filter=Q(role=Participant.Role.MENTOR)),
        mentees=Count("pk", filter=Q(role=Participant.Role.MENTEE)),
    )
    pairings = Pairing.objects.filter(cycle=cycle).aggregate(
        drafts=Count("pk", filter=Q(status=Pairing.Status.DRAFT)),
        active=Count("pk", filter=Q(status=Pairing.Status.ACTIVE)),
        draft_score=Sum("score", filter=Q(status=Pairing.Status.DRAFT)),
    )
    return {**counts, **pairings}


def _unmatched(cycle, run, criteria) -> list[dict]:
    """The latest run's people left over who are still accepted and without a pair."""
    if run is None or not run.unmatched:
        return []
    ids = [entry["participant"] for entry in run.unmatched]
    still = (
        Participant.objects.filter(pk__in=ids, status=Participant.Status.ACCEPTED)
        .exclude(pairings__status__in=[Pairing.Status.DRAFT, Pairing.Status.ACTIVE])
        .select_related("user")
    )
    people = {p.pk: p for p in still}
    labels = {c.pk: c.mentor_question.text for c in criteria}
    return [
        {"participant": people[e["participant"]], "reason": unmatched_text(e, labels)}
        for e in run.unmatched
        if e["participant"] in people
    ]


@login_required
def matching(request, cycle_pk):
    cycle = coordinated_cycle_or_404(request.user, cycle_pk)
    criteria = _criteria(cycle)
    drafts = Pairing.objects.drafts().filter(cycle=cycle).order_by("pk")
    page = Paginator(drafts, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list.with_members())
    locked = set(
        PairChoice.objects.filter(cycle=cycle, kind=PairChoice.Kind.LOCKED).values_list(
            "mentor_id", "mentee_id"
        )
    )
    for draft in page.object_list:
        draft.mentor, draft.mentee = draft.mentors[0], draft.mentees[0]
        draft.locked = (draft.mentor.pk, draft.mentee.pk) in locked
        draft.explained = reasons_for(draft.reasons)
    run = MatchingRun.objects.filter(cycle=cycle).select_related("run_by").first()
    ruled_out = (
        PairChoice.objects.filter(cycle=cycle, kind=PairChoice.Kind.RULED_OUT)
        .select_related("mentor__user", "mentee__user")
        .order_by("pk")
    )
    context = {
        "cycle": cycle,
        "criteria": criteria,
        "counts": _counts(cycle),
        "page": page,
        "run": run,
        "unmatched": _unmatched(cycle, run, criteria),
        "ruled_out": ruled_out,
    }
    return render(request, "participants/matching.html", context)


@login_required
def criteria(request, cycle_pk):
    cycle = coordinated_cycle_or_404(request.user, cycle_pk)
    formset = CriterionFormSet(
        request.POST or None,
        queryset=MatchingCriterion.objects.filter(cycle=cycle).order_by("pk"),
        form_kwargs={"cycle": cycle},
    )
    if request.method == "POST" and formset.is_valid():
        formset.save()
        messages.success(request, _("The matching criteria are saved. Run the matching again."))
        return redirect("participants:matching", cycle.pk)
    return render(
        request, "participants/matching_criteria.html", {"cycle": cycle, "formset": formset}
    )


@login_required
@require_POST
def criteria_from_tags(request, cycle_pk):
    cycle = coordinated_cycle_or_404(request.user, cycle_pk)
    added = pairing.criteria_from_tags(cycle)
    if added:
        messages.success(
            request,
            ngettext(
                "%(count)d criterion added from the questionnaires' matching tags.",
                "%(count)d criteria added from the questionnaires' matching tags.",
                len(added),
            )
            % {"count": len(added)},
        )
    else:
        messages.info(
            request,
            _("No criteria to add: tag the questions of both questionnaires for matching first."),
        )
    return redirect("participants:matching_criteria", cycle.pk)


@login_required
@require_POST
def run(request, cycle_pk):
    cycle = coordinated_cycle_or_404(request.user, cycle_pk)
    result = pairing.run(cycle, user=request.user)
    messages.success(
        request,
        ngettext(
            "%(count)d pair suggested, with a total score of %(score)s.",
            "%(count)d pairs suggested, with a total score of %(score)s.",
            result.matched,
        )
        % {"count": result.matched, "score": f"{result.total_score:g}"},
    )
    return redirect("participants:matching", cycle.pk)


@login_required
@require_POST
def draft_action(request, cycle_pk, pk):
    """Lock a suggested pair in, unlock it, or rule it out."""
    cycle = coordinated_cycle_or_404(request.user, cycle_pk)
    draft = Pairing.objects.drafts().filter(cycle=cycle, pk=pk).with_members().first()
    if draft is None:  # published, or replaced by a newer run, since the page was shown
        messages.info(
            request, _("That suggestion has changed meanwhile; here are the current ones.")
        )
        return redirect("participants:matching", cycle.pk)
    label, action = str(draft), request.POST.get("action")
    if action == "lock":
        pairing.lock(draft)
        messages.success(
            request,
            _("Locked in: %(pair)s. Running the matching again keeps it.") % {"pair": label},
        )
    elif action == "unlock":
        pairing.lock(draft, locked=False)
        messages.success(request, _("Unlocked: %(pair)s.") % {"pair": label})
    elif action == "rule_out":
        pairing.rule_out(draft)
        messages.success(
            request,
            _("Ruled out: %(pair)s. Run the matching again to find the mentee another mentor.")
            % {"pair": label},
        )
    else:
        messages.error(request, _("Choose whether to lock, unlock or rule out the pair."))
    return redirect(_back_to_matching(request, cycle))


def _back_to_matching(request, cycle) -> str:
    url = redirect("participants:matching", cycle.pk).url
    page = request.POST.get("page", "")
    return f"{url}?page={page}" if page.isdecimal() else url


@login_required
@require_POST
def allow(request, cycle_pk, pk):
    """Take back a ruled-out pair."""
    cycle = coordinated_cycle_or_404(request.user, cycle_pk)
    choice = get_object_or_404(
        PairChoice.objects.filter(cycle=cycle, kind=PairChoice.Kind.RULED_OUT), pk=pk
    )
    choice.delete()
    messages.success(request, _("The pair can be suggested again."))
    return redirect("participants:matching", cycle.pk)


@login_required
def reassign(request, cycle_pk, mentee_pk):
    """Choose a mentee's mentor by hand, with each mentor's score for them."""
    cycle = coordinated_cycle_or_404(request.user, cycle_pk)
    mentee = get_object_or_404(
        Participant.objects.filter(cycle=cycle).mentees().accepted().select_related("user"),
        pk=mentee_pk,
    )
    if request.method == "POST":
        done = _reassign(request, cycle, mentee)
        if done:
            return redirect("participants:matching", cycle.pk)
    rows = pairing.candidates(cycle, mentee)
    for row in rows:
        row["explained"] = reasons_for(row["reasons"])
    current = next((r for r in rows if r["current"]), None)
    context = {
        "cycle": cycle,
        "mentee": mentee,
        "rows": rows[:PAGE_SIZE],
        "current": current,
        "more": max(len(rows) - PAGE_SIZE, 0),
    }
    return render(request, "participants/matching_reassign.html", context)


def _reassign(request, cycle, mentee) -> bool:
    mentors = Participant.objects.filter(cycle=cycle).mentors().select_related("user")
    mentor = mentors.filter(pk=_int(request.POST.get("mentor"))).first()
    displace = (
        Participant.objects.filter(cycle=cycle).mentees().select_related("user")
        .filter(pk=_int(request.POST.get("displace"))).first()
    )  # fmt: skip
    if mentor is None:
        messages.error(request, _("Choose a mentor from the list."))
        return False
    try:
        draft = pairing.assign(cycle, mentee, mentor, displace=displace)
    except pairing.PairingError as error:
        messages.error(request, str(error))
        return False
    messages.success(
        request,
        _("%(mentee)s now has %(mentor)s as mentor (score %(score)s), locked in.")
        % {"mentee": mentee.user, "mentor": mentor.user, "score": f"{draft.score:g}"},
    )
    return True


def _int(value) -> int | None:
    return int(value) if value and str(value).isdecimal() else None


@login_required
@require_POST
def publish(request, cycle_pk):
    cycle = coordinated_cycle_or_404(request.user, cycle_pk)
    published = pairing.publish(cycle, by=request.user)
    if not published:
        messages.info(request, _("There was nothing to publish: run the matching first."))
        return redirect("participants:matching", cycle.pk)
    messages.success(
        request,
        ngettext(
            "%(count)d pair or group published; every member is told by email.",
            "%(count)d pairs and groups published; every member is told by email.",
            len(published),
        )
        % {"count": len(published)},
    )
    return redirect("participants:pairings", cycle.pk)


@login_required
def pairings(request, cycle_pk):
    cycle = coordinated_cycle_or_404(request.user, cycle_pk)
    status = request.GET.get("status")
    shown = Pairing.objects.filter(cycle=cycle).exclude(status=Pairing.Status.DRAFT)
    if status in (Pairing.Status.ACTIVE, Pairing.Status.ENDED):
        shown = shown.filter(status=status)
    page = Paginator(shown.order_by("status", "-starts_on", "pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    page.object_list = list(page.object_list.with_members())
    context = {"cycle": cycle, "page": page, "status": status, "counts": _counts(cycle)}
    return render(request, "participants/pairings.html", context)


@login_required
def pairing_new(request, cycle_pk):
    """A pair or group by hand; a capacity overrun needs an explicit yes."""
    cycle = coordinated_cycle_or_404(request.user, cycle_pk)
    form = PairingForm(request.POST or None, cycle=cycle)
    if request.method == "POST" and form.is_valid():
        mentors, mentees = list(form.cleaned_data["mentors"]), list(form.cleaned_data["mentees"])
        form.overruns = pairing.capacity_overruns(cycle, mentors, mentees)
        if form.overruns and not form.cleaned_data["exceed_capacity"]:
            form.add_error(
                "exceed_capacity",
                _(
                    "This would give a mentor more mentees than their capacity. Tick the box "
                    "to do it anyway, or choose another mentor."
                ),
            )
        else:
            try:
                created = pairing.create(cycle, mentors, mentees, by=request.user)
            except pairing.PairingError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    _("Created: %(pairing)s. Every member is told by email.")
                    % {"pairing": created},
                )
                return redirect("participants:pairings", cycle.pk)
    return render(request, "participants/pairing_form.html", {"cycle": cycle, "form": form})


@login_required
def pairing_end(request, pk):
    found = get_object_or_404(
        Pairing.objects.coordinated_by(request.user)
        .active()
        .select_related("cycle__program")
        .with_members(),
        pk=pk,
    )
    form = EndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        pairing.end(found, form.cleaned_data["reason"].strip(), by=request.user)
        messages.success(request, _("The pairing has ended; its members are told by email."))
        return redirect("participants:pairings", found.cycle_id)
    return render(
        request,
        "participants/pairing_end.html",
        {"pairing": found, "cycle": found.cycle, "form": form},
    )
