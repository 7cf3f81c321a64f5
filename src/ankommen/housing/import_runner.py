"""Runs a confirmed upload's import and reports its progress, so the page can show a live
status (htmx polls :func:`progress_of`).

By default the import runs in a background thread of the web process, started once the
request that confirmed it has committed; progress goes to the cache (configure a shared cache,
e.g. the database cache, when several processes serve requests). With
``ANKOMMEN_IMPORT_IN_BACKGROUND = False`` (tests, single-threaded servers) it runs within the
request. The upload's content is deleted when the import ends.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from ankommen.housing.models import AllocationUpload
from ankommen.housing.services_allocations import ImportResult, Status, import_allocations

logger = logging.getLogger(__name__)
PROGRESS_SECONDS = 3600


def _key(upload_id: int) -> str:
    return f"allocation-upload-progress:{upload_id}"


def progress_of(upload: AllocationUpload) -> dict[str, Any]:
    return cache.get(_key(upload.pk)) or {"phase": "queued", "done": 0, "total": 0}


def run_upload(upload_id: int) -> None:
    with scopes_disabled():
        upload = AllocationUpload.objects.select_related("county", "uploaded_by").get(pk=upload_id)

        def progress(phase: str, done: int, total: int) -> None:
            cache.set(
                _key(upload_id), {"phase": phase, "done": done, "total": total}, PROGRESS_SECONDS
            )

        state = AllocationUpload.State.DONE
        try:
            result = import_allocations(
                actor=upload.uploaded_by,
                county=upload.county,
                file_name=upload.file_name,
                content=bytes(upload.content),
                progress=progress,
            )
        except PermissionDenied:
            state = AllocationUpload.State.FAILED
            result = ImportResult(
                status=Status.INVALID,
                file_name=upload.file_name,
                message=_("Dafür fehlt Ihnen die Berechtigung; es wurde nichts importiert."),
            )
        except Exception:  # the page must learn that it ended; details go to the log
            logger.exception("allocation import %s failed", upload_id)
            state = AllocationUpload.State.FAILED
            result = ImportResult(
                status=Status.INVALID,
                file_name=upload.file_name,
                message=_("Der Import ist fehlgeschlagen; es wurde nichts geändert."),
            )
        upload.result = result.as_json()
        upload.state = state
        upload.content = b""
        upload.finished_at = timezone.now()
        upload.save(update_fields=["result", "state", "content", "finished_at"])
        cache.delete(_key(upload_id))


def _run_in_thread(upload_id: int) -> None:
    try:
        run_upload(upload_id)
    finally:
        connection.close()


def start_import(upload: AllocationUpload) -> None:
    """Mark the upload running and start its import (see the module docstring)."""
    upload.state = AllocationUpload.State.RUNNING
    upload.save(update_fields=["state"])
    cache.set(_key(upload.pk), {"phase": "queued", "done": 0, "total": 0}, PROGRESS_SECONDS)
    if settings.ANKOMMEN_IMPORT_IN_BACKGROUND:
        upload_id = upload.pk
        transaction.on_commit(
            lambda: threading.Thread(
                target=_run_in_thread, args=(upload_id,), name=f"import-{upload_id}", daemon=True
            ).start()
        )
    else:
        run_upload(upload.pk)
        upload.refresh_from_db()
