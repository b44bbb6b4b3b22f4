"""The board's settings: one typed object with every default in one place.

Settings travel with the data file (a `settings` table of JSON values). The store reads them once
into a `Settings` and hands that out; nothing else restates a default. A stored value of the wrong
type (a damaged or hand-edited file) falls back to the default rather than stop the window opening.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

#: The framework a new English record is stamped with when nothing else decides it.
CURRENT_ENGLISH_FRAMEWORK = "wt2018"


def _markings() -> dict[str, str]:
    # Protective marking per document kind; the published briefing may be OFFICIAL.
    return {
        "briefing": "OFFICIAL",
        "paper": "OFFICIAL-SENSITIVE",
        "actions": "OFFICIAL-SENSITIVE",
        "annual": "OFFICIAL",
        "chaser": "OFFICIAL-SENSITIVE",
        "timeline": "OFFICIAL-SENSITIVE",
        "subject_access": "OFFICIAL-SENSITIVE",
        "chair_report": "OFFICIAL-SENSITIVE",
        "health_check": "OFFICIAL-SENSITIVE",
        "yearly_report": "OFFICIAL",
        "evidence_pack": "OFFICIAL-SENSITIVE",
        "themes": "OFFICIAL",
        "publication_pack": "OFFICIAL-SENSITIVE",
        "rapid_review": "OFFICIAL-SENSITIVE",
    }


def _retention() -> dict[str, int]:
    # Years after a record closes before it is due for a retention review.
    return {"referrals": 25, "reviews": 25, "actions": 10, "attachments": 10}


DEFAULT_MARKING = "OFFICIAL-SENSITIVE"

# The move from the LSCB (Working Together 2015) to the safeguarding partners' arrangements
# (Working Together 2018) happened locally: from 29 Jun 2018, when WT2018 came into force, to
# 29 Sep 2019, the latest date allowed (Working Together: transitional guidance, 2018 — partners
# publish their arrangements by 29 Jun 2019 and have them in operation by 29 Sep 2019; the LSCB
# keeps its functions, SCRs included, until then). Default: the latest date.
ARRANGEMENTS_2018_LATEST = date(2019, 9, 29)
ARRANGEMENTS_2018_EARLIEST = date(2018, 6, 29)

#: Review types no statute times; each is measured against the partnership's own target.
LOCAL_REVIEW_TYPES = ("CASE_MAPPING", "SINGLE_AGENCY", "THEMATIC", "LOCAL_LEARNING")


def _local_targets() -> dict[str, int]:
    # Months from initiation (else agreement) to completion, per non-statutory review type.
    return dict.fromkeys(LOCAL_REVIEW_TYPES, 6)


@dataclass(frozen=True)
class Settings:
    board_name: str = "Safeguarding Children Partnership"
    board_short_name: str = "SCP"
    logo_attachment_id: int | None = None
    marking: dict[str, str] = field(default_factory=_markings)
    default_framework: str = CURRENT_ENGLISH_FRAMEWORK
    jurisdiction: str = "england"
    ref_prefix: str = "Ref"
    ref_width: int = 3
    year_start_month: int = 4
    year_start_day: int = 1
    monitoring_cadence_days: int = 14
    feedback_period_days: int = 28
    action_amber_working_days: int = 10
    review_amber_working_days: int = 20
    due_soon_days: int = 14
    # "Today" for every clock, RAG and paper. Normally None (the real date); the demo data is a
    # snapshot of June 2017, so it sets this and the window says so, rather than showing
    # nine-year-old actions as overdue.
    as_at_date: str | None = None
    retention_years: dict[str, int] = field(default_factory=_retention)
    # The day this partnership's 2018 arrangements began (ISO date); records decided before it keep
    # Working Together 2015 rules and labels. See ARRANGEMENTS_2018_*.
    arrangements_2018_date: str = ARRANGEMENTS_2018_LATEST.isoformat()
    # The partnership's own completion target, in months, per non-statutory review type.
    local_review_target_months: dict[str, int] = field(default_factory=_local_targets)
    # How long a published review report stays on the website, in months: its removal date is the
    # date published plus this. Every framework profile's `published_kept_online` timescale keeps a
    # published report online for at least 12 months; a partnership may keep it longer.
    report_online_months: int = 12
    # The sub group's quorum (its terms of reference): a meeting is quorate when at least this many
    # agencies were present or sent a deputy.
    quorum_agencies: int = 3
    # How often the sub group checks its own effectiveness: "every six months through a health
    # check" (the reference report, section 5). The dashboard shows the next one due.
    health_check_months: int = 6

    @classmethod
    def from_stored(cls, stored: Mapping[str, object]) -> Settings:
        """Settings from the stored key/value pairs; unknown keys are ignored, a value of the
        wrong type or a blank one keeps the default."""
        defaults = cls()
        chosen: dict[str, object] = {}
        for f in dataclasses.fields(cls):
            if f.name not in stored:
                continue
            value = stored[f.name]
            default = getattr(defaults, f.name)
            if value is None or value == "":
                if default is None:
                    chosen[f.name] = None
                continue
            if isinstance(default, dict):
                # A stored mapping is the whole setting (a kind left out has no value).
                if isinstance(value, Mapping):
                    chosen[f.name] = dict(value)
                continue
            if isinstance(default, bool) or default is None:
                chosen[f.name] = value
            elif isinstance(default, int):
                try:
                    chosen[f.name] = int(value)  # type: ignore[arg-type]
                except (TypeError, ValueError):
                    continue
            elif isinstance(default, str):
                chosen[f.name] = str(value)
            else:
                chosen[f.name] = value
        return dataclasses.replace(defaults, **chosen)

    def as_stored(self) -> dict[str, object]:
        """Every setting as the JSON-able value kept in the file."""
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}

    def changed(self, **values: object) -> Settings:
        return Settings.from_stored({**self.as_stored(), **values})

    def marking_for(self, kind: str) -> str:
        return self.marking.get(kind) or DEFAULT_MARKING

    def arrangements_2018_from(self) -> date:
        """The first day of the partnership's 2018 arrangements, kept inside the national window
        (a date outside it, or a damaged one, is read as the nearest end or the default)."""
        try:
            chosen = date.fromisoformat(str(self.arrangements_2018_date))
        except ValueError:
            return ARRANGEMENTS_2018_LATEST
        return min(max(chosen, ARRANGEMENTS_2018_EARLIEST), ARRANGEMENTS_2018_LATEST)

    def local_target_months(self, review_type: str) -> int | None:
        """The partnership's own target for a non-statutory review type; None for other types."""
        if review_type not in LOCAL_REVIEW_TYPES:
            return None
        value = self.local_review_target_months.get(review_type)
        try:
            months = int(value) if value is not None else _local_targets()[review_type]
        except (TypeError, ValueError):
            months = _local_targets()[review_type]
        return months if months > 0 else _local_targets()[review_type]

    def today(self) -> date:
        """The date clocks are measured against: the as-at date when one is set, else today."""
        if self.as_at_date:
            try:
                return date.fromisoformat(str(self.as_at_date))
            except ValueError:
                pass  # a damaged setting must not stop the window opening; fall back to today
        return date.today()


DEFAULTS = Settings()
