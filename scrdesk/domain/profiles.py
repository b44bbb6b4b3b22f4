"""Framework profiles (Working Together 2015, 2018/2023, Welsh Child Practice Reviews) read from data.

A profile is a JSON file in `resources/profiles/`: its labels, decision codes, methodologies with
their milestone lists, timescale rules and wording. A new framework is a new file, not new code.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from types import MappingProxyType

from scrdesk.domain import values as _values
from scrdesk.domain.errors import InvalidValue, ScrdeskError
from scrdesk.domain.resources import resource_path
from scrdesk.domain.timescales import Rule, add_working_days

JURISDICTIONS = ("england", "wales")

_CODE = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
_REQUIRED = (
    "code", "name", "jurisdiction", "in_force_from", "labels", "decision_codes",
    "methodologies", "timescales",
)
_OPTIONAL = (
    "in_force_to", "guidance", "wording", "value_labels", "decision_aliases", "local_start",
)


@dataclass(frozen=True)
class MilestoneStep:
    kind: str
    label: str
    # Working days after the methodology's start, where the framework fixes the clock
    # (a rapid review's 15 days); None where the plan is set case by case.
    day: int | None = None


@dataclass(frozen=True)
class Methodology:
    code: str
    label: str
    milestones: tuple[MilestoneStep, ...]
    note: str = ""

    def planned_dates(self, start: date) -> list[tuple[str, str, date | None]]:
        """(kind, label, planned date) for each step; the date only for steps with a fixed day."""
        return [
            (m.kind, m.label, add_working_days(start, m.day) if m.day is not None else None)
            for m in self.milestones
        ]


@dataclass(frozen=True, eq=False)
class Profile:
    """One framework's labels, lists and rules. Loaded once, shared, never changed."""

    code: str
    name: str
    jurisdiction: str
    in_force_from: date
    in_force_to: date | None
    labels: Mapping[str, str]
    decision_codes: tuple[str, ...]
    methodologies: Mapping[str, Methodology]
    timescales: tuple[Rule, ...]
    guidance: str = ""
    wording: Mapping[str, str] = field(default_factory=dict)
    value_labels: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    decision_aliases: Mapping[str, str] = field(default_factory=dict)
    source: str = ""
    # The Settings attribute naming the day this profile began in a given partnership, where the
    # national start was a window rather than a day (WT2018: 29 Jun 2018 to 29 Sep 2019).
    local_start: str = ""

    def label(self, code: str | None) -> str:
        """The profile's label for a decision / review-type code; the code itself if unknown."""
        if code is None:
            return ""
        return self.labels.get(code, str(code))

    def decision_labels(self) -> dict[str, str]:
        """The decisions this profile offers, code -> label, in its order."""
        return {code: self.label(code) for code in self.decision_codes}

    def rule(self, key: str) -> Rule | None:
        for rule in self.timescales:
            if rule.key == key:
                return rule
        return None

    def methodology(self, code: str | None) -> Methodology | None:
        return self.methodologies.get(code) if code else None

    def methodology_label(self, code: str | None) -> str:
        if code is None:
            return ""
        m = self.methodologies.get(code)
        return m.label if m else str(code)

    def methodology_milestones(self, methodology: str | None) -> list[tuple[str, str]]:
        """(kind, label) steps of a methodology; empty for one this profile does not know."""
        m = self.methodology(methodology)
        return [(step.kind, step.label) for step in m.milestones] if m else []

    def word(self, key: str, default: str | None = None) -> str:
        """Profile wording (`partnership_label`, `notification_label`, ...); `default` or the key."""
        return self.wording.get(key, default if default is not None else key)

    @property
    def notification_label(self) -> str:
        return self.word("notification_label", "Serious incident notification")

    def value_label(self, list_name: str, code: str | None) -> str:
        """Label of `code` in the value list named `list_name` (e.g. "MEETING_KINDS"), as this
        profile words it; the canonical label otherwise."""
        if code is None:
            return ""
        override = self.value_labels.get(list_name, {}).get(code)
        if override is not None:
            return override
        values = getattr(_values, list_name, None)
        return _values.label(values, code) if isinstance(values, Mapping) else str(code)

    def in_force_on(self, d: date) -> bool:
        return self.in_force_from <= d and (self.in_force_to is None or d <= self.in_force_to)

    def __repr__(self) -> str:
        return f"Profile({self.code!r}, {self.name!r})"


