"""Files sent with a message: uploaded one at a time before the send that names them (a Lambda
takes about 6 MB a request, a dialog up to 12 MB), checked by content (JPEG, PNG, PDF), pictures
re-encoded without metadata, stored under a server-made key, and handed out only after the
caller's own access check through a short-lived presigned URL with a safe filename."""
from __future__ import annotations

import secrets
import unicodedata
from urllib.parse import unquote

from functions.core import files, images
from functions.core.clock import Clock
from functions.core.errors import Invalid, NotFound
from functions.core.validate import printable
from functions.dialogs.model import FILE_MAX_BYTES, Attachment, Message, check_files
from functions.dialogs.ports import Dialogs, Files
from functions.dialogs.repository import Upload

ALLOWED = frozenset({files.JPEG, files.PNG, files.PDF})
PICTURES = frozenset({"JPEG", "PNG"})
MAX_SIDE = 4096


def display_name(raw: str | None, kind: str) -> str:
    """The name the sender gave (URL-encoded in X-File-Name), as plain text, or a neutral one."""
    name = unquote(raw or "", errors="replace").replace("\\", "/").rsplit("/", 1)[-1]
    name = unicodedata.normalize("NFC", name).strip()[:100]
    if not name or not printable(name):
        name = f"vedlegg.{files.SUFFIX[kind]}"
    return name


class Attachments:
    def __init__(self, repo: Dialogs, store: Files, clock: Clock) -> None:
        self._repo, self._store, self._clock = repo, store, clock

    def upload(self, owner: str, folder: str, data: bytes, raw_name: str | None) -> Upload:
        kind = files.check(data, ALLOWED, FILE_MAX_BYTES, "attachments")
        if kind != files.PDF:
            data, kind = images.reencode(data, FILE_MAX_BYTES, "attachments", PICTURES, MAX_SIDE,
                                         keep_format=True, quality=90, any_file=True)
        key = self._store.put(f"attachments/{folder}", data, kind)
        upload_id = secrets.token_urlsafe(12)
        upload = Upload(upload_id, owner, Attachment(upload_id, display_name(raw_name, kind), kind, len(data), key))
        self._repo.put_upload(upload, self._clock.now())
        return upload

    def take(self, owner: str, ids: object, already: int) -> list[Upload]:
        """The sender's own, unused uploads named by a send, within the dialog's limits."""
        if ids is None:
            return []
        if not isinstance(ids, list) or not all(isinstance(i, str) and 1 <= len(i) <= 64 for i in ids):
            raise Invalid("invalid", field="attachments")
        if len(set(ids)) != len(ids):
            raise Invalid("invalid", field="attachments")
        check_files(already, [0] * len(ids))
        found = self._repo.uploads(ids)
        uploads = [found.get(i) for i in ids]
        if any(u is None or u.owner != owner or u.used_by for u in uploads):
            raise Invalid("unknown_attachment", field="attachments")
        check_files(already, [u.attachment.size for u in uploads])
        return uploads

    def link(self, messages: tuple[Message, ...], attachment_id: str) -> str:
        """A presigned URL of one attachment of these messages (the caller checked the dialog)."""
        for message in messages:
            for a in message.attachments:
                if a.attachment_id == attachment_id:
                    return self._store.url(a.key, files.safe_filename(a.name, a.kind))
        raise NotFound()
