"""Profile pictures (R8): real images only (checked by content), capped, re-encoded (EXIF and GPS
stripped), stored in S3 under server-made keys and served by short-lived presigned URLs."""
from __future__ import annotations

import io
import secrets
import warnings

from functions.core.errors import TooLarge, UnsupportedMedia

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
    def __init__(self, s3_factory, bucket: str, url_seconds: int) -> None:
        self._factory, self._bucket, self._seconds = s3_factory, bucket, url_seconds

    @property
    def _s3(self):
        return self._factory()  # created on first use: a cold start makes no client it does not need

    def put(self, patient_id: str, jpeg: bytes) -> str:
        key = f"pictures/{patient_id}/{secrets.token_hex(12)}.jpg"
        self._s3.put_object(Bucket=self._bucket, Key=key, Body=jpeg, ContentType="image/jpeg",
                            CacheControl="private, max-age=300")
        return key

    def delete(self, key: str) -> None:
        self._s3.delete_object(Bucket=self._bucket, Key=key)

    def url(self, key: str | None) -> str | None:
        if not key:
            return None
        return self._s3.generate_presigned_url("get_object", Params={"Bucket": self._bucket, "Key": key},
                                               ExpiresIn=self._seconds)
