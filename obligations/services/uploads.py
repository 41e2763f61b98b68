"""Uploaded files as the system keeps them (issue 14, 等保 8.1.4 恶意代码防范/数据完整性).

- Stored under a random name (`evidence/2026/12/<uuid4 hex>.pdf`): the name a person gave
  the file (Chinese, spaces, "../", a path of their own machine) never reaches the storage
  or a URL; it is kept in the row (`Evidence.original_name`, `DocumentUpload.file_name`)
  and given back as the download's file name.
- A zip-based upload (.docx, .xlsx) is checked by `importers.zipcheck` before it is stored
  or parsed, so a zip bomb is refused with the Chinese message and nothing is written.
"""

from __future__ import annotations

import re
import uuid

from django.core.exceptions import ValidationError

from obligations.importers.errors import DocumentError
from obligations.importers.zipcheck import check_archive, is_zip

_EXTENSION_RE = re.compile(r"[a-z0-9]{1,8}")


def stored_name(extension: str) -> str:
    """A random file name with the given extension ("bin" when it is not a plain one);
    the field's upload_to adds the year/month folder."""
    extension = (extension or "").lower().lstrip(".")
    if not _EXTENSION_RE.fullmatch(extension):
        extension = "bin"
    return f"{uuid.uuid4().hex}.{extension}"


def extension_of(name: str) -> str:
    return name.rsplit(".", 1)[-1] if "." in name else ""


def check_zip_upload(data: bytes, *, name: str) -> None:
    """ValidationError with zipcheck's message when a zip upload would cost too much to read;
    anything that is not a zip passes (its own checks come elsewhere)."""
    if not is_zip(data):
        return
    try:
        check_archive(data, source_name=f"“{name}”")
    except DocumentError as error:
        raise ValidationError(str(error)) from error
