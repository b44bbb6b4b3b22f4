"""Documents leaving the app: store -> papers -> documents -> file, through the anonymisation gate.

Two steps, so the window can preview before anything leaves: `render_*` makes a document in
memory (a `Rendered`), `release()` checks it for restricted identifiers, encrypts it when asked,
writes it and records a `document_log` row (audited). The `export_*` functions do both, for the
command line. A hit blocks the release with `IdentifiersFound` (saying where) unless an override
reason is given; the reason is kept in the log.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from scrdesk.documents.anonymise import (
    Identifier,
    IdentifierHit,
    IdentifiersFound,
    Matcher,
    find_identifiers,
)
from scrdesk.documents.style import Letterhead, date_text
from scrdesk.domain.dates import reporting_year_label
from scrdesk.domain.errors import InvalidValue, ScrdeskError
from scrdesk.store import document_log, papers

log = logging.getLogger(__name__)


@dataclass
class ExportResult:
    path: Path
    pages: int
    warnings: list[str]
    identifier_hits: list[IdentifierHit]
    encrypted: bool


@dataclass
class Rendered:
    """A document made in memory, not yet checked or written."""

    kind: str
    subject: str  # the ref or period it is about, for the log; never a child's name
    suffix: str  # ".pdf", ".xlsx", ".json", ".eml"
    data: bytes
    pages: int
    warnings: list[str]
    texts: list[tuple[str, str]]
    suggested_name: str
    title: str = ""
    recipient: str = ""  # the agency lead's address where the document is for one agency
    extra: dict = field(default_factory=dict)

    @property
    def is_pdf(self) -> bool:
        return self.suffix == ".pdf"


# -- the letterhead ----------------------------------------------------------------------------

def _logo(store, warnings: list[str]) -> bytes | None:
    attachment_id = store.settings().logo_attachment_id
    if not attachment_id:
        return None
    row = store.row("SELECT file_name, mime_type, content FROM attachments WHERE id = ?", [attachment_id])
    if row is None:
        warnings.append("The board logo set in Settings is no longer in the file; the default logo was used.")
        return None
    data = bytes(row["content"])
    if not (data.startswith(b"\x89PNG") or data.startswith(b"\xff\xd8")):
        warnings.append(f"The board logo ({row['file_name']}) is not a PNG or JPEG picture; the default "
                        "logo was used. Choose a PNG or JPEG logo in Settings.")
        return None
    return data


def letterhead(store, kind: str, kind_label: str, title: str, warnings: list[str]) -> Letterhead:
    settings = store.settings()
    board = settings.board_name
    return Letterhead(board_name=board, kind_label=kind_label, title=title, subject=f"{kind_label} – {board}",
                      marking=settings.marking_for(kind), produced=date.today(), logo=_logo(store, warnings))


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-") or "document"


# -- rendering ---------------------------------------------------------------------------------

def render_briefing(store, ref_or_briefing_id: int | str) -> Rendered:
    from scrdesk.documents.briefing import build_briefing
    from scrdesk.domain.templates import load_template

    data = papers.briefing_data(store, ref_or_briefing_id)
    name = load_template(data["template"]).name
    warnings: list[str] = []
    title = f"{data['ref']} {name}"
    built = build_briefing(data, letterhead(store, "briefing", name, title, warnings))
    return Rendered("briefing", data["ref"], ".pdf", built.pdf, built.pages, warnings + built.warnings,
                    built.texts, f"{_slug(data['ref'])}-{_slug(name)}.pdf", title,
                    extra={"briefing_id": data["briefing_id"]})


def render_paper(store, on: date | None = None, kind: str = "scr") -> Rendered:
    from scrdesk.documents.paper import build_paper

    data = papers.paper_data(store, on, kind)
    warnings: list[str] = []
    title = f"Briefing paper {date_text(data['on'])} ({data['meeting_label']})"
    built = build_paper(data, letterhead(store, "paper", "Meeting briefing paper", title, warnings))
    return Rendered("paper", f"{kind} paper {data['on']}", ".pdf", built.pdf, built.pages,
                    warnings + built.warnings, built.texts, f"briefing-paper-{kind}-{data['on']}.pdf", title)


def render_actions(store, fmt: str = "pdf") -> Rendered:
    data = papers.action_plan_data(store)
    warnings: list[str] = []
    title = f"Composite action plan {date_text(data['as_at'])}"
    head = letterhead(store, "actions", "Composite action plan", title, warnings)
    name = f"action-plan-{data['as_at']}"
    if fmt == "xlsx":
        from scrdesk.documents.xlsx import action_plan_xlsx

        book = action_plan_xlsx(data, head)
        return Rendered("actions", f"action plan {data['as_at']}", ".xlsx", book.data, 0, warnings + book.warnings,
                        book.texts, f"{name}.xlsx", title)
    from scrdesk.documents.action_plan import build_action_plan

    built = build_action_plan(data, head)
    return Rendered("actions", f"action plan {data['as_at']}", ".pdf", built.pdf, built.pages,
                    warnings + built.warnings, built.texts, f"{name}.pdf", title)


def _json_texts(value, where: str = "report") -> list[tuple[str, str]]:
    if isinstance(value, str):
        return [(where, value)]
    if isinstance(value, dict):
        return [t for k, v in value.items() for t in _json_texts(v, f"{where}.{k}")]
    if isinstance(value, list):
        return [t for i, v in enumerate(value) for t in _json_texts(v, f"{where}[{i}]")]
    return []


def render_annual(store, year: int, fmt: str = "pdf") -> Rendered:
    from scrdesk.store.annual import annual_report

    report = annual_report(store, year)
    label = report.get("label") or reporting_year_label(year)
    warnings: list[str] = []
    title = f"Annual report tables {label}"
    subject = f"annual report {label}"
    name = f"annual-report-{label}"
    if fmt == "json":
        data = json.dumps(report, indent=2, ensure_ascii=False).encode("utf-8")
        return Rendered("annual", subject, ".json", data, 0, [], _json_texts(report), f"{name}.json", title)
    head = letterhead(store, "annual", "Annual report tables", title, warnings)
    if fmt == "xlsx":
        from scrdesk.documents.xlsx import annual_xlsx

        book = annual_xlsx(report, head)
        return Rendered("annual", subject, ".xlsx", book.data, 0, warnings + book.warnings, book.texts,
                        f"{name}.xlsx", title)
    from scrdesk.documents.annual import build_annual

    built = build_annual(report, head)
    return Rendered("annual", subject, ".pdf", built.pdf, built.pages, warnings + built.warnings, built.texts,
                    f"{name}.pdf", title)


def render_timeline(store, review_id: int | None = None) -> Rendered:
    from scrdesk.documents.timeline import build_timeline

    data = papers.timeline_data(store, review_id)
    warnings: list[str] = []
    if review_id is not None and data["reviews"]:
        ref = data["reviews"][0]["ref"]
        title, subject, name = f"{ref} timeline", ref, f"timeline-{_slug(ref)}.pdf"
    else:
        title = f"Timeline of live reviews {date_text(data['today'])}"
        subject, name = f"live reviews {data['today']}", f"timeline-live-reviews-{data['today']}.pdf"
    built = build_timeline(data, letterhead(store, "timeline", "Review timeline", title, warnings))
    return Rendered("timeline", subject, ".pdf", built.pdf, built.pages, warnings + built.warnings, built.texts,
                    name, title)


def render_yearly_report(store, year: int, fmt: str = "pdf") -> Rendered:
    from scrdesk.store.yearly_report import yearly_report_data

    data = yearly_report_data(store, year)
    warnings: list[str] = []
    title = f"Yearly report {data['label']}"
    subject, name = f"yearly report {data['label']}", f"yearly-report-{data['label']}"
    head = letterhead(store, "yearly_report", "Case review sub group yearly report", title, warnings)
    if fmt == "docx":
        from scrdesk.documents.yearly_report_docx import build_yearly_report_docx

        doc = build_yearly_report_docx(data, head)
        return Rendered("yearly_report", subject, ".docx", doc.data, 0, warnings + doc.warnings, doc.texts,
                        f"{name}.docx", title)
    from scrdesk.documents.yearly_report import build_yearly_report

    built = build_yearly_report(data, head)
    return Rendered("yearly_report", subject, ".pdf", built.pdf, built.pages, warnings + built.warnings, built.texts,
                    f"{name}.pdf", title)


def render_evidence_pack(store, start: date | None = None, end: date | None = None) -> Rendered:
    from scrdesk.documents.evidence_pack import build_evidence_pack
    from scrdesk.store.evidence_pack import evidence_pack_data

    data = evidence_pack_data(store, start, end)
    p = data["period"]
    warnings: list[str] = []
    title = f"Evidence pack {date_text(p['start'])} to {date_text(p['end'])}"
    built = build_evidence_pack(data, letterhead(store, "evidence_pack", "Inspection evidence pack", title, warnings))
    return Rendered("evidence_pack", f"evidence pack {p['start']} to {p['end']}", ".pdf", built.pdf, built.pages,
                    warnings + built.warnings, built.texts, f"evidence-pack-{p['start']}-to-{p['end']}.pdf", title)


def render_themes(store, fmt: str = "pdf") -> Rendered:
    from scrdesk.store.themes_report import themes_report_data

    data = themes_report_data(store)
    warnings: list[str] = []
    title = f"Themes across reviews {date_text(data['as_at'])}"
    subject, name = f"themes {data['as_at']}", f"themes-{data['as_at']}"
    head = letterhead(store, "themes", "Themes across reviews", title, warnings)
    if fmt == "xlsx":
        from scrdesk.documents.themes_report import themes_xlsx

        book = themes_xlsx(data, head)
        return Rendered("themes", subject, ".xlsx", book.data, 0, warnings + book.warnings, book.texts,
                        f"{name}.xlsx", title)
    from scrdesk.documents.themes_report import build_themes_report

    built = build_themes_report(data, head)
    return Rendered("themes", subject, ".pdf", built.pdf, built.pages, warnings + built.warnings, built.texts,
                    f"{name}.pdf", title)


def render_chair_report(store, start: date | None = None, end: date | None = None, fmt: str = "pdf") -> Rendered:
    """The sub group chair's report to the Executive Support Group for a period (.pdf, or .docx for
    the chair to edit before sending)."""
    from scrdesk.store.governance_reports import chair_report_data

    data = chair_report_data(store, start, end)
    p = data["period"]
    warnings: list[str] = []
    title = f"Chair's report {date_text(p['start'])} to {date_text(p['end'])}"
    subject, name = f"chair's report {p['start']} to {p['end']}", f"chair-report-{p['start']}-to-{p['end']}"
    head = letterhead(store, "chair_report", "Sub group chair's report", title, warnings)
    if fmt == "docx":
        from scrdesk.documents.chair_report_docx import build_chair_report_docx

        doc = build_chair_report_docx(data, head)
        return Rendered("chair_report", subject, ".docx", doc.data, 0, warnings + doc.warnings, doc.texts,
                        f"{name}.docx", title)
    from scrdesk.documents.chair_report import build_chair_report

    built = build_chair_report(data, head)
    return Rendered("chair_report", subject, ".pdf", built.pdf, built.pages, warnings + built.warnings, built.texts,
                    f"{name}.pdf", title)


def render_health_check(store, on: date | str | None = None) -> Rendered:
    """The sub group's health check held on `on` (default: the latest), with the trend against
    the check before it."""
    from scrdesk.documents.health_check import build_health_check
    from scrdesk.store.governance_reports import health_check_data

    data = health_check_data(store, on)
    warnings: list[str] = []
    title = f"Health check {date_text(data['date'])}"
    built = build_health_check(data, letterhead(store, "health_check", "Sub group health check", title, warnings))
    return Rendered("health_check", f"health check {data['date']}", ".pdf", built.pdf, built.pages,
                    warnings + built.warnings, built.texts, f"health-check-{data['date']}.pdf", title)


def render_publication_pack(store, review_id: int) -> Rendered:
    """A review's publication pack: its checklist, dates and copies, who did what."""
    from scrdesk.documents.publication_pack import build_publication_pack
    from scrdesk.store.publication_pack import publication_pack_data

    data = publication_pack_data(store, review_id)
    warnings: list[str] = []
    title = f"{data['ref']} publication pack"
    built = build_publication_pack(data, letterhead(store, "publication_pack", "Publication pack", title, warnings))
    return Rendered("publication_pack", data["ref"], ".pdf", built.pdf, built.pages, warnings + built.warnings,
                    built.texts, f"publication-pack-{_slug(data['ref'])}.pdf", title)


