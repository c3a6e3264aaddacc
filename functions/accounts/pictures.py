"""Profile pictures (R8): real images only (checked by content), capped, re-encoded (EXIF and GPS
stripped), stored in S3 under server-made keys and served by short-lived presigned URLs."""
from __future__ import annotations

import io
import warnings

from functions.core.errors import TooLarge, UnsupportedMedia
from functions.core.files import JPEG, FileStore

FORMATS = {"JPEG", "PNG", "WEBP"}
MAX_SIDE = 512
MAX_PIXELS = 40_000_000


def reencode(data: bytes, max_bytes: int) -> bytes:
    """The image as a fresh JPEG without metadata, at most MAX_SIDE pixels a side."""
    from PIL import Image, UnidentifiedImageError  # lazy: only an upload pays for Pillow (M1)

    if len(data) > max_bytes:
        raise TooLarge(field="picture", max_mb=max_bytes // (1024 * 1024))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=sorted(FORMATS))  # no other decoder sees it
            if image.format not in FORMATS or image.width * image.height > MAX_PIXELS:
                raise UnsupportedMedia(field="picture")
            image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError,
            Image.DecompressionBombWarning) as exc:
        raise UnsupportedMedia(field="picture") from exc
    image = image.convert("RGB")
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85, optimize=True)
    return out.getvalue()


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
