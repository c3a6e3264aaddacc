"""Files by content, never by name (core.files): what the pictures and the attachments rely on."""
from __future__ import annotations

import pytest

from functions.core import files
from functions.core.errors import Invalid, TooLarge, UnsupportedMedia

JPEG_BYTES = b"\xff\xd8\xff\xe0" + b"0" * 100
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"0" * 100
PDF_BYTES = b"%PDF-1.7\n" + b"0" * 100
ATTACHMENTS = frozenset({files.JPEG, files.PNG, files.PDF})


def test_content_decides_the_type_not_the_name():
    assert files.sniff(JPEG_BYTES) == files.JPEG and files.sniff(PNG_BYTES) == files.PNG
    assert files.sniff(PDF_BYTES) == files.PDF and files.sniff(b"RIFF\0\0\0\0WEBPVP8 ") == files.WEBP
    assert files.sniff(b"<html><script>") is None and files.sniff(b"") is None


def test_check_refuses_empty_too_large_and_other_kinds_at_the_field():
    assert files.check(PDF_BYTES, ATTACHMENTS, 1 << 20, "file") == files.PDF
    with pytest.raises(Invalid) as empty:
        files.check(b"", ATTACHMENTS, 1 << 20, "file")
    assert (empty.value.code, empty.value.field) == ("required", "file")
    with pytest.raises(TooLarge) as large:
        files.check(PDF_BYTES + b"0" * (3 << 20), ATTACHMENTS, 3 << 20, "file")
    assert large.value.params == {"max_mb": 3}
    with pytest.raises(UnsupportedMedia) as fake:
        files.check(b"GIF89a" + b"0" * 10, ATTACHMENTS, 1 << 20, "file")
    assert (fake.value.code, fake.value.field) == ("unsupported_file", "file")


@pytest.mark.parametrize(("name", "ascii_part"), [
    ("Resept Ibux.pdf", 'filename="Resept_Ibux.pdf"'),
    ('evil"; filename="x.exe', 'filename="evil_filenamex.pdf"'),
    ("../../etc/passwd", 'filename="passwd.pdf"'),
    ("bilde\r\nSet-Cookie: a=b.png", 'filename="bildeSet-Cookie_ab.pdf"'),
    ("Åse Øvergård.pdf", 'filename="Ase_vergard.pdf"'),
    (None, 'filename="vedlegg.pdf"'),
])
def test_a_download_name_can_never_break_out_of_its_header(name, ascii_part):
    value = files.safe_filename(name, files.PDF)
    assert ascii_part in value
    assert "\r" not in value and "\n" not in value and value.count('"') == 2
    assert value.endswith(".pdf")


def test_the_utf8_name_keeps_norwegian_letters():
    assert "filename*=UTF-8''%C3%85se%20%C3%98vergard.pdf" in files.safe_filename("Åse Øvergard.pdf", files.PDF)
