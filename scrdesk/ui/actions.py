"""The Action plan tab: the composite action plan."""

from __future__ import annotations

from scrdesk.ui.base import Tab


class ActionPlanTab(Tab):
    title = "Action plan"

    def __init__(self, store, parent=None):
        super().__init__(store, parent)