def render_rapid_review_report(store, referral_id: int) -> Rendered:
    """A notified case's rapid review report under the national panel's template headings."""
    from scrdesk.documents.rapid_review_report import build_rapid_review_report
    from scrdesk.store.rapid_review_report import rapid_review_report_data

    data = rapid_review_report_data(store, referral_id)
    warnings: list[str] = []
    title = f"{data['ref']} rapid review report"
    built = build_rapid_review_report(data, letterhead(store, "rapid_review_report", "Rapid review report", title,
                                                      warnings))
    return Rendered("rapid_review_report", data["ref"], ".pdf", built.pdf, built.pages, warnings + built.warnings,
                    built.texts, f"rapid-review-{_slug(data['ref'])}.pdf", title)


def render(store, kind: str, **params) -> Rendered:
    """One entry point for the window: kind is briefing, paper, actions, annual, timeline,
    yearly_report, evidence_pack, themes, chair_report, health_check, publication_pack or
    rapid_review_report."""
    if kind == "briefing":
        return render_briefing(store, params["ref"])
    if kind == "paper":
        return render_paper(store, params.get("on"), params.get("paper_kind", "scr"))
    if kind == "actions":
        return render_actions(store, params.get("fmt", "pdf"))
    if kind == "annual":
        return render_annual(store, int(params["year"]), params.get("fmt", "pdf"))
    if kind == "timeline":
        return render_timeline(store, params.get("review_id"))
    if kind == "yearly_report":
        return render_yearly_report(store, int(params["year"]), params.get("fmt", "pdf"))
    if kind == "evidence_pack":
        return render_evidence_pack(store, params.get("start"), params.get("end"))
    if kind == "themes":
        return render_themes(store, params.get("fmt", "pdf"))
    if kind == "chair_report":
        return render_chair_report(store, params.get("start"), params.get("end"), params.get("fmt", "pdf"))
    if kind == "health_check":
        return render_health_check(store, params.get("on"))
    if kind == "publication_pack":
        return render_publication_pack(store, int(params["review_id"]))
    if kind == "rapid_review_report":
        return render_rapid_review_report(store, int(params["referral_id"]))
    raise InvalidValue("Document", kind, "must be briefing, paper, actions, annual, timeline, yearly_report, evidence_pack, "
                       "themes, chair_report, health_check, publication_pack or rapid_review_report")


