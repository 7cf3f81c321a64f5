"""The access export as files a person can receive: JSON (machine-readable, GDPR Art. 20
style) and a ZIP with a readable German HTML page, the same JSON and a short note."""

from __future__ import annotations

import io
import json
import zipfile

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from ankommen.privacy.services import SubjectExport


def as_json(export: SubjectExport) -> str:
    return json.dumps(export.as_dict(), ensure_ascii=False, indent=2)


def as_html(export: SubjectExport) -> str:
    with translation.override("de"):
        return render_to_string("privacy/export.html", {"export": export})


def file_stem(export: SubjectExport) -> str:
    return f"auskunft-person-{export.person_id}-{export.created_at:%Y-%m-%d}"


def as_zip(export: SubjectExport) -> bytes:
    with translation.override("de"):
        readme = _(
            "Auskunft nach Art. 15 DSGVO\n\n"
            "auskunft.html – zum Lesen im Browser\n"
            "auskunft.json – dieselben Angaben maschinenlesbar (UTF-8, JSON)\n"
        )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        stem = file_stem(export)
        archive.writestr(f"{stem}/LIESMICH.txt", readme)
        archive.writestr(f"{stem}/auskunft.html", as_html(export))
        archive.writestr(f"{stem}/auskunft.json", as_json(export))
    return buffer.getvalue()
