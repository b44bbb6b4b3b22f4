"""The command line over the same core as the window (DESIGN.md, "The command line").

With no command it opens the window. Every command reports a person's mistake (a missing file,
a bad row, a read-only data file) in one line on stderr and exits non-zero: 1 when the work could
not be done, 2 when the command itself was mistyped. Never a traceback for a user mistake.
"""

from __future__ import annotations

import argparse
import re
import sqlite3
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from scrdesk import __version__
from scrdesk.domain.errors import ScrdeskError
from scrdesk.store.location import default_db_path

EXIT_FAILED = 1
EXIT_USAGE = 2
# Enough to see what a dry run would do without flooding the terminal for a 10,000-row file.
SHOWN_PER_LIST = 20


class _Parser(argparse.ArgumentParser):
    """A usage mistake in one line on stderr, as the README promises (argparse prints its whole
    usage first); subcommands inherit this class."""

    def error(self, message: str):
        _complain(f"{message} (see '{self.prog} --help')")
        self.exit(EXIT_USAGE)


def build_parser() -> argparse.ArgumentParser:
    # --db is accepted before or after the command ("scrdesk check --db x.db" works too).
    db_option = _Parser(add_help=False)
    db_option.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS,
                           help="the data file (default: $SCRDESK_DB, else scrdesk.db in your user data folder)")
    db_option.add_argument("--take-over", action="store_true", default=argparse.SUPPRESS,
                           help="take over the file from a copy of scrdesk that stopped without closing "
                                "it (no sign of life for 2 minutes)")
    parser = _Parser(prog="scrdesk", parents=[db_option],
                     description="Case review sub group tracker. With no command, opens the window.")
    parser.add_argument("--version", action="version", version=f"scrdesk {__version__}")
    parser.add_argument("--demo", nargs="?", const=True, default=False, metavar="current",
                        help="open the window on a fresh temporary copy of the demo data (the 2016-17 "
                             "reference year; '--demo current' for today's process, as at 30 Sep 2026)")
    parser.add_argument("--self-test", action="store_true",
                        help="check this installation works (demo data, a briefing PDF, the checks, "
                             "the window) in a temporary folder")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    demo = commands.add_parser("demo", parents=[db_option], help="write the demo data file to PATH")
    demo.add_argument("path", metavar="PATH", nargs="?",
                      help="the data file to write (default: the file given with --db)")
    demo.add_argument("--force", action="store_true", help="replace PATH if it exists")
    demo.add_argument("--current", action="store_true",
                      help="a fictional partnership under Working Together 2023, as at 30 Sep 2026, "
                           "instead of the 2016-17 reference year")
    demo.set_defaults(run=_cmd_demo)

    check = commands.add_parser("check", parents=[db_option],
                                help="check integrity, foreign keys, audit chain, schema and data quality")
    check.set_defaults(run=_cmd_check)

    backup = commands.add_parser("backup", parents=[db_option], help="write a verified backup")
    backup.add_argument("--out", metavar="FILE", help="where to write it (default: the backups folder)")
    backup.set_defaults(run=_cmd_backup)

    imports = commands.add_parser("import", parents=[db_option], help="import referrals or actions from .csv or .xlsx")
    imports.add_argument("kind", choices=("referrals", "actions"), help="what the file holds")
    imports.add_argument("file", metavar="FILE", help="the tracker to import (.csv or .xlsx)")
    imports.add_argument("--dry-run", action="store_true", help="show what would change; change nothing")
    imports.set_defaults(run=_cmd_import)

    export = commands.add_parser("export", parents=[db_option], help="write a document")
    documents = export.add_subparsers(dest="document", metavar="DOCUMENT", required=True)
    safety = _Parser(add_help=False)
    safety.add_argument("--password-file", metavar="FILE", help="protect the PDF with the password in FILE")
    safety.add_argument("--override-reason", metavar="TEXT",
                        help="release despite restricted identifiers found in it; the reason is recorded")
    briefing = documents.add_parser("briefing", parents=[db_option, safety], help="a review's briefing (PDF)")
    briefing.add_argument("ref", metavar="REF", help="the review's referral, e.g. Ref053")
    briefing.add_argument("--out", required=True, metavar="F.pdf", help="the PDF to write")
    briefing.set_defaults(run=_cmd_export_briefing)
    paper = documents.add_parser("paper", parents=[db_option, safety], help="the meeting briefing paper (PDF)")
    paper.add_argument("--out", required=True, metavar="F.pdf", help="the PDF to write")
    paper.add_argument("--date", metavar="YYYY-MM-DD", help="the meeting date (default: today)")
    paper.add_argument("--kind", choices=("scr", "qa"), default="scr", help="SCR or QA sub group")
    paper.set_defaults(run=_cmd_export_paper)
    actions = documents.add_parser("actions", parents=[db_option, safety], help="the composite action plan")
    actions.add_argument("--out", required=True, metavar="F.pdf|F.xlsx",
                         help="the file to write; its ending chooses PDF or Excel")
    actions.set_defaults(run=_cmd_export_actions)
    annual = documents.add_parser("annual", parents=[db_option, safety], help="the annual report tables")
    annual.add_argument("--year", required=True, type=_year, metavar="YEAR",
                        help="the year the reporting year starts in (2016 for 2016-17)")
    annual.add_argument("--out", required=True, metavar="F.pdf|F.xlsx|F.json",
                        help="the file to write; its ending chooses PDF, Excel or JSON")
    annual.set_defaults(run=_cmd_export_annual)

    timeline = documents.add_parser("timeline", parents=[db_option, safety],
                                    help="one review's timeline, or a chart of all live reviews (PDF)")
    timeline.add_argument("--review", metavar="REF", help="the review (default: every live review)")
    timeline.add_argument("--out", required=True, metavar="F.pdf", help="the PDF to write")
    timeline.set_defaults(run=_cmd_export_timeline)
    chasers = documents.add_parser("chasers", parents=[db_option],
                                   help="an email draft (.eml) per agency with overdue actions or missing feedback")
    chasers.add_argument("--out", required=True, metavar="FOLDER",
                         help="the folder to write the drafts into")
    chasers.add_argument("--override-reason", metavar="TEXT",
                         help="release despite restricted identifiers found, recording this reason")
    chasers.set_defaults(run=_cmd_export_chasers)

    subject = documents.add_parser("subject-access", parents=[db_option, safety],
                                   help="one case and its whole history, for a subject access request")
    subject.add_argument("ref", metavar="REF", help="the referral")
    subject.add_argument("--out", required=True, metavar="F.pdf|F.json",
                         help="the file to write; its ending chooses PDF or JSON")
    subject.set_defaults(run=_cmd_export_subject_access)

    yearly = documents.add_parser("yearly-report", parents=[db_option, safety],
                                  help="the sub group's yearly report, narrative and figures (Word or PDF)")
    yearly.add_argument("--year", required=True, type=_year, metavar="YEAR",
                        help="the year the reporting year starts in (2016 for 2016-17)")
    yearly.add_argument("--out", required=True, metavar="F.docx|F.pdf",
                        help="the file to write; its ending chooses Word or PDF")
    yearly.set_defaults(run=_cmd_export_yearly_report)
    pack = documents.add_parser("evidence-pack", parents=[db_option, safety],
                                help="the inspection evidence pack (PDF with contents and bookmarks)")
    pack.add_argument("--out", required=True, metavar="F.pdf", help="the PDF to write")
    pack.add_argument("--from", dest="start", metavar="YYYY-MM-DD", type=_iso_date,
                      help="the start of the period (default: three years before its end)")
    pack.add_argument("--to", dest="end", metavar="YYYY-MM-DD", type=_iso_date,
                      help="the end of the period (default: the file's as-at date, else today)")
    pack.set_defaults(run=_cmd_export_evidence_pack)
    themes = documents.add_parser("themes", parents=[db_option, safety],
                                  help="which learning themes recur across reviews (PDF or Excel)")
    themes.add_argument("--out", required=True, metavar="F.pdf|F.xlsx",
                        help="the file to write; its ending chooses PDF or Excel")
    themes.set_defaults(run=_cmd_export_themes)
    chair = documents.add_parser("chair-report", parents=[db_option, safety],
                                 help="the sub group chair's report for a period (PDF, or Word to edit)")
    chair.add_argument("--from", dest="start", metavar="YYYY-MM-DD", type=_iso_date,
                       help="the start of the period (default: the first of the month two months before its end)")
    chair.add_argument("--to", dest="end", metavar="YYYY-MM-DD", type=_iso_date,
                       help="the end of the period (default: the file's as-at date, else today)")
    chair.add_argument("--out", required=True, metavar="F.pdf|F.docx",
                       help="the file to write; its ending chooses PDF or Word")
    chair.set_defaults(run=_cmd_export_chair_report)
    health = documents.add_parser("health-check", parents=[db_option, safety],
                                  help="a sub group health check with the trend against the one before (PDF)")
    health.add_argument("--date", dest="on", metavar="YYYY-MM-DD", type=_iso_date,
                        help="the date the check was held (default: the latest check)")
    health.add_argument("--out", required=True, metavar="F.pdf", help="the PDF to write")
    health.set_defaults(run=_cmd_export_health_check)
    publication_pack = documents.add_parser(
        "publication-pack", parents=[db_option, safety],
        help="a review's publication pack: checklist, dates, copies, who did what (PDF)")
    publication_pack.add_argument("ref", metavar="REF", help="the review's referral, e.g. Ref021")
    publication_pack.add_argument("--out", required=True, metavar="F.pdf", help="the PDF to write")
    publication_pack.set_defaults(run=_cmd_export_publication_pack)
    rapid = documents.add_parser(
        "rapid-review", parents=[db_option, safety],
        help="a notified case's rapid review report under the national panel's template headings (PDF)")
    rapid.add_argument("ref", metavar="REF", help="the notified case's ref, e.g. Ref004")
    rapid.add_argument("--out", required=True, metavar="F.pdf", help="the PDF to write")
    rapid.set_defaults(run=_cmd_export_rapid_review)

    new = commands.add_parser("new", parents=[db_option],
                              help="write an empty data file at PATH (the current framework by default)")
    new.add_argument("path", metavar="PATH", help="the data file to make (it must not exist)")
    new.add_argument("--board", metavar="NAME", help="the partnership's name, shown on every document")
    new.set_defaults(run=_cmd_new)

    clocks = documents.add_parser("clocks", parents=[db_option],
                                  help="every open statutory and local clock (JSON, Excel or calendar)")
    clocks.add_argument("--out", required=True, metavar="F.json|F.xlsx|F.ics",
                        help="the file to write; its ending chooses JSON, Excel or calendar")
    clocks.add_argument("--date", metavar="YYYY-MM-DD", type=_iso_date,
                        help="measure the clocks on this date (default: the file's as-at date, else today)")
    clocks.set_defaults(run=_cmd_export_clocks)

    sample = commands.add_parser("sample", parents=[db_option], help="write synthetic data for load tests")
    sample.add_argument("--size", choices=("small", "large", "xlarge"), default="small",
                        help="how much data: small (a year), large (twenty years, for load tests) or "
                             "xlarge (five times large: a century at the same pace, for the growth figures)")
    sample.add_argument("path", metavar="PATH", nargs="?",
                        help="the new data file to write (default: the file given with --db)")
    sample.set_defaults(run=_cmd_sample)
    return parser