# -- the gate, and release -----------------------------------------------------------------------

def restricted_identifiers(store) -> list[Identifier]:
    """Only the anonymisation gate reads these."""
    return [Identifier(r["kind"], r["value"]) for r in store.rows("SELECT kind, value FROM restricted_identifiers")]


_matchers: dict[str, tuple[tuple, Matcher]] = {}


def identifier_matcher(store) -> Matcher:
    """The prepared identifiers of this file, rebuilt only when the table has changed since."""
    stamp = tuple(store.row(
        "SELECT count(*) AS n, coalesce(max(id), 0) AS top, coalesce(max(updated_at), '') AS changed "
        "FROM restricted_identifiers").values())
    key = str(store.path)
    cached = _matchers.get(key)
    if cached is None or cached[0] != stamp:
        cached = (stamp, Matcher(restricted_identifiers(store)))
        _matchers[key] = cached
    return cached[1]


def path_texts(out: str | Path) -> list[tuple[str, str]]:
    """The output path as the gate reads it: the file name and every folder above it (a folder
    named after a child shows in every listing, recent-files menu and email attachment path)."""
    full = Path(out).expanduser().absolute()
    return [("the file name", full.name), ("the folder it is written to", str(full.parent))]


def check_identifiers(store, rendered: Rendered, out: str | Path | None = None) -> list[IdentifierHit]:
    texts = list(rendered.texts)
    if out:
        texts += path_texts(out)
    return find_identifiers(texts, identifier_matcher(store))


