"""The briefings tab, in parts: `tab` (the list beside the editor), `editor` (one briefing's
sections, themes and dissemination), `dialogs` (new briefing, one agency's dissemination) and
`model` (the lists' columns).

The reads and writes live in `scrdesk.store.briefings`; the names other modules imported from
`scrdesk.ui.briefings` before it became a package are kept here.
"""

from scrdesk.store.briefings import (
    SectionText,
    agencies_to_send,
    briefing_rows,
    create_briefing,
    delete_briefing,
    delete_dissemination,
    dissemination_rows,
    editor_sections,
    feedback_due,
    save_briefing,
    send_to_all_active,
    template_name,
    template_or_none,
)
from scrdesk.ui.briefings.dialogs import DisseminationDialog, NewBriefingDialog
from scrdesk.ui.briefings.editor import BriefingEditor, SectionBox
from scrdesk.ui.briefings.tab import BriefingsTab, ask_save_changes

__all__ = [
    "BriefingEditor", "BriefingsTab", "DisseminationDialog", "NewBriefingDialog", "SectionBox", "SectionText",
    "agencies_to_send", "ask_save_changes", "briefing_rows", "create_briefing", "delete_briefing",
    "delete_dissemination", "dissemination_rows", "editor_sections", "feedback_due", "save_briefing",
    "send_to_all_active", "template_name", "template_or_none",
]
