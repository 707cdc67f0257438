"""`compilemessages` that also works where GNU gettext is not installed.

With `msgfmt` on the PATH this is Django's own command (which checks the catalogues, as CI
does). Without it - a fresh machine with nothing but Python, running `make run` - the project's
catalogues are compiled with polib, so the site still speaks every language.
"""

import shutil
from pathlib import Path

import polib
from django.conf import settings
from django.core.management.commands import compilemessages


class Command(compilemessages.Command):
    def handle(self, **options):
        if shutil.which(self.program):
            return super().handle(**options)
        self.stderr.write(f"{self.program} not found: compiling with polib, without checks.")
        for locale_dir in settings.LOCALE_PATHS:
            for po_path in sorted(Path(locale_dir).glob("*/LC_MESSAGES/*.po")):
                polib.pofile(str(po_path)).save_as_mofile(str(po_path.with_suffix(".mo")))
                if options["verbosity"] > 0:
                    self.stdout.write(f"compiled {po_path}")
