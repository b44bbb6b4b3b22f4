"""The Reviews tab as a package: `tab` (the view), `model` (its columns and what it shows in
words), `dialogs` (the record dialogs), `widgets` (a review's small lists and the chart buttons)."""

from scrdesk.ui.reviews.dialogs import (
    DelayDialog,
    LinkReferralDialog,
    MilestoneDialog,
    ProceedingDialog,
    RecommendationDialog,
    ReviewDialog,
)
from scrdesk.ui.reviews.model import LIVE_STATUSES, lcspr_clock_rows, milestone_progress
from scrdesk.ui.reviews.tab import ReviewsTab
from scrdesk.ui.reviews.widgets import ChartButtons, ChartDialog, ChildList

__all__ = [
    "LIVE_STATUSES", "ChartButtons", "ChartDialog", "ChildList", "DelayDialog", "LinkReferralDialog",
    "MilestoneDialog", "ProceedingDialog", "RecommendationDialog", "ReviewDialog", "ReviewsTab",
    "lcspr_clock_rows", "milestone_progress",
]
