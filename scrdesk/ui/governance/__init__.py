"""The Sub group tab (issue 13): the sub group's own business — membership, chairs, terms of
reference, meetings' attendance, health checks, escalations, reviewers and costs."""

from scrdesk.ui.governance.tab import SubGroupTab

__all__ = ["SubGroupTab"]
