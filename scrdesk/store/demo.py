"""The demo data file: the NSCB SCR Sub Group's year 2016-17 as a June 2017 snapshot.

The data lives in `resources/demo/` (`demo.json` and the briefing texts); this module only loads
it. Every record goes in through the store, so the demo file has a full, verifiable audit log
like any other. The file is built beside its destination and moved into place when complete, so
a failure never leaves half a demo.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from datetime import date, timedelta
from pathlib import Path

from scrdesk.domain import values
from scrdesk.domain.ages import parse_age
from scrdesk.domain.errors import ScrdeskError
from scrdesk.domain.profiles import profile_in_force
from scrdesk.domain.resources import resource_path
from scrdesk.domain.settings import Settings
from scrdesk.store import anchor, backup
from scrdesk.store.db import Store

DEMO_USER = "scrdesk-demo"
ADDED_BY = "NSCB Project Officer (demo)"
_SIDE_FILES = ("-wal", "-shm", "-journal")


def demo_dir() -> Path:
    return resource_path("demo")


def load_demo_data() -> dict:
    return json.loads((demo_dir() / "demo.json").read_text(encoding="utf-8"))


def write_demo(path: str | Path) -> Path:
    """Build a fresh demo data file at `path`, replacing any file there; return the path.

    Refusing to overwrite someone's file is the caller's decision (the command line asks for
    `--force`); a file that a live copy of scrdesk holds is never replaced (StoreError naming
    the holder), since that copy would go on writing to a deleted file.
    """
    path = Path(path)
    backup.refuse_if_in_use(path, "it is replaced with the demo data")
    path.parent.mkdir(parents=True, exist_ok=True)
    building = path.with_name(path.name + ".building")
    _remove_with_side_files(building)
    data = load_demo_data()
    store = Store.open(building, user=DEMO_USER)
    try:
        _Loader(store, data).load()
    except BaseException:
        store.close()
        _remove_with_side_files(building)
        raise
    store.close()
    # Checked again at the last moment: someone may have opened the file while the demo was built.
    backup.refuse_if_in_use(path, "it is replaced with the demo data")
    _remove_with_side_files(path)
    os.replace(building, path)
    anchor.forget(path)  # a new history at this path: the one remembered was the old file's
    return path


def _remove_with_side_files(path: Path) -> None:
    for suffix in ("", *_SIDE_FILES):
        with contextlib.suppress(FileNotFoundError):
            Path(f"{path}{suffix}").unlink()


def _iso(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def minimal_pdf(text: str) -> bytes:
    """A one-page PDF showing `text` (ASCII), small enough to stand in for a scanned document."""
    lines = [line.encode("ascii", "replace").decode("ascii") for line in text.splitlines()] or [""]
    escaped = [line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") for line in lines]
    stream = "BT /F1 11 Tf 56 780 Td 14 TL " + " ".join(f"({line}) '" for line in escaped) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        "/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("ascii")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode("ascii")
    out += "".join(f"{offset:010d} 00000 n \n" for offset in offsets).encode("ascii")
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode("ascii")
    return bytes(out)


def read_sections(markdown: str) -> list[tuple[str, str]]:
    """(title, body) for each `## Title` section; the `#` heading line is a comment."""
    sections: list[tuple[str, list[str]]] = []
    for line in markdown.splitlines():
        if line.startswith("## "):
            sections.append((line[3:].strip(), []))
        elif sections and not line.startswith("# "):
            sections[-1][1].append(line)
    return [(title, "\n".join(body).strip()) for title, body in sections]


class _Loader:
    def __init__(self, store: Store, data: dict):
        self.store = store
        self.data = data
        self.settings = data["settings"]
        self.jurisdiction = Settings.from_stored(self.settings).jurisdiction
        self.agencies: dict[str, int] = {}
        self.referrals: dict[str, int] = {}
        self.reviews: dict[str, int] = {}

    def load(self) -> None:
        with self.store.transaction():
            self.store.set_settings(self.settings)
            self.feedback_days = self.store.settings().feedback_period_days
            for agency in self.data["agencies"]:
                self.agencies[agency["short_name"]] = self.store.insert("agencies", agency)
            for referral in self.data["referrals"]:
                self._referral(referral)
            for review in self.data["reviews"]:
                self._review(review)
            for event in self.data["learning_events"]:
                self._event(event)
            for meeting in self.data["meetings"]:
                self.store.insert("meetings", meeting)
            self._learning(self.data.get("learning", {}))
            self._governance(self.data.get("governance", {}))

    def agency(self, short_name: str) -> int:
        try:
            return self.agencies[short_name]
        except KeyError:
            raise ScrdeskError(f"Demo data: no agency with short name {short_name!r}") from None

    def framework(self, when: str | None) -> str:
        return profile_in_force(_iso(when), self.jurisdiction).code

    def _referral(self, item: dict) -> None:
        record = {k: v for k, v in item.items() if k not in ("referring_agency", "gender", "age", "restricted")}
        record["referring_agency_id"] = self.agency(item["referring_agency"])
        record["gender"] = values.code_from_text(values.GENDERS, item["gender"], "Gender")
        age = parse_age(item["age"])
        record.update(age.to_columns())
        record["age_various"] = int(age.various)
        record["framework"] = self.framework(item["decision_date"])
        referral_id = self.store.insert("referrals", record)
        self.referrals[item["ref"]] = referral_id
        for kind, value in item.get("restricted", []):
            values.code_from_text(values.RESTRICTED_KINDS, kind, "Restricted identifier")
            self.store.insert("restricted_identifiers", {"referral_id": referral_id, "kind": kind, "value": value})

    def _review(self, item: dict) -> None:
        nested = ("refs", "milestones", "delays", "proceedings", "recommendations", "briefing", "agency_returns")
        record = {k: v for k, v in item.items() if k not in nested}
        record["framework"] = self.framework(item["agreed_date"])
        review_id = self.store.insert("reviews", record)
        for ref in item["refs"]:
            self.reviews[ref] = review_id
            self.store.insert("review_referrals", {"review_id": review_id, "referral_id": self.referrals[ref]})
        for step in item.get("milestones", []):
            self.store.insert("milestones", {
                "review_id": review_id, "kind": step["kind"], "planned_date": step.get("planned"),
                "actual_date": step.get("actual"), "attendance": step.get("attendance"),
                "notes": step.get("notes")})
        for when, reason in item.get("delays", []):
            self.store.insert("review_delays", {"review_id": review_id, "date": when, "reason": reason})
        for proceeding in item.get("proceedings", []):
            self.store.insert("parallel_proceedings", {"review_id": review_id, **proceeding})
        for returned in item.get("agency_returns", []):
            self.store.insert("agency_returns", {
                "review_id": review_id, "agency_id": self.agency(returned["agency"]),
                **{k: v for k, v in returned.items() if k != "agency"}})
        for recommendation in item.get("recommendations", []):
            self._recommendation(review_id, recommendation)
        if "briefing" in item:
            self._briefing(review_id, item["briefing"])

    def _recommendation(self, review_id: int, item: dict) -> None:
        recommendation_id = self.store.insert("recommendations", {
            "review_id": review_id, "number": item["number"], "text": item["text"], "level": item["level"]})
        for action in item.get("actions", []):
            record = {k: v for k, v in action.items() if k not in ("agency", "updates", "evidence")}
            record.update(review_id=review_id, recommendation_id=recommendation_id,
                          agency_id=self.agency(action["agency"]))
            action_id = self.store.insert("actions", record)
            status = "not_started"
            last_date = action["agreed_date"]
            for when, new_status, note in action.get("updates", []):
                self.store.insert("action_updates", {
                    "action_id": action_id, "date": when, "author": action.get("lead_officer"),
                    "note": note, "status_from": status if new_status else None, "status_to": new_status})
                status = new_status or status
                last_date = when
            if status != action["status"]:
                raise ScrdeskError(f"Demo data: the updates of action {action['text'][:40]!r} end at "
                                   f"{status}, but its status is {action['status']}")
            for evidence in action.get("evidence", []):
                self._attachment("action", action_id, evidence, last_date)

    def _briefing(self, review_id: int, item: dict) -> None:
        template = json.loads(resource_path("templates", f"{item['template']}.json").read_text(encoding="utf-8"))
        keys = {section["title"]: (position, section["key"])
                for position, section in enumerate(template["sections"], start=1)}
        sections = read_sections((demo_dir() / item["sections_file"]).read_text(encoding="utf-8"))
        if [title for title, _ in sections] != list(keys):
            raise ScrdeskError(f"Demo data: {item['sections_file']} must have the sections of the "
                               f"{item['template']} template in order: {', '.join(keys)}")
        record = {k: v for k, v in item.items() if k not in ("sections_file", "disseminations")}
        briefing_id = self.store.insert("briefings", {"review_id": review_id, **record})
        for title, body in sections:
            position, key = keys[title]
            self.store.insert("briefing_sections", {
                "briefing_id": briefing_id, "position": position, "key": key, "title": title, "body": body})
        for sent in item.get("disseminations", []):
            due = _iso(sent["sent_date"]) + timedelta(days=self.feedback_days)
            record = {k: v for k, v in sent.items() if k not in ("agency", "evidence")}
            dissemination_id = self.store.insert("disseminations", {
                "briefing_id": briefing_id, "agency_id": self.agency(sent["agency"]),
                "feedback_due_date": due.isoformat(), **record})
            for evidence in sent.get("evidence", []):
                self._attachment("dissemination", dissemination_id, evidence, sent["feedback_received_date"])

    def _attachment(self, owner_kind: str, owner_id: int, item: dict, when: str) -> None:
        name = item["file_name"]
        if name.endswith(".pdf"):
            content, mime = minimal_pdf(item["text"]), "application/pdf"
        else:
            content, mime = item["text"].encode("utf-8"), "text/plain"
        self.store.insert("attachments", {
            "owner_kind": owner_kind, "owner_id": owner_id, "file_name": name, "mime_type": mime,
            "size": len(content), "sha256": hashlib.sha256(content).hexdigest(), "content": content,
            "added_by": ADDED_BY, "added_at": f"{when}T12:00:00.000Z"})

    def _event(self, item: dict) -> None:
        record = {k: v for k, v in item.items() if k != "ref"}
        if "ref" in item:
            record["review_id"] = self.reviews[item["ref"]]
        self.store.insert("learning_events", record)

    def _learning(self, item: dict) -> None:
        """Publications, newsletters, briefings' web pages, impact and themes (issue 14), written
        through their store functions so the demo keeps their rules."""
        from scrdesk.store import channels, impact, publication, themes

        def briefing(ref: str) -> int:
            return self.store.scalar("SELECT id FROM briefings WHERE review_id = ?", [self.reviews[ref]])

        def recommendation(key: str) -> int:
            ref, number = key.split("/")
            return self.store.scalar("SELECT id FROM recommendations WHERE review_id = ? AND number = ?",
                                     [self.reviews[ref], number])

        events = {row["title"]: row["id"] for row in self.store.rows("SELECT id, title FROM learning_events")}
        for issue in item.get("newsletters", []):
            channels.save_issue(self.store, None, {"number": issue["number"], "issue_date": issue["issue_date"]},
                                briefing_ids=[briefing(ref) for ref in issue["briefings"]],
                                event_ids=[events[title] for title in issue["events"]])
        for post in item.get("web_posts", []):
            channels.save_web_post(self.store, briefing(post["ref"]), None,
                                   {k: v for k, v in post.items() if k != "ref"})
        for published in item.get("publications", []):
            review_id = self.reviews[published["ref"]]
            publication.save_publication(
                self.store, review_id, web_address=published["web_address"],
                media_approach=published["media_approach"], notes=published["notes"],
                published_date=self.store.get("reviews", review_id)["published_date"])
            for step, done_date, done_by, note, *not_needed in published["steps"]:
                publication.save_step(self.store, review_id, step, done_date=done_date, done_by=done_by,
                                      note=note, not_needed=bool(not_needed and not_needed[0]))
        for accepted in item.get("impact", []):
            impact.save_impact(self.store, recommendation(f"{accepted['ref']}/{accepted['number']}"),
                               {k: v for k, v in accepted.items() if k not in ("ref", "number")})
        codes = {row["code"]: row["id"] for row in themes.theme_list(self.store)}
        tagged = item.get("themes", {})
        for kind, find in (("review", self.reviews.__getitem__), ("briefing", briefing),
                           ("recommendation", recommendation)):
            for key, theme_codes in tagged.get(f"{kind}s", {}).items():
                themes.set_tags(self.store, kind, find(key), [codes[code] for code in theme_codes])

    def _governance(self, item: dict) -> None:
        """The sub group's own business (issue 13): members, chairs, terms of reference, attendance,
        health checks with their actions arising, the plan's other actions, reviewers,
        commissions, costs, budgets and escalations, written through their store functions."""
        from scrdesk.store import actions, governance, reviewers

        def agency(short_name: str | None) -> int | None:
            return self.agency(short_name) if short_name else None

        def plan_action(record: dict, created: int | None = None) -> None:
            fields = {k: v for k, v in record.items() if k not in ("agency", "updates")}
            fields["agency_id"] = agency(record.get("agency"))
            if created is None:
                created = actions.create_action(self.store, {"status": "not_started", **fields})
            for on, status, note in record.get("updates", []):
                actions.add_update(self.store, created, on=date.fromisoformat(on), author=record.get("lead_officer") or DEMO_USER, note=note,
                                   status_to=status)

        for member in item.get("members", []):
            governance.save_member(self.store, None, {**{k: v for k, v in member.items() if k != "agency"},
                                                      "agency_id": agency(member["agency"])})
        for chair in item.get("chairs", []):
            governance.save_chair(self.store, None, {**{k: v for k, v in chair.items() if k != "agency"},
                                                     "agency_id": agency(chair.get("agency"))})
        for tor in item.get("terms_of_reference", []):
            governance.save_terms_of_reference(self.store, None, tor)
        attendance = item.get("attendance", {})
        codes = {"P": "present", "D": "deputy", "A": "apologies", "X": "absent"}
        meetings = {r["date"]: r["id"] for r in self.store.rows(
            "SELECT id, date FROM meetings WHERE kind = 'scr_subgroup'")}
        for held, marks in attendance.get("meetings", {}).items():
            governance.set_attendance(self.store, meetings[held], [
                {"agency_id": agency(short), "status": codes[mark]}
                for short, mark in zip(attendance["agencies"], marks, strict=True) if mark in codes])
        for check in item.get("health_checks", []):
            check_id = governance.create_health_check(self.store, {"date": check["date"], "notes": check.get("notes")})
            governance.answer_health_check(self.store, check_id, {
                code: {"rag": rag, "comment": comment} for code, (rag, comment) in check["answers"].items()})
            for arising in check.get("actions", []):
                fields = {k: v for k, v in arising.items() if k not in ("agency", "updates")}
                created = governance.add_health_check_action(self.store, check_id,
                                                             {**fields, "agency_id": agency(arising.get("agency"))})
                plan_action(arising, created)
        for record in item.get("plan_actions", []):
            plan_action(record)
        people = {r["name"]: reviewers.save_reviewer(self.store, None, r) for r in item.get("reviewers", [])}
        for commission in item.get("commissions", []):
            reviewers.save_commission(self.store, None, {
                **{k: v for k, v in commission.items() if k not in ("ref", "reviewer")},
                "review_id": self.reviews[commission["ref"]], "reviewer_id": people[commission["reviewer"]]})
        for cost in item.get("costs", []):
            reviewers.save_cost(self.store, None, {**{k: v for k, v in cost.items() if k != "ref"},
                                                   "review_id": self.reviews[cost["ref"]]})
        for budget in item.get("budgets", []):
            budget_id = reviewers.save_budget(self.store, None, {k: v for k, v in budget.items()
                                                                 if k != "contributions"})
            for short, amount in budget.get("contributions", {}).items():
                reviewers.save_contribution(self.store, None, {"budget_id": budget_id, "agency_id": agency(short),
                                                               "amount": amount})
        for escalation in item.get("escalations", []):
            record = {k: v for k, v in escalation.items() if k not in ("ref", "escalated_action")}
            if "ref" in escalation:
                record["review_id"] = self.reviews[escalation["ref"]]
            if escalation.get("escalated_action"):
                # The demo's one escalated action (its own "escalated on / to" already set).
                record["action_id"] = self.store.scalar(
                    "SELECT id FROM actions WHERE escalated_date = ?", [escalation["raised_date"]])
            governance.save_escalation(self.store, None, record)