def _year(text: str) -> int:
    try:
        year = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a year; give e.g. 2016 for 2016-17") from None
    if not 1900 <= year <= 2100:
        raise argparse.ArgumentTypeError(f"{year} is out of range; give e.g. 2016 for 2016-17")
    return year


def _iso_date(text: str):
    from scrdesk.domain.dates import parse_date

    try:
        return parse_date(text)
    except (ScrdeskError, ValueError):
        raise argparse.ArgumentTypeError(f"{text!r} is not a date; give e.g. 2026-01-13") from None


# -- helpers ---------------------------------------------------------------------------------

def _db_path(args: argparse.Namespace) -> Path:
    given = getattr(args, "db", None)
    if given is not None and not given.strip():
        # An unset shell variable ("--db $FILE") must not quietly mean the person's own file.
        raise ScrdeskError("--db was given an empty path (is a shell variable unset?); give the "
                           "data file's path, or leave --db out to use your own data file.")
    return Path(given).expanduser() if given is not None else default_db_path()


def _target_path(args: argparse.Namespace, command: str) -> Path:
    """The file a command that writes a new data file writes: PATH, else the --db path."""
    given = getattr(args, "db", None)
    if args.path is None:
        if given is None:
            raise ScrdeskError(f"give the data file to write: scrdesk {command} PATH")
        return _db_path(args)
    path = Path(args.path).expanduser()
    if given is not None and _db_path(args).resolve() != path.resolve():
        raise ScrdeskError(f"{command} was given two files, PATH {path} and --db {given}; give one.")
    return path


