"""What a programme document may be: checked by its content, not only by its name."""

import zipfile
from pathlib import Path

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024

# Office formats are zip archives; each holds a part no other kind has.
ZIP_MARKERS = {
    ".docx": "word/document.xml",
    ".xlsx": "xl/workbook.xml",
    ".odt": "mimetype",
}
CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".odt": "application/vnd.oasis.opendocument.text",
}


def _content_matches(file, suffix: str) -> bool:
    file.seek(0)
    if suffix == ".pdf":
        matches = file.read(5) == b"%PDF-"
    else:
        try:
            with zipfile.ZipFile(file) as archive:
                names = set(archive.namelist())
                matches = ZIP_MARKERS[suffix] in names
                if matches and suffix == ".odt":
                    matches = archive.read("mimetype").strip() == CONTENT_TYPES[".odt"].encode()
        except zipfile.BadZipFile:
            matches = False
    file.seek(0)
    return matches


def validate_document(file) -> None:
    suffix = Path(file.name).suffix.lower()
    if suffix not in CONTENT_TYPES:
        raise ValidationError(_("Upload a PDF, DOCX, XLSX or ODT file."), code="type")
    if file.size > MAX_DOCUMENT_BYTES:
        raise ValidationError(
            _("The file is %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(file.size), "limit": filesizeformat(MAX_DOCUMENT_BYTES)},
            code="size",
        )
    if not _content_matches(file, suffix):
        raise ValidationError(
            _("The file's content is not a %(kind)s document. Upload the file itself, unchanged.")
            % {"kind": suffix[1:].upper()},
            code="content",
        )
