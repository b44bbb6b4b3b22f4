"""The action plan tab, in parts: `tab` (filters, the grouped tree or flat list, and the detail
below), `model` (the tree model and the list's columns), `dialogs` (an action; a dated update) and
`detail` (the selected action's summary, update log and evidence).

The reads and writes are `scrdesk.store.actions`; the rules `scrdesk.domain.rules.actions`.
"""

from scrdesk.ui.actions.detail import ActionDetail
from scrdesk.ui.actions.dialogs import ActionDialog, UpdateDialog
from scrdesk.ui.actions.model import COL_RAG, COL_TEXT, ActionTreeModel, column_index
from scrdesk.ui.actions.tab import ActionPlanTab

__all__ = ["COL_RAG", "COL_TEXT", "ActionDetail", "ActionDialog", "ActionPlanTab", "ActionTreeModel",
           "UpdateDialog", "column_index"]