def _open(args: argparse.Namespace, *, readonly: bool = False):
    from scrdesk.store.db import Store

    path = _db_path(args)
    if not path.exists():
        # Never made here: a mistyped --db must not leave new folders and an empty file behind.
        folder = "" if path.parent.is_dir() else f" (the folder {path.parent} does not exist either)"
        raise ScrdeskError(f"There is no data file at {path}{folder}; give one with --db PATH "
                           "(or make one with 'scrdesk new PATH' or 'scrdesk demo PATH').")
    return Store.open(path, readonly=readonly, create=False,
                      take_over_stale=getattr(args, "take_over", False))


# Control characters (ANSI escape sequences among them) from a file's data would be obeyed by the
# terminal: moving the cursor, rewriting what was printed, changing its title.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """`text` with control characters shown escaped (\\x1b), never sent raw to the terminal."""
    return _CONTROLS.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), str(text))


def _say(text: str = "") -> None:
    print(printable(text))


def _complain(text: str) -> None:
    print(f"scrdesk: {printable(text)}", file=sys.stderr)


def _password(args: argparse.Namespace) -> str | None:
    if not args.password_file:
        return None
    path = Path(args.password_file)
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except UnicodeDecodeError:
        raise ScrdeskError(f"The password file {path} is not a text file.") from None
    password = lines[0].strip() if lines else ""
    if not password:
        raise ScrdeskError(f"The password file {path} is empty; put the password on its first line.")
    return password


