"""Partner agencies: the lists every tab offers, and the writes the Settings dialog makes (each
agency checked by `scrdesk.domain.rules.agencies`; settings, agencies and logo in one transaction)."""

from __future__ import annotations

from collections.abc import Mapping

from scrdesk.domain.rules import agencies as rules
from scrdesk.domain.rules import require
from scrdesk.store.attachments import set_logo
from scrdesk.store.db import Store


def all_agencies(store: Store) -> list[dict]:
    """Every agency, active or not, by name (the Settings dialog's list)."""
    return store.rows("SELECT * FROM agencies ORDER BY name")


def agency_choices(store: Store, *, active_only: bool = False, keep_id: int | None = None) -> list[dict]:
    """`id`, `name`, `short_name`, `active` of the agencies to offer in a choice, by name.

    `active_only` leaves inactive agencies out except `keep_id` (the one a record already names,
    so editing an old record does not silently drop its agency).
    """
    sql = "SELECT id, name, short_name, active FROM agencies"
    params: list = []
    if active_only:
        sql += " WHERE active = 1 OR id IS ?"
        params.append(keep_id)
    return store.rows(sql + " ORDER BY name", params)


# What a person calls each column, for a refusal raised outside the agency form.
LABELS = {"name": "Name", "short_name": "Short name", "type": "Type", "lead_name": "Lead contact",
          "lead_email": "Email"}

_COLUMNS = ("name", "short_name", "type", "lead_name", "lead_email", "active")


def save_agency(store: Store, agency: Mapping[str, object]) -> int:
    """Create (no `id`) or change one agency; its id. Names are unique whatever their capitals."""
    record = {k: agency.get(k) for k in _COLUMNS}
    if record["active"] is None:
        record["active"] = 1
    agency_id = agency.get("id")
    with store.transaction():
        others = [a["name"] for a in all_agencies(store) if a["id"] != agency_id]
        require(rules.problems(record, others), "The agency", LABELS)
        if agency_id:
            store.update("agencies", int(agency_id), record)
            return int(agency_id)
        return store.insert("agencies", record)


def save_settings(store: Store, settings: Mapping[str, object], agencies: list[dict],
                  logo: dict | None | bool = False) -> None:
    """The Settings dialog's Save: settings, agency changes and the logo in one transaction.

    `logo` is False to leave it alone, None to remove it, or a row from `read_attachment_file`.
    An agency without an `id` is added (and given its id); one marked `changed` is written.
    """
    with store.transaction():
        if logo is not False:
            set_logo(store, logo or None)
        store.set_settings(settings)
        for agency in agencies:
            if not agency.get("id") or agency.get("changed"):
                agency["id"] = save_agency(store, agency)
