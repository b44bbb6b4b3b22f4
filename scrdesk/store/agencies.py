"""Partner agencies: the lists every tab offers, and the writes the Settings dialog makes."""

from __future__ import annotations

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