def _exports():
    # The documents layer is heavy (ReportLab); only commands that write documents load it.
    try:
        from scrdesk import exports
    except ImportError as error:
        raise ScrdeskError(f"Documents cannot be written by this build of scrdesk ({error}).") from None
    return exports


def _report_export(result) -> int:
    for warning in result.warnings:
        _say(f"warning: {warning}")
    if result.identifier_hits:
        _say(f"warning: {len(result.identifier_hits)} restricted identifier(s) released with the "
             "override reason recorded")
    pages = result.pages
    extra = f", {pages} page{'s' if pages != 1 else ''}" if pages else ""
    locked = ", password protected" if result.encrypted else ""
    _say(f"Written {result.path}{extra}{locked}.")
    return 0


def _shown(items: Sequence[str]) -> list[str]:
    lines = list(items[:SHOWN_PER_LIST])
    if len(items) > SHOWN_PER_LIST:
        lines.append(f"... and {len(items) - SHOWN_PER_LIST} more")
    return lines


def _describe_change(update) -> str:
    changes = ", ".join(f"{field}: {update.before.get(field)!r} -> {value!r}"
                        for field, value in update.changes.items())
    if update.update_note:
        changes = ", ".join(filter(None, [changes, f"new update note {update.update_note!r}"]))
    return f"row {update.source_row}, {update.key}: {changes}"


# -- commands --------------------------------------------------------------------------------

