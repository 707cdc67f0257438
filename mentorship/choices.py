"""Labels of the models' choices, for pages that show them on every row of a list."""

from functools import cache

from django.utils.encoding import force_str
from django.utils.hashable import make_hashable


@cache
def _labels(field) -> dict:
    return dict(make_hashable(field.flatchoices))


class ChoiceLabels:
    """`get_FOO_display()` from a dict of each field's choices made once: Django's own makes
    it again on every call, which a page of 50 registrations does a hundred times (a sixth of
    rendering it). The labels stay lazy, so each call speaks the current language."""

    def _get_FIELD_display(self, field):
        value = getattr(self, field.attname)
        return force_str(_labels(field).get(make_hashable(value), value), strings_only=True)
