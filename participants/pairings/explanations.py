"""The matching's reasons in words: stored as data, told in the reader's language."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from participants.models import MatchingCriterion
from participants.pairings import matching

Rule = MatchingCriterion.Rule


def _listed(values) -> str:
    return ", ".join(values)


def reason_text(reason: dict) -> str:
    """Why one criterion gave a pair its points, or why it breaks a hard constraint."""
    if not reason.get("answered"):
        return _("not answered by both")
    mentor, mentee, common = (_listed(reason[k]) for k in ("mentor", "mentee", "common"))
    rule = reason["rule"]
    if rule == Rule.OVERLAP:
        if not reason["common"]:
            return _("nothing in common")
        return _("%(common)s in common (%(shared)d of %(wanted)d wanted)") % {
            "common": common,
            "shared": len(reason["common"]),
            "wanted": len(reason["mentee"]),
        }
    if rule in (Rule.SAME, Rule.DIFFERENT):
        if reason["same"]:
            return _("both: %(value)s") % {"value": mentee}
        return _("mentor: %(mentor)s; mentee: %(mentee)s") % {"mentor": mentor, "mentee": mentee}
    if not reason["ok"]:
        if rule == Rule.MUST_MATCH:
            return _("required to match, but mentor: %(mentor)s; mentee: %(mentee)s") % {
                "mentor": mentor,
                "mentee": mentee,
            }
        return _("required to differ, but both: %(common)s") % {"common": common}
    if rule == Rule.MUST_MATCH:
        return _("match as required: %(common)s") % {"common": common}
    return _("differ as required")


def reasons_for(pairing_reasons: list[dict]) -> list[dict]:
    """The reasons of a pair, ready for a template."""
    return [
        {
            "label": r["label"],
            "points": r["points"],
            "text": reason_text(r),
            "ok": r["ok"],
            "hard": r["rule"] in MatchingCriterion.HARD_RULES,
        }
        for r in pairing_reasons
    ]


def unmatched_text(entry: dict, criteria: dict[int, str]) -> str:
    """Why someone is left without a pair; `criteria` maps criterion ids to their labels."""
    reason = entry["reason"]
    if reason == matching.NO_PLACES:
        return _("No mentor has a free place left.")
    if reason == matching.NO_MENTEES_LEFT:
        return _("Every mentee who could be matched already has a mentor.")
    if reason == matching.PLACES_TAKEN:
        return ngettext(
            "%(count)d mentor fits, but their places went to pairs that score higher. "
            "More places, or a pair chosen by hand, would help.",
            "%(count)d mentors fit, but their places went to pairs that score higher. "
            "More places, or a pair chosen by hand, would help.",
            entry["mentors"],
        ) % {"count": entry["mentors"]}
    causes = [f"“{criteria[c]}”" for c in entry.get("criteria", []) if c in criteria]
    if entry.get("excluded"):
        causes.append(_("pairs you ruled out (or the person themselves)"))
    causes = _listed(causes) or _("the hard constraints")
    if entry["role"] == "mentor":
        return _("Every mentee left is excluded by %(causes)s.") % {"causes": causes}
    return _("Every mentor with a free place is excluded by %(causes)s.") % {"causes": causes}