def output_path(out: str | Path) -> Path:
    """`out` as a file to write; a folder (or a path ending in a separator) is refused by name."""
    text = os.fspath(out)
    path = Path(text).expanduser()
    if not text.strip() or path.is_dir() or text.endswith((os.sep, "/")):
        raise InvalidValue("Output file", text, "is a folder; give the path of the file to write, e.g. "
                           f"{path / 'document.pdf'}")
    return path


def _put_in_place(store, out: Path, data: bytes, record=None) -> None:
    """Write `data` to `out` so that a failure leaves whatever was at `out` untouched.

    The bytes go to a temporary file in the same folder; then, in one transaction, `record()`
    writes the document-log row and the temporary file replaces `out`. A failure anywhere
    removes only the temporary file (and rolls the row back); the old file stays as it was.
    """
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".scrdesk-", suffix=".part", dir=out.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.ExitStack() as stack:
            if record is not None and not store.readonly:
                stack.enter_context(store.transaction())
            if record is not None:
                record()
            try:
                os.replace(tmp, out)
            except OSError as error:
                # Named by the file asked for, never by the temporary one.
                raise ScrdeskError(f"{out} could not be written ({error.strerror or error}); "
                                   "nothing was changed there.") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def gate(store, rendered: Rendered, out: str | Path | None, override_reason: str | None) -> list[IdentifierHit]:
    """The hits, after checking an override is allowed; raises IdentifiersFound when blocked.

    An override needs a reason (a blank one is none), and a writable file to record it in: the
    queue a read-only copy leaves is for ordinary exports, not for releasing identifiers.
    """
    hits = check_identifiers(store, rendered, out)
    reason = (override_reason or "").strip()
    if hits and not reason:
        raise IdentifiersFound(hits)
    if hits and store.readonly:
        raise ScrdeskError("The check found restricted identifiers, and an override must be recorded in the "
                           "document log, but the data file is read-only. Fix the text, or export from a copy "
                           "you can write to.")
    return hits


