"""Email drafts as `.eml` files: `X-Unsent: 1` makes Outlook (and most mail programs) open them as
a new message ready to send, with the attachments in place.
"""

from __future__ import annotations

import email.policy
import mimetypes
from collections.abc import Iterable
from email.message import EmailMessage
from email.utils import formatdate, make_msgid


def make_draft(*, to: Iterable[str] = (), subject: str, body: str, html: str | None = None,
               attachments: Iterable[tuple[str, bytes]] = (), cc: Iterable[str] = ()) -> bytes:
    """The bytes of an unsent message; `attachments` are (file name, content) pairs."""
    message = EmailMessage(policy=email.policy.default.clone(linesep="\r\n"))
    recipients = [a for a in to if a]
    if recipients:
        message["To"] = ", ".join(recipients)
    copies = [a for a in cc if a]
    if copies:
        message["Cc"] = ", ".join(copies)
    message["Subject"] = " ".join(subject.split())
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain="scrdesk.invalid")
    message["X-Unsent"] = "1"
    message.set_content(body)
    if html:
        message.add_alternative(html, subtype="html")
    for name, data in attachments:
        mime = mimetypes.guess_type(name)[0] or "application/octet-stream"
        maintype, subtype = mime.split("/", 1)
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return message.as_bytes()