# --- reading and checking the data ---------------------------------------------------------


class _Reader:
    """Checks one file's JSON and says exactly which key is wrong, so the data can be fixed."""

    def __init__(self, path: Path):
        self.path = path

    def fail(self, key: str, problem: str) -> ScrdeskError:
        return ScrdeskError(f"Framework profile {self.path.name}: '{key}' {problem}")

    def text(self, obj: Mapping, key: str, where: str, *, required: bool = True) -> str:
        value = obj.get(key)
        if value is None and not required:
            return ""
        if not isinstance(value, str) or not value.strip():
            raise self.fail(f"{where}{key}", "must be a non-empty text")
        return value

    def code(self, value: object, key: str) -> str:
        if not isinstance(value, str) or not _CODE.fullmatch(value):
            raise self.fail(key, f"must be a code of letters, digits and _ (found {value!r})")
        return value

    def day(self, obj: Mapping, key: str) -> date | None:
        value = obj.get(key)
        if value is None:
            return None
        try:
            if isinstance(value, str) and len(value) == 10:
                return date.fromisoformat(value)
        except ValueError:
            pass
        raise self.fail(key, f"must be an ISO date like 2018-06-29 (found {value!r})")

    def mapping(self, obj: Mapping, key: str) -> Mapping:
        value = obj.get(key, {})
        if not isinstance(value, dict):
            raise self.fail(key, "must be an object")
        return value

    def text_map(self, obj: Mapping, key: str) -> dict[str, str]:
        result = {}
        for k, v in self.mapping(obj, key).items():
            if not isinstance(v, str) or not v.strip():
                raise self.fail(f"{key}.{k}", "must be a non-empty text")
            result[k] = v
        return result

    def profile(self, data: object) -> Profile:
        if not isinstance(data, dict):
            raise self.fail("(top level)", "must be an object")
        for key in _REQUIRED:
            if key not in data:
                raise self.fail(key, "is missing")
        for key in data:
            # Keys starting "_" are comments for whoever maintains the file.
            if key not in _REQUIRED and key not in _OPTIONAL and not key.startswith("_"):
                raise self.fail(key, f"is not a profile key (expected one of {', '.join(_REQUIRED + _OPTIONAL)})")

        code = self.code(data["code"], "code")
        jurisdiction = data["jurisdiction"]
        if jurisdiction not in JURISDICTIONS:
            raise self.fail("jurisdiction", f"must be one of {', '.join(JURISDICTIONS)}")
        in_force_from = self.day(data, "in_force_from")
        if in_force_from is None:
            raise self.fail("in_force_from", "must be an ISO date like 2018-06-29")
        in_force_to = self.day(data, "in_force_to")
        if in_force_to is not None and in_force_to < in_force_from:
            raise self.fail("in_force_to", "is before in_force_from")

        labels = self.text_map(data, "labels")
        for k in labels:
            self.code(k, f"labels.{k}")
        decision_codes = data["decision_codes"]
        if not isinstance(decision_codes, list) or not decision_codes:
            raise self.fail("decision_codes", "must be a non-empty list of codes")
        for i, c in enumerate(decision_codes):
            self.code(c, f"decision_codes[{i}]")
            if c not in labels:
                raise self.fail(f"decision_codes[{i}]", f"{c} has no entry in 'labels'")
        if len(set(decision_codes)) != len(decision_codes):
            raise self.fail("decision_codes", "lists a code twice")

        aliases = self.text_map(data, "decision_aliases")
        for alias, target in aliases.items():
            if target not in labels:
                raise self.fail(f"decision_aliases.{alias}", f"points at {target}, which has no label")

        return Profile(
            code=code,
            name=self.text(data, "name", ""),
            jurisdiction=jurisdiction,
            in_force_from=in_force_from,
            in_force_to=in_force_to,
            labels=MappingProxyType(labels),
            decision_codes=tuple(decision_codes),
            methodologies=MappingProxyType(self.methodologies(data)),
            timescales=self.timescales(data),
            guidance=self.text(data, "guidance", "", required=False),
            wording=MappingProxyType(self.text_map(data, "wording")),
            value_labels=MappingProxyType(self.value_labels(data)),
            decision_aliases=MappingProxyType(aliases),
            source=self.path.name,
            local_start=self.text(data, "local_start", "", required=False),
        )

    def methodologies(self, data: Mapping) -> dict[str, Methodology]:
        result = {}
        raw = self.mapping(data, "methodologies")
        if not raw:
            raise self.fail("methodologies", "must list at least one methodology")
        for code, body in raw.items():
            where = f"methodologies.{code}"
            self.code(code, where)
            if not isinstance(body, dict):
                raise self.fail(where, "must be an object with label and milestones")
            steps = body.get("milestones")
            if not isinstance(steps, list) or not steps:
                raise self.fail(f"{where}.milestones", "must be a non-empty list")
            milestones = []
            for i, step in enumerate(steps):
                at = f"{where}.milestones[{i}]"
                if not isinstance(step, dict):
                    raise self.fail(at, "must be an object with kind and label")
                kind = self.code(step.get("kind"), f"{at}.kind")
                day = step.get("day")
                if day is not None and (isinstance(day, bool) or not isinstance(day, int) or day < 0):
                    raise self.fail(f"{at}.day", "must be a whole number of working days, 0 or more")
                milestones.append(MilestoneStep(kind, self.text(step, "label", f"{at}."), day))
            result[code] = Methodology(
                code=code,
                label=self.text(body, "label", f"{where}."),
                milestones=tuple(milestones),
                note=self.text(body, "note", f"{where}.", required=False),
            )
        return result

    def timescales(self, data: Mapping) -> tuple[Rule, ...]:
        raw = data["timescales"]
        if not isinstance(raw, list):
            raise self.fail("timescales", "must be a list of rules")
        rules: list[Rule] = []
        for i, body in enumerate(raw):
            at = f"timescales[{i}]"
            if not isinstance(body, dict):
                raise self.fail(at, "must be an object")
            key = self.code(body.get("key"), f"{at}.key")
            if any(r.key == key for r in rules):
                raise self.fail(f"{at}.key", f"{key} is given twice")
            try:
                rules.append(
                    Rule(
                        key=key,
                        label=self.text(body, "label", f"{at}."),
                        trigger=self.text(body, "trigger", f"{at}."),
                        offset=body.get("offset"),
                        unit=self.text(body, "unit", f"{at}."),
                        note=self.text(body, "note", f"{at}.", required=False),
                        clock=self.text(body, "clock", f"{at}.", required=False),
                        record=self.text(body, "record", f"{at}.", required=False),
                        applies_to=self.codes(body, "applies_to", at),
                        only_if=self.text(body, "only_if", f"{at}.", required=False),
                        done=self.codes(body, "done", at),
                        fallback=self.codes(body, "fallback", at),
                        source=self.text(body, "source", f"{at}.", required=False),
                        warn=body.get("warn"),
                        local=body.get("local") is True,
                    )
                )
            except InvalidValue as exc:
                field_key = exc.field.split()[-1].lower()
                raise self.fail(f"{at}.{field_key}", exc.message) from None
        return tuple(rules)

    def codes(self, body: Mapping, key: str, at: str) -> tuple[str, ...]:
        value = body.get(key, [])
        if not isinstance(value, list):
            raise self.fail(f"{at}.{key}", "must be a list of codes")
        return tuple(self.code(v, f"{at}.{key}[{i}]") for i, v in enumerate(value))

    def value_labels(self, data: Mapping) -> dict[str, Mapping[str, str]]:
        result = {}
        raw = self.mapping(data, "value_labels")
        for list_name in raw:
            values = getattr(_values, list_name, None)
            if not isinstance(values, _values.ValueList):
                raise self.fail(f"value_labels.{list_name}", "is not a known value list")
            texts = self.text_map(raw, list_name)
            for code in texts:
                if code not in values:
                    raise self.fail(f"value_labels.{list_name}.{code}", "is not a code of that list")
            result[list_name] = MappingProxyType(texts)
        return result