def log_release(store, rendered: Rendered, file_name: str, data: bytes, *, encrypted: bool,
                hits: list[IdentifierHit], override_reason: str | None, warnings: list[str]) -> None:
    """Record the release: in `document_log`, or queued beside a read-only data file."""
    queued = document_log.record(store, {
        "kind": rendered.kind,
        "subject": rendered.subject,
        "file_name": file_name,
        "sha256": hashlib.sha256(data).hexdigest(),
        "pages": rendered.pages or None,
        "encrypted": int(encrypted),
        "identifier_hits": len(hits),
        "override_reason": ((override_reason or "").strip() or None) if hits else None,
        "produced_by": store.user,
    })
    if queued:
        warnings.append("The data file is read-only, so this export was queued for the document log; the "
                        "next copy of scrdesk that opens the file for writing records it.")


def flush_pending_log(store) -> None:
    """Record what read-only copies released before anything new is released (writable stores).

    A queue that cannot be read now (a sync program holding it) stays where it is for the next
    export or the next open; it does not stop this export, which is recorded on its own.
    """
    if store.readonly:
        return
    try:
        document_log.flush_pending(store)
    except OSError as error:
        log.warning("the queued document-log rows were left for later: %s", error)


def release(store, rendered: Rendered, out: str | Path, *, password: str | None = None,
            override_reason: str | None = None) -> ExportResult:
    """Check, (encrypt,) write and log one rendered document; a failure leaves `out` as it was."""
    out = output_path(out)
    flush_pending_log(store)
    hits = gate(store, rendered, out, override_reason)
    data = rendered.data
    if password:
        if not rendered.is_pdf:
            raise InvalidValue("Password", None, f"can protect a PDF only, not a {rendered.suffix} file")
        from scrdesk.documents.protect import encrypt_pdf

        data = encrypt_pdf(data, password)
    warnings = list(rendered.warnings)
    _put_in_place(store, out, data, lambda: log_release(
        store, rendered, out.name, data, encrypted=bool(password), hits=hits,
        override_reason=override_reason, warnings=warnings))
    return ExportResult(out, rendered.pages, warnings, hits, bool(password))


