"""What importing referrals and actions share: field specs, the plan, cell converters and the
row-by-row planner. Each kind's own fields and planner are in `import_referrals` and
`import_actions`; `importer` ties them together. Nothing here knows about Qt.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date

from scrdesk.domain import limits, values
from scrdesk.domain.ages import parse_age
from scrdesk.domain.dates import parse_date
from scrdesk.domain.errors import InvalidValue
from scrdesk.domain.profiles import decision_code_from_text
from scrdesk.store.db import Store
from scrdesk.store.tracker_files import RawTable, blank

Progress = Callable[[int, int], None]
_PROGRESS_EVERY = 500


@dataclass(frozen=True)
class FieldSpec:
    """A target field: its label, whether a file must have it, and the headings that mean it.

    `fallback` headings are taken only when no other field claims them first ("Recommendation"
    is the decision in a tracker without a "Decision" column, and the recommendation otherwise).
    """

    label: str
    required: bool
    spellings: tuple[str, ...]
    fallback: tuple[str, ...] = ()


def normalise_heading(text: object) -> str:
    """`Date_Received`, `date received` and `Date-received:` all become `datereceived`."""
    return "".join(ch for ch in str(text or "").casefold() if ch.isalnum())


# -- checking every row ----------------------------------------------------------------------

@dataclass
class PlannedInsert:
    source_row: int
    key: str
    values: dict
    update_note: str | None = None
    identifiers: list[dict] = field(default_factory=list)  # restricted: {kind, value}


@dataclass
class PlannedUpdate:
    source_row: int
    key: str
    row_id: int
    changes: dict
    before: dict
    update_note: str | None = None
    identifiers: list[dict] = field(default_factory=list)  # restricted, not yet held: {kind, value}


@dataclass
class ImportPlan:
    kind: str
    file_name: str
    mapping: dict[str, int]
    inserts: list[PlannedInsert] = field(default_factory=list)
    updates: list[PlannedUpdate] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    errors: list[InvalidValue] = field(default_factory=list)
    ignored_headings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    rows_read: int = 0
    restricted: int = 0  # identifying cells kept as restricted identifiers, never printed

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        noun = "referral" if self.kind == "referrals" else "action"

        def count(n: int) -> str:
            return f"{n} {noun}{'' if n == 1 else 's'}"

        text = (f"{self.file_name}: {self.rows_read} rows read; {count(len(self.inserts))} to add, "
                f"{count(len(self.updates))} to change, {len(self.unchanged)} unchanged")
        if self.restricted:
            text += (f"; {self.restricted} identifier{'' if self.restricted == 1 else 's'} (names, dates of "
                     "birth, case numbers…) kept as restricted, never printed")
        if self.errors:
            text += f"; {len(self.errors)} problem{'' if len(self.errors) == 1 else 's'}"
        return text


@dataclass(frozen=True)
class ImportResult:
    inserted: int
    updated: int


class Cached:
    """Remembers what each distinct cell value turned into (or the error it gave): a tracker
    repeats the same decisions, agencies and dates thousands of times."""

    def __init__(self, convert: Callable[[object], object]):
        self.convert = convert
        self.seen: dict[object, tuple[object, InvalidValue | None]] = {}

    def __call__(self, cell: object):
        key = (type(cell), cell)
        try:
            found = self.seen[key]
        except KeyError:
            try:
                found = (self.convert(cell), None)
            except InvalidValue as error:
                found = (None, error)
            except TypeError:  # an unhashable cell is never cached, just converted
                return self.convert(cell)
            self.seen[key] = found
        error = found[1]
        if error is not None:
            raise InvalidValue(error.field, error.value, error.message)
        return found[0]


def as_text(cell: object) -> str | None:
    if blank(cell):
        return None
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)  # Excel gives whole numbers as floats: "1.0" is recommendation 1
    if isinstance(cell, date):
        return cell.isoformat()[:10]
    return str(cell).strip()


def date_converter(label: str):
    def convert(cell: object) -> str | None:
        if isinstance(cell, int | float) and not isinstance(cell, bool):
            raise InvalidValue(label, cell, "is a number, not a date; use dd/mm/yyyy, e.g. 31/03/2017")
        found = parse_date(cell, label)
        return found.isoformat() if found else None
    return Cached(convert)


def value_converter(value_list: Mapping[str, str], label: str):
    return Cached(lambda cell: None if blank(cell) else values.code_from_text(value_list, as_text(cell), label))


def decision_converter(label: str):
    def convert(cell: object) -> str | None:
        if blank(cell):
            return None
        try:
            return decision_code_from_text(as_text(cell))
        except InvalidValue as error:
            raise InvalidValue(label, cell, error.message) from None
    return Cached(convert)


def age_converter(label: str):
    def convert(cell: object) -> dict | None:
        age = parse_age(as_text(cell) if isinstance(cell, str) else cell, label)
        if age is None:
            return None
        columns = age.to_columns()
        columns["age_various"] = int(bool(columns["age_various"]))
        return columns
    return Cached(convert)


class Agencies:
    def __init__(self, store: Store, label_for: Callable[[str], str]):
        self.by_text: dict[str, int] = {}
        self.names: list[str] = []
        for row in store.rows("SELECT id, name, short_name FROM agencies ORDER BY name"):
            self.names.append(row["name"])
            for text in (row["name"], row["short_name"]):
                if text:
                    self.by_text.setdefault(values.normalise_text(text), row["id"])
        self.label_for = label_for

    def converter(self, field_name: str):
        label = self.label_for(field_name)

        def convert(cell: object) -> int | None:
            if blank(cell):
                return None
            found = self.by_text.get(values.normalise_text(as_text(cell)))
            if found is None:
                known = ", ".join(self.names[:12]) + (", ..." if len(self.names) > 12 else "")
                hint = f" (known: {known})" if self.names else " (there are no agencies yet)"
                raise InvalidValue(label, cell, "is not an agency in this file; add it under "
                                   f"Agencies first, or use its name or short name{hint}")
            return found
        return Cached(convert)


def tick(progress: Progress | None, done: int, total: int) -> None:
    if progress is not None and (done % _PROGRESS_EVERY == 0 or done == total):
        progress(done, total)


def same(old: object, new: object) -> bool:
    if old is None or new is None:
        return old is new
    return str(old) == str(new)


class Planner:
    kind = ""

    def __init__(self, store: Store, raw: RawTable, mapping: dict[str, int], plan: ImportPlan):
        self.store = store
        self.raw = raw
        self.plan = plan
        self.settings = store.settings()
        specs = self.fields
        # Messages name the column as the person's own spreadsheet heads it.
        self.labels = {name: raw.headings[column] or specs[name].label for name, column in mapping.items()}
        self.columns = list(mapping.items())

    def run(self, progress: Progress | None) -> None:
        steps = [(name, column, self.converters[name]) for name, column in self.columns]
        total = len(self.raw.rows)
        for done, (row, number) in enumerate(zip(self.raw.rows, self.raw.source_rows, strict=True), 1):
            got, errors = {}, []
            width = len(row)
            for name, column, convert in steps:
                cell = row[column] if column < width else None
                if isinstance(cell, str) and len(cell) > limits.NOTE:
                    # Longer than any field takes; never echoed back (it may be a megabyte).
                    errors.append(InvalidValue(self.labels[name], None, f"is too long ({len(cell):,} "
                                               f"characters; no field takes more than {limits.NOTE:,})"))
                    continue
                try:
                    got[name] = convert(cell)
                except InvalidValue as error:
                    errors.append(error)
            try:
                if errors:
                    raise RowErrors(errors)
                self.plan_row(number, got)
            except RowErrors as problems:
                self.plan.errors.extend(e.at_row(number) for e in problems.errors)
            tick(progress, done, total)

    def plan_row(self, number: int, got: dict[str, object]) -> None:
        """Plan one row from its converted cells (every conversion succeeded)."""
        raise NotImplementedError


class RowErrors(Exception):
    def __init__(self, errors: list[InvalidValue]):
        super().__init__(errors)
        self.errors = errors