def _cmd_demo(args: argparse.Namespace) -> int:
    path = _target_path(args, "demo")
    if path.is_dir():
        raise ScrdeskError(f"{path} is a folder; give the path of the data file to write.")
    if path.exists() and not args.force:
        raise ScrdeskError(f"{path} already exists; use --force to replace it with the demo data.")
    if args.current:
        from scrdesk.store.demo_current import write_current_demo

        write_current_demo(path)
        _say(f"Demo data written to {path} (a fictional partnership under Working Together 2023, "
             "as at 30 Sep 2026).")
        return 0
    from scrdesk.store.demo import write_demo

    write_demo(path)
    _say(f"Demo data written to {path} (the NSCB SCR Sub Group as at 30 Jun 2017).")
    return 0


def _cmd_check(args: argparse.Namespace) -> int:
    from scrdesk.store.check import run_checks
    from scrdesk.store.db import StoreError

    try:
        store = _open(args, readonly=True)
    except StoreError as error:
        # A file too damaged to open is itself the finding.
        _say(f"FAILED   opening the file: {error}")
        _complain(f"check failed: {error}")
        return EXIT_FAILED
    try:
        results = run_checks(store)
    finally:
        store.close()
    for result in results:
        mark = "ok" if result.ok else ("FAILED" if result.fatal else "warning")
        _say(f"{mark:<8} {result.name}: {result.detail}")
    failed = [r for r in results if r.fatal and not r.ok]
    if failed:
        _complain("check failed: " + "; ".join(f"{r.name}: {r.detail}" for r in failed))
        return EXIT_FAILED
    return 0


def _cmd_backup(args: argparse.Namespace) -> int:
    try:
        from scrdesk.store.backup import backup_to
    except ImportError as error:
        raise ScrdeskError(f"Backups are not available in this build of scrdesk ({error}).") from None
    store = _open(args, readonly=True)
    try:
        info = backup_to(store, args.out)
    finally:
        store.close()
    counts = info.counts_text()
    _say(f"Backup written to {info.path} and verified" + (f" ({counts})." if counts else "."))
    return 0


def _cmd_import(args: argparse.Namespace) -> int:
    from scrdesk.store.importer import apply_import, plan_import, read_table

    raw = read_table(args.file)
    store = _open(args, readonly=args.dry_run)
    try:
        plan = plan_import(store, args.kind, raw)
        for note in plan.notes:
            _say(f"note: {note}")
        if plan.ignored_headings:
            _say("Columns not imported: " + ", ".join(plan.ignored_headings))
        _say(plan.summary())
        if plan.errors:
            for error in plan.errors:
                print(f"  {error.describe()}", file=sys.stderr)
            _complain(f"nothing was imported: {len(plan.errors)} problem"
                      f"{'' if len(plan.errors) == 1 else 's'} in {raw.file_name} (listed above)")
            return EXIT_FAILED
        if args.dry_run:
            if plan.inserts:
                _say("Would add:")
                for line in _shown([f"row {i.source_row}, {i.key}" for i in plan.inserts]):
                    _say(f"  {line}")
            if plan.updates:
                _say("Would change:")
                for line in _shown([_describe_change(u) for u in plan.updates]):
                    _say(f"  {line}")
            _say("Dry run: nothing was changed.")
            return 0
        result = apply_import(store, plan)
    finally:
        store.close()
    _say(f"Imported from {raw.file_name}: {result.inserted} added, {result.updated} changed.")
    return 0


def _run_export(args: argparse.Namespace, call: Callable) -> int:
    exports = _exports()
    password = _password(args)
    store = _open(args)
    try:
        result = call(exports, store, password)
    finally:
        store.close()
    return _report_export(result)


def _cmd_export_briefing(args: argparse.Namespace) -> int:
    return _run_export(args, lambda exports, store, password: exports.export_briefing(
        store, args.ref, args.out, password=password, override_reason=args.override_reason))


def _cmd_export_paper(args: argparse.Namespace) -> int:
    on = None
    if args.date:
        from scrdesk.domain.dates import parse_date

        on = parse_date(args.date, "Meeting date (--date)")
    return _run_export(args, lambda exports, store, password: exports.export_paper(
        store, args.out, on=on, kind=args.kind, password=password, override_reason=args.override_reason))