def record_printing(store, rendered: Rendered, printer_name: str, *,
                    override_reason: str | None = None) -> list[IdentifierHit]:
    """Gate and log a document sent to a printer (it leaves the app on paper, not as a file)."""
    flush_pending_log(store)
    hits = gate(store, rendered, None, override_reason)
    log_release(store, rendered, f"printed on {printer_name or 'a printer'}", rendered.data, encrypted=False,
                hits=hits, override_reason=override_reason, warnings=[])
    return hits


def _format_from(out: Path, allowed: tuple[str, ...], what: str) -> str:
    out = output_path(out)
    fmt = out.suffix.lower().lstrip(".")
    if fmt not in allowed:
        raise InvalidValue("Output file", str(out), f"the {what} can be written as {', '.join('.' + a for a in allowed)}")
    return fmt


# -- the export_* functions the command line calls -------------------------------------------------

def export_briefing(store, ref_or_briefing_id: int | str, out: str | Path, *, password: str | None = None,
                    override_reason: str | None = None) -> ExportResult:
    _format_from(Path(out), ("pdf",), "briefing")
    return release(store, render_briefing(store, ref_or_briefing_id), out, password=password,
                   override_reason=override_reason)


def export_paper(store, out: str | Path, *, on: date | str | None = None, kind: str = "scr",
                 password: str | None = None, override_reason: str | None = None) -> ExportResult:
    _format_from(Path(out), ("pdf",), "meeting briefing paper")
    if isinstance(on, str):
        from scrdesk.domain.dates import parse_date

        on = parse_date(on, "Meeting date")
    return release(store, render_paper(store, on, kind), out, password=password, override_reason=override_reason)


def export_actions(store, out: str | Path, *, password: str | None = None,
                   override_reason: str | None = None) -> ExportResult:
    fmt = _format_from(Path(out), ("pdf", "xlsx"), "action plan")
    return release(store, render_actions(store, fmt), out, password=password, override_reason=override_reason)


def export_annual(store, year: int, out: str | Path, *, password: str | None = None,
                  override_reason: str | None = None) -> ExportResult:
    fmt = _format_from(Path(out), ("pdf", "xlsx", "json"), "annual report")
    return release(store, render_annual(store, year, fmt), out, password=password, override_reason=override_reason)


def export_timeline(store, review_id: int | None, out: str | Path, *, password: str | None = None,
                    override_reason: str | None = None) -> ExportResult:
    _format_from(Path(out), ("pdf",), "timeline")
    return release(store, render_timeline(store, review_id), out, password=password,
                   override_reason=override_reason)


def export_yearly_report(store, year: int, out: str | Path, *, password: str | None = None,
                         override_reason: str | None = None) -> ExportResult:
    fmt = _format_from(Path(out), ("docx", "pdf"), "yearly report")
    return release(store, render_yearly_report(store, year, fmt), out, password=password,
                   override_reason=override_reason)


def export_evidence_pack(store, out: str | Path, *, start: date | None = None, end: date | None = None,
                         password: str | None = None, override_reason: str | None = None) -> ExportResult:
    _format_from(Path(out), ("pdf",), "evidence pack")
    return release(store, render_evidence_pack(store, start, end), out, password=password,
                   override_reason=override_reason)


def export_themes(store, out: str | Path, *, password: str | None = None,
                  override_reason: str | None = None) -> ExportResult:
    fmt = _format_from(Path(out), ("pdf", "xlsx"), "themes report")
    return release(store, render_themes(store, fmt), out, password=password, override_reason=override_reason)


def export_chair_report(store, out: str | Path, *, start: date | None = None, end: date | None = None,
                        password: str | None = None, override_reason: str | None = None) -> ExportResult:
    fmt = _format_from(Path(out), ("pdf", "docx"), "chair's report")
    return release(store, render_chair_report(store, start, end, fmt), out, password=password,
                   override_reason=override_reason)


def export_health_check(store, out: str | Path, *, on: date | None = None, password: str | None = None,
                        override_reason: str | None = None) -> ExportResult:
    _format_from(Path(out), ("pdf",), "health check")
    return release(store, render_health_check(store, on), out, password=password, override_reason=override_reason)


def export_publication_pack(store, review_id: int, out: str | Path, *, password: str | None = None,
                            override_reason: str | None = None) -> ExportResult:
    _format_from(Path(out), ("pdf",), "publication pack")
    return release(store, render_publication_pack(store, review_id), out, password=password,
                   override_reason=override_reason)


