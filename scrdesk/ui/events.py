"""The Events and meetings tab: learning events, de-briefs, training and the meetings list."""

from __future__ import annotations

from scrdesk.ui.base import Tab


class EventsTab(Tab):
    title = "Events and meetings"

    def __init__(self, store, parent=None):
        super().__init__(store, parent)