def _cmd_export_actions(args: argparse.Namespace) -> int:
    return _run_export(args, lambda exports, store, password: exports.export_actions(
        store, args.out, password=password, override_reason=args.override_reason))


def _cmd_export_annual(args: argparse.Namespace) -> int:
    return _run_export(args, lambda exports, store, password: exports.export_annual(
        store, args.year, args.out, password=password, override_reason=args.override_reason))


def _cmd_export_timeline(args: argparse.Namespace) -> int:
    def call(exports, store, password):
        review_id = None
        if args.review:
            review_id = store.scalar(
                "SELECT rv.id FROM reviews rv LEFT JOIN review_referrals rr ON rr.review_id = rv.id "
                "LEFT JOIN referrals r ON r.id = rr.referral_id WHERE rv.title = ? OR r.ref = ? "
                "ORDER BY rv.id LIMIT 1", [args.review, args.review])
            if review_id is None:
                raise ScrdeskError(f"There is no review {args.review!r}.")
        return exports.export_timeline(store, review_id, args.out, password=password,
                                       override_reason=args.override_reason)

    return _run_export(args, call)


def _cmd_export_yearly_report(args: argparse.Namespace) -> int:
    return _run_export(args, lambda exports, store, password: exports.export_yearly_report(
        store, args.year, args.out, password=password, override_reason=args.override_reason))


def _cmd_export_evidence_pack(args: argparse.Namespace) -> int:
    return _run_export(args, lambda exports, store, password: exports.export_evidence_pack(
        store, args.out, start=args.start, end=args.end, password=password, override_reason=args.override_reason))


def _cmd_export_themes(args: argparse.Namespace) -> int:
    return _run_export(args, lambda exports, store, password: exports.export_themes(
        store, args.out, password=password, override_reason=args.override_reason))


def _cmd_export_chair_report(args: argparse.Namespace) -> int:
    return _run_export(args, lambda exports, store, password: exports.export_chair_report(
        store, args.out, start=args.start, end=args.end, password=password, override_reason=args.override_reason))


def _cmd_export_health_check(args: argparse.Namespace) -> int:
    return _run_export(args, lambda exports, store, password: exports.export_health_check(
        store, args.out, on=args.on, password=password, override_reason=args.override_reason))


def _cmd_export_publication_pack(args: argparse.Namespace) -> int:
    def call(exports, store, password):
        from scrdesk.store.publication_pack import find_review

        return exports.export_publication_pack(store, find_review(store, args.ref), args.out, password=password,
                                               override_reason=args.override_reason)

    return _run_export(args, call)


def _cmd_export_rapid_review(args: argparse.Namespace) -> int:
    def call(exports, store, password):
        from scrdesk.store.rapid_review_report import find_notified_referral

        return exports.export_rapid_review_report(store, find_notified_referral(store, args.ref), args.out,
                                                  password=password, override_reason=args.override_reason)

    return _run_export(args, call)


def _cmd_export_chasers(args: argparse.Namespace) -> int:
    exports = _exports()
    store = _open(args)
    try:
        written = exports.export_chasers(store, args.out, override_reason=args.override_reason)
    finally:
        store.close()
    for path in written:
        _say(f"Written {path}")
    _say(f"{len(written)} chaser draft{'s' if len(written) != 1 else ''} written."
         if written else "No agency has anything to chase.")
    return 0


def _cmd_export_subject_access(args: argparse.Namespace) -> int:
    def call(exports, store, password):
        from scrdesk.domain.refs import normalise_ref

        ref = normalise_ref(args.ref, store.settings().ref_prefix)
        referral_id = store.scalar("SELECT id FROM referrals WHERE ref = ?", [ref])
        if referral_id is None:
            raise ScrdeskError(f"There is no referral {ref}.")
        return exports.export_subject_access(store, referral_id, args.out, password=password,
                                             override_reason=args.override_reason)

    return _run_export(args, call)