def export_rapid_review_report(store, referral_id: int, out: str | Path, *, password: str | None = None,
                               override_reason: str | None = None) -> ExportResult:
    _format_from(Path(out), ("pdf",), "rapid review report")
    return release(store, render_rapid_review_report(store, referral_id), out, password=password,
                   override_reason=override_reason)


# -- email -----------------------------------------------------------------------------------------

def email_document(store, rendered: Rendered, folder: str | Path, *, to: str | None = None,
                   password: str | None = None, override_reason: str | None = None) -> tuple[Path, ExportResult]:
    """Release the document into `folder` and write an unsent `.eml` draft with it attached."""
    from scrdesk.documents.email_draft import make_draft

    folder = Path(folder)
    result = release(store, rendered, folder / rendered.suggested_name, password=password,
                     override_reason=override_reason)
    board = store.settings().board_name
    marking = store.settings().marking_for(rendered.kind)
    body = (f"Please find attached: {rendered.title}.\n\n"
            + ("The document is password protected; the password will follow separately.\n\n" if password else "")
            + f"With thanks,\n{board} business office\n")
    draft = make_draft(to=[to if to is not None else rendered.recipient], subject=f"{marking}: {rendered.title}",
                       body=f"{marking}\n\n{body}", attachments=[(result.path.name, result.path.read_bytes())])
    eml = folder / (Path(rendered.suggested_name).stem + ".eml")
    _put_in_place(store, eml, draft)
    return eml, result


def chaser_text(item: dict, board: str, marking: str) -> tuple[str, str]:
    """(subject, plain-text body) of one agency's chaser."""
    as_at = date_text(item["as_at"])
    lines = [marking, "", f"Dear {item['lead_name'] or 'colleague'},", "",
             f"The {board} composite action plan shows the following for {item['agency']} as at {as_at}.", ""]

    def action_lines(title: str, actions: list[dict]) -> None:
        if not actions:
            return
        lines.append(f"{title} ({len(actions)})")
        for a in actions:
            rec = f", recommendation {a['recommendation_number']}" if a["recommendation_number"] else ""
            lines.append(f"- {a['ref']}{rec}: {a['text']}")
            lead = f"Lead officer: {a['lead_officer']}. " if a["lead_officer"] else ""
            lines.append(f"  {lead}Target {date_text(a['effective_target'])}. {a['rag']['reason']}.")
        lines.append("")

    action_lines("Overdue actions", item["overdue"])
    action_lines(f"Actions due in the next {item['due_soon_days']} days", item["due_soon"])
    if item["evidence"]:
        lines.append(f"Briefings: feedback and evidence of dissemination still needed ({len(item['evidence'])})")
        for e in item["evidence"]:
            due = f", feedback due {date_text(e['feedback_due_date'])}" if e["feedback_due_date"] else ""
            late = " (overdue)" if e["late"] else ""
            lines.append(f"- {e['ref']} {e['briefing']}: sent {date_text(e['sent_date'])}{due}{late}; "
                         f"still needed: {e['missing']}.")
        lines.append("")
    lines += ["Please send an update on each, with evidence where an action is complete, before the next "
              "sub group meeting.", "", "With thanks,", f"{board} business office"]
    subject = f"{marking}: case review actions and learning for {item['short_name']} (as at {as_at})"
    return subject, "\n".join(lines) + "\n"


def export_chasers(store, out_folder: str | Path, *, agency_id: int | None = None,
                   override_reason: str | None = None) -> list[Path]:
    """One `.eml` draft per agency with something to chase; nothing is written if any is blocked."""
    from scrdesk.documents.email_draft import make_draft

    folder = Path(out_folder)
    settings = store.settings()
    board = settings.board_name
    marking = settings.marking_for("chaser")
    items = papers.chaser_data(store, agency_id, settings.today())
    drafts = []
    for item in items:
        subject, body = chaser_text(item, board, marking)
        name = f"chaser-{_slug(item['short_name'])}-{item['as_at']}.eml"
        texts = [(f"the chaser to {item['agency']}, subject", subject), (f"the chaser to {item['agency']}", body)]
        data = make_draft(to=[item["lead_email"]], subject=subject, body=body)
        drafts.append(Rendered("chaser", item["short_name"], ".eml", data, 0, [], texts, name, subject,
                               recipient=item["lead_email"]))
    for rendered in drafts:  # check them all first: a blocked chaser stops the batch before any is written
        gate(store, rendered, folder / rendered.suggested_name, override_reason)
    return [release(store, r, folder / r.suggested_name, override_reason=override_reason).path for r in drafts]


