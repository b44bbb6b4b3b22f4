"""Optional password protection of a finished PDF: AES-256 via pypdf, after ReportLab.

The password is never stored or logged; the window shows it once so it can be sent to the
recipient by another channel (a phone call, a separate message).
"""

from __future__ import annotations

import io
import secrets

from scrdesk.domain.errors import InvalidValue

MIN_LENGTH = 12
# No look-alike characters (0/O, 1/l/I): the password is read out over the phone.
_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def check_password(password: str) -> None:
    if password is None or len(password) < MIN_LENGTH:
        raise InvalidValue("Password", None, f"must be at least {MIN_LENGTH} characters long")
    if password != password.strip():
        raise InvalidValue("Password", None, "must not start or end with a space")


def generate_password(groups: int = 4, size: int = 4) -> str:
    """Four groups of four characters (`kT7q-9wPz-…`): 19 characters, easy to read out."""
    return "-".join("".join(secrets.choice(_ALPHABET) for _ in range(size)) for _ in range(groups))


def encrypt_pdf(pdf: bytes, password: str) -> bytes:
    """The same PDF, opened only with `password` (AES-256); metadata kept."""
    from pypdf import PdfReader, PdfWriter

    check_password(password)
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    # A random owner password: nobody can lift restrictions without the user password either.
    writer.encrypt(user_password=password, owner_password=secrets.token_urlsafe(24), algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