def _read(path: Path) -> Profile:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ScrdeskError(
            f"Framework profile {path.name}: not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from None
    except OSError as exc:
        raise ScrdeskError(f"Framework profile {path.name}: cannot be read ({exc.strerror})") from None
    return _Reader(path).profile(data)


_cache: dict[Path, Mapping[str, Profile]] = {}
_lookup_cache: dict[Path, dict[str, str]] = {}
_DEFAULT_KEY = Path("<bundled profiles>")


def profiles_dir() -> Path:
    return resource_path("profiles")


def load_profiles(directory: Path | str | None = None) -> dict[str, Profile]:
    """Every profile in `directory` (default `resources/profiles`) by code: England's, then Wales',
    each oldest first.

    Read once and cached; a malformed file raises ScrdeskError naming the file and the key.
    """
    if directory is None and _DEFAULT_KEY in _cache:
        # The usual call, made for every label shown and every row imported: no path work.
        return dict(_cache[_DEFAULT_KEY])
    folder = Path(directory) if directory is not None else profiles_dir()
    # Path.resolve() is a system call per call, and this runs for every label shown.
    key = folder.resolve() if directory is not None else _DEFAULT_KEY
    if key not in _cache:
        _cache[key] = _load(folder)
    return dict(_cache[key])


def clear_cache() -> None:
    _cache.clear()
    _lookup_cache.clear()


def _load(folder: Path) -> Mapping[str, Profile]:
    files = sorted(folder.glob("*.json"))
    if not files:
        raise ScrdeskError(f"No framework profiles found in {folder}")
    found: dict[str, Profile] = {}
    for path in files:
        profile = _read(path)
        if profile.code in found:
            raise ScrdeskError(
                f"Framework profile {path.name}: 'code' {profile.code} is also used by "
                f"{found[profile.code].source}"
            )
        found[profile.code] = profile
    _decision_lookup(found.values())  # a label that means two codes is a data error: fail now
    ordered = sorted(found.values(), key=_order)
    return MappingProxyType({p.code: p for p in ordered})


def _order(profile: Profile) -> tuple:
    # England first (most boards), then by date: lists and choices read oldest to newest.
    return (JURISDICTIONS.index(profile.jurisdiction), profile.in_force_from, profile.code)


def _decision_lookup(profiles) -> dict[str, str]:
    """normalised code / label / alias -> decision code, across every profile."""
    table: dict[str, str] = {}
    owner: dict[str, str] = {}
    for profile in profiles:
        entries = [(c, c, "labels") for c in profile.labels]
        entries += [(text, c, f"labels.{c}") for c, text in profile.labels.items()]
        entries += [(a, c, f"decision_aliases.{a}") for a, c in profile.decision_aliases.items()]
        for text, code, key in entries:
            norm = _values.normalise_text(text)
            if table.setdefault(norm, code) != code:
                raise ScrdeskError(
                    f"Framework profile {profile.source}: '{key}' {text!r} already means "
                    f"{table[norm]} in {owner[norm]}"
                )
            owner.setdefault(norm, profile.source)
    return table


def get_profile(code: str) -> Profile:
    profiles = load_profiles()
    try:
        return profiles[code]
    except KeyError:
        raise ScrdeskError(
            f"Unknown framework profile {code!r}; known: {', '.join(profiles)}"
        ) from None


def profile_in_force(d: date | None, jurisdiction: str = "england") -> Profile:
    """The profile in force on `d` in that jurisdiction; the newest for no date.

    A date before the oldest profile gets the oldest: its rules are the nearest there are.
    """
    jurisdiction = (jurisdiction or "england").strip().lower()
    candidates = [p for p in load_profiles().values() if p.jurisdiction == jurisdiction]
    if not candidates:
        raise ScrdeskError(f"No framework profile for jurisdiction {jurisdiction!r}")
    candidates.sort(key=lambda p: p.in_force_from)
    if d is None:
        return candidates[-1]
    if isinstance(d, datetime):
        d = d.date()
    in_force = [p for p in candidates if p.in_force_on(d)]
    if in_force:
        return in_force[-1]
    started = [p for p in candidates if p.in_force_from <= d]
    # After an end date with no successor yet: keep the last one rather than fail.
    return started[-1] if started else candidates[0]


# The date that fixes a record's framework, best first. Whether a case meets the criteria for a
# review is decided under the guidance in force when the partners (or the LSCB) decide it (WT2015
# ch.4 para 18, the SCR criteria of regulation 5 of the LSCB Regulations 2006; WT2018 ch.4 and
# WT2023 ch.5, the partners' decision after a rapid review), so the decision date comes first; a record without
# one was decided at its meeting; failing that, the day the referral was received is the nearest
# (the decision followed it). A review's decision is its agreed date; its initiation comes after.
_DECIDING_DATES = ("decision_date", "agreed_date", "meeting_date", "received_date", "initiated_date")


def deciding_date(record: Mapping) -> date | None:
    """The date that fixes the record's framework (see _DECIDING_DATES); None when it has none."""
    for key in _DECIDING_DATES:
        value = record.get(key)
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        if isinstance(value, str) and value.strip():
            try:
                return date.fromisoformat(value.strip()[:10])
            except ValueError:
                continue
    return None


def framework_for(record: Mapping, settings) -> str:
    """The framework code a referral or review is held to, from its dates and the board's settings.

    `record` is a referral or review row (any mapping with its date columns as ISO text or dates);
    `settings` is the board's `Settings`. The jurisdiction comes from the settings. A profile with a
    `local_start` (WT2018) begins on the partnership's own date rather than the national one:
    records decided before it keep the profile in force before (WT2015 — an LSCB went on running
    SCRs until its switch, and an SCR started then keeps SCR rules to the end, because its decision
    date stays before the switch). A record with no date gets `settings.default_framework`.
    """
    jurisdiction = (settings.jurisdiction or "").strip().lower()
    ours = sorted(
        (p for p in load_profiles().values() if p.jurisdiction == jurisdiction),
        key=lambda p: p.in_force_from,
    )
    when = deciding_date(record)
    if when is None:
        default = load_profiles().get(settings.default_framework)
        if default is not None and (default.jurisdiction == jurisdiction or not ours):
            return default.code
        return ours[-1].code if ours else settings.default_framework
    profile = profile_in_force(when, jurisdiction)
    if profile.local_start:
        starts = getattr(settings, profile.local_start)
        starts = starts() if callable(starts) else date.fromisoformat(str(starts))
        if when < starts:
            earlier = [p for p in ours if p.in_force_from < profile.in_force_from]
            if earlier:
                return earlier[-1].code
    return profile.code


def all_decision_codes() -> list[str]:
    """Every decision code any profile offers, in profile order (England oldest first, then Wales)."""
    codes: dict[str, None] = {}
    for profile in load_profiles().values():
        for code in profile.decision_codes:
            codes.setdefault(code)
    return list(codes)


def decision_code_from_text(text: object) -> str:
    """The decision code meant by `text`: a code or any profile's label or alias, loosely matched."""
    profiles = load_profiles().values()
    key = _DEFAULT_KEY
    if key not in _lookup_cache:
        _lookup_cache[key] = _decision_lookup(profiles)
    if text is not None and str(text).strip():
        code = _lookup_cache[key].get(_values.normalise_text(str(text)))
        if code is not None:
            return code
    newest = max(profiles, key=lambda p: p.in_force_from)
    examples = ", ".join(newest.label(c) for c in newest.decision_codes[:4])
    problem = "is blank" if text is None or not str(text).strip() else "is not a decision"
    raise InvalidValue(
        "Decision", text,
        f"{problem}; use a code ({', '.join(all_decision_codes())}) or its label, e.g. {examples}",
    )


__all__ = [
    "JURISDICTIONS",
    "Methodology",
    "MilestoneStep",
    "Profile",
    "all_decision_codes",
    "clear_cache",
    "decision_code_from_text",
    "deciding_date",
    "framework_for",
    "get_profile",
    "load_profiles",
    "profile_in_force",
    "profiles_dir",
]
