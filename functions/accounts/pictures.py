"""Profile pictures (R8): real images only (checked by content), capped, re-encoded (EXIF and GPS
stripped), stored in S3 under server-made keys and served by short-lived presigned URLs."""
from __future__ import annotations

from functions.core import images
from functions.core.files import JPEG, FileStore

FORMATS = frozenset({"JPEG", "PNG", "WEBP"})
MAX_SIDE = 512


def reencode(data: bytes, max_bytes: int) -> bytes:
    """The image as a fresh JPEG without metadata, at most MAX_SIDE pixels a side."""
    jpeg, _ = images.reencode(data, max_bytes, "picture", FORMATS, MAX_SIDE)
    return jpeg


class PictureStore:
    """Pictures in the core file store, under pictures/<patient id>/."""

    def __init__(self, files: FileStore) -> None:
        self._files = files

    def put(self, patient_id: str, jpeg: bytes) -> str:
        return self._files.put(f"pictures/{patient_id}", jpeg, JPEG)

    def delete(self, key: str) -> None:
        self._files.delete(key)

    def url(self, key: str | None) -> str | None:
        return self._files.url(key) if key else None
