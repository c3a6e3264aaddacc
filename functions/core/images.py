"""Pictures that people send (a profile picture, a photo attached to a message): decoded by content,
capped in size and pixels, re-encoded without metadata (EXIF, GPS) and turned upright first.
Pillow is imported on first use: only an upload pays for it (M1)."""
from __future__ import annotations

import io
import warnings

from functions.core.errors import TooLarge, UnsupportedMedia

MAX_PIXELS = 40_000_000


def reencode(data: bytes, max_bytes: int, field: str, formats: frozenset[str], max_side: int,
             keep_format: bool = False, quality: int = 85, any_file: bool = False) -> tuple[bytes, str]:
    """(the new bytes, their content type): a JPEG, or a PNG stays PNG when `keep_format`. A file that is
    not one of `formats` is refused as not a picture (`unsupported_media`) or, where other files are
    allowed too (`any_file`), as a file type that is not allowed (`unsupported_file`)."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    if len(data) > max_bytes:
        raise TooLarge(field=field, max_mb=max(1, max_bytes // (1024 * 1024)))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=sorted(formats))  # no other decoder sees it
            if image.format not in formats or image.width * image.height > MAX_PIXELS:
                raise UnsupportedMedia("unsupported_file" if any_file else "unsupported_media", field=field)
            image.load()
            source = image.format
            image = ImageOps.exif_transpose(image)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError,
            Image.DecompressionBombWarning) as exc:
        raise UnsupportedMedia("unsupported_file" if any_file else "unsupported_media", field=field) from exc
    png = keep_format and source == "PNG"
    image.thumbnail((max_side, max_side))
    out = io.BytesIO()
    if png:
        image.save(out, format="PNG", optimize=True)
        return out.getvalue(), "image/png"
    image.convert("RGB").save(out, format="JPEG", quality=quality, optimize=True)
    return out.getvalue(), "image/jpeg"
