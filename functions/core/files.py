"""Files patients and clinics send (pictures, attachments): checked by content, stored in S3
under server-made keys, handed out only through short-lived presigned URLs after the caller's own
access check, with a safe Content-Disposition filename. The rules are pure; `S3FileStore` is the
store, `FileStore` its port (tests use a fake)."""
from __future__ import annotations

import re
import secrets
import unicodedata
from typing import Protocol
from urllib.parse import quote

from functions.core.errors import Invalid, TooLarge, UnsupportedMedia

JPEG, PNG, PDF, WEBP = "image/jpeg", "image/png", "application/pdf", "image/webp"
_MAGIC = ((JPEG, b"\xff\xd8\xff"), (PNG, b"\x89PNG\r\n\x1a\n"), (PDF, b"%PDF-"))
SUFFIX = {JPEG: "jpg", PNG: "png", PDF: "pdf", WEBP: "webp"}
_PREFIX = re.compile(r"[a-z]+(/[A-Za-z0-9_-]{1,64}){1,3}")


def sniff(data: bytes) -> str | None:
    """The content type by the file's first bytes (never by its name or the client's header)."""
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return WEBP
    return next((kind for kind, magic in _MAGIC if data.startswith(magic)), None)


def check(data: bytes, allowed: frozenset[str], max_bytes: int, field: str) -> str:
    """The file's content type if it is one of `allowed` and not over `max_bytes`; else a clear 4xx."""
    if not data:
        raise Invalid("required", field=field)
    if len(data) > max_bytes:
        raise TooLarge(field=field, max_mb=max(1, max_bytes // (1024 * 1024)))
    kind = sniff(data)
    if kind not in allowed:
        raise UnsupportedMedia("unsupported_file", field=field)
    return kind


def safe_filename(name: str | None, kind: str) -> str:
    """A Content-Disposition value that no filename can break out of: an ASCII fallback (letters,
    digits, dot, dash, underscore) and the UTF-8 name per RFC 6266 / 5987; the suffix always
    matches the content."""
    base = (name or "vedlegg").replace("\\", "/").rsplit("/", 1)[-1]
    stem = unicodedata.normalize("NFC", base.rsplit(".", 1)[0] if "." in base[1:] else base)
    stem = "".join(c for c in stem if unicodedata.category(c)[0] in "LNZ" or c in "-_")[:80].strip() or "vedlegg"
    ascii_stem = re.sub(r"[^A-Za-z0-9._-]+", "_", unicodedata.normalize("NFKD", stem).encode("ascii", "ignore")
                        .decode()).strip("._") or "vedlegg"
    suffix = SUFFIX[kind]
    return f"attachment; filename=\"{ascii_stem}.{suffix}\"; filename*=UTF-8''{quote(f'{stem}.{suffix}')}"


class FileStore(Protocol):
    def put(self, prefix: str, data: bytes, kind: str) -> str: ...

    def get(self, key: str) -> bytes: ...

    def delete(self, key: str) -> None: ...

    def url(self, key: str, disposition: str | None = None) -> str: ...


class S3FileStore:
    def __init__(self, s3_factory, bucket: str, url_seconds: int) -> None:
        self._factory, self._bucket, self._seconds = s3_factory, bucket, url_seconds

    @property
    def _s3(self):
        return self._factory()  # created on first use: a cold start makes no client it does not need

    def put(self, prefix: str, data: bytes, kind: str) -> str:
        """Stores under `<prefix>/<random>.<suffix>`; the prefix is ours (e.g. pictures/<patient id>)."""
        if not _PREFIX.fullmatch(prefix):
            raise ValueError("a file prefix is made by the server")
        key = f"{prefix}/{secrets.token_hex(12)}.{SUFFIX[kind]}"
        self._s3.put_object(Bucket=self._bucket, Key=key, Body=data, ContentType=kind,
                            CacheControl="private, max-age=300")
        return key

    def get(self, key: str) -> bytes:
        return self._s3.get_object(Bucket=self._bucket, Key=key)["Body"].read()

    def delete(self, key: str) -> None:
        self._s3.delete_object(Bucket=self._bucket, Key=key)

    def url(self, key: str, disposition: str | None = None) -> str:
        params = {"Bucket": self._bucket, "Key": key}
        if disposition:
            params["ResponseContentDisposition"] = disposition
        return self._s3.generate_presigned_url("get_object", Params=params, ExpiresIn=self._seconds)
