"""Every string of ours is translated into Lithuanian, Latvian and Russian, with the plural
forms each language needs; dates, times and numbers follow the reader's language."""

import datetime
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import formats, translation

LOCALE = Path(settings.BASE_DIR) / "locale"
LANGUAGES = ["lt", "lv", "ru"]


def catalogue(language):
    return polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_and_none_is_fuzzy(language):
    po = catalogue(language)
    untranslated = [e.msgid for e in po.untranslated_entries() if not e.obsolete]
    fuzzy = [e.msgid for e in po.fuzzy_entries() if not e.obsolete]
    assert not untranslated, f"{len(untranslated)} untranslated, e.g. {untranslated[:5]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy, e.g. {fuzzy[:5]}"
    assert len(po.translated_entries()) > 500


@pytest.mark.parametrize("language", LANGUAGES)
def test_plural_messages_have_the_three_forms_of_the_language(language):
    po = catalogue(language)
    assert "nplurals=3" in po.metadata["Plural-Forms"]
    for entry in po:
        if entry.msgid_plural and not entry.obsolete:
            forms = [entry.msgstr_plural.get(n, "") for n in range(3)]
            assert all(forms), f"{entry.msgid!r} lacks a plural form"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_placeholder_is_kept(language):
    import re

    placeholder = re.compile(r"%\(\w+\)[sd]|%[sd]")
    for entry in catalogue(language).translated_entries():
        wanted = sorted(placeholder.findall(entry.msgid))
        if entry.msgid_plural:
            for text in entry.msgstr_plural.values():
                found = set(placeholder.findall(text))
                assert found <= set(placeholder.findall(entry.msgid_plural)) | set(wanted)
        else:
            assert sorted(placeholder.findall(entry.msgstr)) == wanted, entry.msgid


@pytest.mark.parametrize(
    ("language", "month", "decimal"),
    [("en", "Nov.", "."), ("lt", "lapkričio", ","), ("lv", "novembris", ","),
     ("ru", "ноября", ",")],
)  # fmt: skip
def test_dates_and_numbers_follow_the_language(language, month, decimal):
    day = datetime.date(2026, 11, 25)
    with translation.override(language):
        assert month in formats.date_format(day, "DATE_FORMAT")
        assert formats.number_format(2.5, 1) == f"2{decimal}5"