# -- subject access ----------------------------------------------------------------------------------

def export_subject_access(store, referral_id: int, out: str | Path, *, password: str | None = None,
                          override_reason: str | None = None) -> ExportResult:
    """Write the subject-access export of one case (.pdf or .json) and record it in the document log.

    The deliberate exception to the anonymisation gate: this document is the subject's own data, so
    the case's own restricted identifiers are printed and do not block it; the log row counts them
    and names the exception. Everything else is still checked: the file name and the PDF metadata
    (seen in folder listings, email previews and document properties) against every identifier on
    file, and the body against every *other* case's identifiers, since a shared review may name
    another child (that blocks unless `override_reason` is given, as in `release()`).
    """
    from scrdesk.store import retention

    out = output_path(out)
    fmt = _format_from(out, ("pdf", "json"), "subject access export")
    if password and fmt != "pdf":
        raise InvalidValue("Password", None, "can protect a PDF only, not a .json file")
    if store.readonly:
        raise ScrdeskError("A subject access export releases a child's identifiers, so it must be recorded in "
                           "the document log, but the data file is read-only. Export from a copy you can write to.")
    flush_pending_log(store)
    data = retention.subject_access_data(store, referral_id)
    ref = str(data["referral"]["ref"])
    title = f"Subject access export {ref}"
    warnings: list[str] = []
    if fmt == "pdf":
        from scrdesk.documents.subject_access import build_subject_access

        head = letterhead(store, "subject_access", "Subject access export", title, warnings)
        built = build_subject_access(data, head)
        rendered = Rendered("subject_access", ref, ".pdf", built.pdf, built.pages, warnings + built.warnings,
                            built.texts, out.name, title)
        outside = path_texts(out) + [("the PDF title", head.title), ("the PDF subject", head.subject)]
    else:
        rendered = Rendered("subject_access", ref, ".json", retention.subject_access_json(data), 0, [],
                            _json_texts(data), out.name, title)
        outside = path_texts(out)

    named = find_identifiers(outside, identifier_matcher(store))
    if named:  # no override: a name on the outside of the file is never needed
        raise ScrdeskError("A subject access export must not carry a restricted identifier outside the document "
                           f"({'; '.join(h.describe() for h in named)}). Name the file and its folder by the case "
                           "reference only.")
    own = [Identifier(r["kind"], r["value"]) for r in data["restricted_identifiers"]]
    others = Matcher([i for i in restricted_identifiers(store) if i not in own])
    other_hits = find_identifiers(rendered.texts, others)
    reason = (override_reason or "").strip()
    if other_hits and not reason:
        raise IdentifiersFound(other_hits)
    own_hits = find_identifiers(rendered.texts, Matcher(own))
    exception = "Subject access export: the subject's own restricted identifiers are released on purpose"
    logged_reason = exception + (f"; other identifiers: {reason}" if other_hits else "")

    written = rendered.data
    if password:
        from scrdesk.documents.protect import encrypt_pdf

        written = encrypt_pdf(written, password)
    warnings = list(rendered.warnings)
    _put_in_place(store, out, written, lambda: log_release(
        store, rendered, out.name, written, encrypted=bool(password), hits=own_hits + other_hits,
        override_reason=logged_reason, warnings=warnings))
    if own_hits:
        # Said as it is: these need no override reason, so none is claimed.
        warnings.append(f"The subject's own restricted identifiers are printed on purpose ({len(own_hits)} "
                        "place" + ("s" if len(own_hits) != 1 else "") + "); the document log records them.")
    # Only identifiers released under the override reason count as overridden hits.
    return ExportResult(out, rendered.pages, warnings, other_hits, bool(password))