def _cmd_new(args: argparse.Namespace) -> int:
    from scrdesk.store.db import Store

    path = Path(args.path).expanduser()
    if path.is_dir():
        raise ScrdeskError(f"{path} is a folder; give the path of the data file to write.")
    # An empty (0-byte) file is made a data file only here, where the person asked for a new one.
    empty = path.exists() and path.stat().st_size == 0
    if path.exists() and not empty:
        raise ScrdeskError(f"{path} already exists; a new data file is never written over another.")
    store = Store.open(path, adopt_empty=empty)
    try:
        if args.board and args.board.strip():
            store.set_settings({"board_name": args.board.strip()})
        settings = store.settings()
    finally:
        store.close()
    from scrdesk.domain.profiles import get_profile

    framework = get_profile(settings.default_framework).name
    _say(f"New data file written to {path} for {settings.board_name} ({framework}).")
    return 0


def _cmd_export_clocks(args: argparse.Namespace) -> int:
    from scrdesk.documents.clocks import WRITERS
    from scrdesk.store.clocks import open_clocks

    out = Path(args.out).expanduser()
    writer = WRITERS.get(out.suffix.lower())
    if writer is None:
        raise ScrdeskError(f"--out {out.name}: give a file ending {', '.join(WRITERS)}.")
    store = _open(args, readonly=True)
    try:
        on = args.date or store.settings().today()
        clocks = open_clocks(store, on)
        board = store.settings().board_name
    finally:
        store.close()
    data = writer(on, clocks, board) if out.suffix.lower() == ".ics" else writer(on, clocks)
    out.write_bytes(data)
    _say(f"Written {out}: {len(clocks)} open clock{'s' if len(clocks) != 1 else ''} as at {on.isoformat()}.")
    return 0


def _cmd_sample(args: argparse.Namespace) -> int:
    try:
        from scrdesk.store.sample import write_sample
    except ImportError as error:
        raise ScrdeskError(f"Sample data is not available in this build of scrdesk ({error}).") from None
    path = _target_path(args, "sample")
    counts = write_sample(path, args.size)
    shown = ", ".join(f"{n} {table.replace('_', ' ')}" for table, n in counts.items()
                      if table in ("referrals", "reviews", "actions", "briefings"))
    _say(f"Sample data ({args.size}) written to {path}: {shown}.")
    return 0


# -- entry -----------------------------------------------------------------------------------

def _os_message(error: OSError) -> str:
    what = error.strerror or str(error)
    return f"{what}: {error.filename}" if error.filename else what


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        # A Windows console piped to a file is cp1252; a Polish or Welsh name must not crash it.
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    parser = build_parser()
    try:
        args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    except SystemExit as done:  # --help, --version, or a mistyped command
        return done.code if isinstance(done.code, int) else EXIT_USAGE
    if args.self_test:
        if args.command is not None or args.demo:
            _complain("--self-test runs on its own, without a command or --demo")
            return EXIT_USAGE
        from scrdesk.selftest import run_self_test

        return run_self_test()
    db = getattr(args, "db", None)
    if db is not None and not db.strip():
        _complain("--db was given an empty path (is a shell variable unset?); give the data "
                  "file's path, or leave --db out to use your own data file")
        return EXIT_USAGE
    if args.demo not in (True, False, "current"):
        # "--demo check": the optional value took the command's name.
        _complain(f"--demo takes no value but 'current' (got {args.demo!r}); --demo opens the window on the "
                  "demo data; to write the demo file use 'scrdesk demo PATH'")
        return EXIT_USAGE
    if args.command is None:
        from scrdesk.app import run_gui

        return run_gui(db=db, demo=args.demo)
    if args.demo:
        _complain("--demo opens the window on the demo data; to write the demo file use 'scrdesk demo PATH'")
        return EXIT_USAGE
    try:
        return args.run(args)
    except ScrdeskError as error:  # InvalidValue, StoreError and ReadOnlyError among them
        _complain(str(error))
    except OSError as error:
        _complain(_os_message(error))
    except sqlite3.DatabaseError as error:
        _complain(f"the data file could not be used: {error}")
    except KeyboardInterrupt:
        _complain("stopped")
        return 130
    return EXIT_FAILED
