"""The Briefings tab: 6-step and 7-minute briefings and their dissemination."""

from __future__ import annotations

from scrdesk.ui.base import Tab


class BriefingsTab(Tab):
    title = "Briefings"

    def __init__(self, store, parent=None):
        super().__init__(store, parent)
