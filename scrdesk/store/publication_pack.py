"""What a review's publication pack prints: the review (refs, pseudonyms, title, type), its
publication record and checklist as `store.publication.publication` gives them, the statutory
publication dates kept by `store.statutory` (planned date, the copies to the Panel and Secretary
of State and to Ofsted, a decision not to publish), and the pre-publication copy deadline worked
out from the review's own framework profile.

Read only; names no child (refs and pseudonyms, never the restricted identifiers).
"""

from __future__ import annotations

from datetime import date

from scrdesk.domain import values
from scrdesk.domain.dates import from_iso
from scrdesk.domain.errors import ScrdeskError
from scrdesk.domain.refs import normalise_ref
from scrdesk.domain.timescales import due_date
from scrdesk.store import publication, reviews
from scrdesk.store.db import Store
from scrdesk.store.queries import profile_for, today_for

#: The profile rule for the copy before publication (WT2018 ch 4 / WT2023 ch 5: the report goes to
#: the Panel and the Secretary of State at least 7 working days before the planned date).
PRE_PUBLICATION_RULE = "panel_report_before_publication"


def find_review(store: Store, ref_or_title: str) -> int:
    """The review a ref names (`Ref021`, `ref 21`, `21`) or, failing that, its exact title."""
    text = str(ref_or_title).strip()
    review_id = None
    try:
        ref = normalise_ref(text, store.settings().ref_prefix)
    except ScrdeskError:
        ref = None
    if ref:
        review_id = store.scalar("SELECT rr.review_id FROM review_referrals rr JOIN referrals r "
                                 "ON r.id = rr.referral_id WHERE r.ref = ? ORDER BY rr.review_id LIMIT 1", [ref])
    if review_id is None:
        review_id = store.scalar("SELECT id FROM reviews WHERE title = ? ORDER BY id LIMIT 1", [text])
    if review_id is None:
        raise ScrdeskError(f"There is no review {text!r}: give its referral's ref, e.g. Ref021.")
    return int(review_id)


def _copy(what: str, sent: date | None, due: date | None, how: str = "") -> dict:
    """One copy before publication: when it went (`how`, where it is known another way), and
    whether that met the deadline."""
    on_time = None if not (sent and due) else sent <= due
    return {"what": what, "sent": sent, "on_time": on_time, "how": how}


def publication_pack_data(store: Store, review_id: int, today: date | None = None) -> dict:
    """Everything the pack prints for one review. Keys: `ref`, `refs`, `pseudonyms`, `title`,
    `type_label`, `framework`, `status_label`, `decision_label`; `planned`, `published`,
    `removal` (dates); `deadline` (the pre-publication copy deadline, or None), `deadline_from`
    ("planned" / "published" / None), `deadline_rule` (its label and source, or "" when the
    review's framework has none); `copies` (Panel + Secretary of State, Ofsted); `not_published`
    (decided, reasons, sent to the Panel — or None); `web_address`, `media_label`, `notes`,
    `steps`, `done`, `total`; `today`."""
    review = reviews.get_review(store, review_id)
    if review is None:
        raise ScrdeskError(publication.REVIEW_GONE)
    kept = publication.publication(store, review_id)
    linked = reviews.linked_referrals(store, review_id)
    profile = profile_for(store, review.get("framework"))

    planned, published = from_iso(review.get("planned_publication_date")), from_iso(review.get("published_date"))
    rule = profile.rule(PRE_PUBLICATION_RULE)
    applies = rule is not None and (not rule.applies_to or review["review_type"] in rule.applies_to)
    decided_not = from_iso(review.get("no_publication_date"))
    # As the statutory clock does: the planned date, else the date published for records kept
    # before a planned date was recorded; no deadline once it was decided not to publish.
    trigger, trigger_name = (planned, "planned") if planned else (published, "published") if published else (None, None)
    deadline = due_date(rule, trigger) if applies and trigger and not decided_not else None
    # An older record holds only the date the report went to the national panel; it stands in,
    # as on the statutory clock, and the pack says so.
    panel_copy, sent_to_panel = from_iso(review.get("panel_sos_copy_date")), from_iso(review.get("sent_to_panel_date"))
    panel_sent = panel_copy or sent_to_panel
    panel_how = "" if panel_copy or not sent_to_panel else "the date the report was sent to the national panel"
    return {
        "review_id": review_id, "ref": kept["ref"], "refs": [r["ref"] for r in linked],
        "pseudonyms": [r["pseudonym"] for r in linked if r.get("pseudonym")],
        "title": review["title"], "type_label": profile.label(review["review_type"]), "framework": profile.name,
        "status_label": values.label(values.REVIEW_STATUSES, review["status"]) if review.get("status") else "",
        "decision_label": (values.label(values.PUBLICATION_DECISIONS, review["publication_decision"])
                           if review.get("publication_decision") else ""),
        "planned": planned, "published": published, "removal": from_iso(review.get("removal_date")),
        "deadline": deadline, "deadline_from": trigger_name if deadline else None,
        "deadline_rule": f"{rule.label} ({rule.source})" if applies and rule else "",
        "copies": [_copy("Copy to the Panel and the Secretary of State", panel_sent, deadline, panel_how),
                   _copy("Copy to Ofsted", from_iso(review.get("ofsted_copy_date")), deadline)],
        "not_published": ({"decided": decided_not, "reasons": review.get("no_publication_reasons") or "",
                           "sent": from_iso(review.get("no_publication_sent_date"))} if decided_not else None),
        "web_address": kept["web_address"] or "", "media_label": kept["media_label"], "notes": kept["notes"] or "",
        "steps": kept["steps"], "done": kept["done"], "total": kept["total"],
        "today": today or today_for(store),
    }
