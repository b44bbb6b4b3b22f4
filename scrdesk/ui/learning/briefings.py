"""Learning that lands on the Briefings tab: a briefing's channels (the newsletter issues that
promoted it, its pages on the website) and its themes, as a page of the briefing editor, with the
newsletter issues list one button away.

The tab hooks the page in with a few lines; every read and write goes through `store.channels`
and `store.themes`.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QHeaderView, QLabel, QVBoxLayout, QWidget

from scrdesk.domain.dates import format_stored
from scrdesk.domain.errors import ScrdeskError
from scrdesk.store import channels, themes
from scrdesk.ui.base import (
    Column,
    RowRole,
    RowsModel,
    confirm,
    make_button,
    record_table,
    show_error,
)
from scrdesk.ui.learning.dialogs import NewsletterIssuesDialog, ThemesDialog, WebPostDialog

NEWSLETTER_COLUMNS = (
    Column("number", "Newsletter issue"),
    Column("issue_date", "Date", display=lambda r: format_stored(r.get("issue_date"))),
)
WEBSITE_COLUMNS = (
    Column("web_address", "Web address", tooltip=lambda r: r.get("web_address") or ""),
    Column("posted_date", "On from", display=lambda r: format_stored(r.get("posted_date"))),
    Column("removed_date", "Taken down", display=lambda r: format_stored(r.get("removed_date"))),
)


class BriefingChannelsPage(QWidget):
    """Where the briefing was published and promoted besides the agencies it was sent to."""

    changed = Signal(str)

    def __init__(self, store, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("briefing_channels")
        self.store = store
        self.briefing_id: int | None = None
        self._read_only = False

        self.themes_label = QLabel()
        self.themes_label.setWordWrap(True)
        self.themes_label.setAccessibleName("Themes of the briefing")
        self.themes_button = make_button("Themes…", "Tag this briefing with its learning themes",
                                         name="Themes of the briefing")
        self.newsletters = RowsModel(NEWSLETTER_COLUMNS, self)
        self.newsletter_view = record_table("Newsletter issues promoting this briefing", self.newsletters)
        self.newsletter_view.horizontalHeader().setStretchLastSection(True)
        self.issues_button = make_button("Newsletter issues…", "Every issue of the newsletter and what it promoted",
                                         name="Newsletter issues")
        self.website = RowsModel(WEBSITE_COLUMNS, self)
        self.website_view = record_table("This briefing on the website", self.website)
        # The address takes what room is left (it is in the tooltip when cut), the dates their own.
        header = self.website_view.horizontalHeader()
        for column in range(len(WEBSITE_COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.add_post_button = make_button("Add web page…", name="Add the briefing's web page")
        self.edit_post_button = make_button("Edit…", name="Edit the selected web page")
        self.remove_post_button = make_button("Remove", name="Remove the selected web page")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Channels summary")

        top = QHBoxLayout()
        top.addWidget(QLabel("<b>Themes:</b>"))
        top.addWidget(self.themes_label, 1)
        top.addWidget(self.themes_button)
        news_box = QGroupBox("In the newsletter")
        news = QVBoxLayout(news_box)
        news.addWidget(self.newsletter_view, 1)
        news_buttons = QHBoxLayout()
        news_buttons.addStretch(1)
        news_buttons.addWidget(self.issues_button)
        news.addLayout(news_buttons)
        web_box = QGroupBox("On the website")
        web = QVBoxLayout(web_box)
        web.addWidget(self.website_view, 1)
        web_buttons = QHBoxLayout()
        for button in (self.add_post_button, self.edit_post_button, self.remove_post_button):
            web_buttons.addWidget(button)
        web_buttons.addStretch(1)
        web.addLayout(web_buttons)
        boxes = QHBoxLayout()
        boxes.addWidget(news_box, 2)
        boxes.addWidget(web_box, 3)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(boxes, 1)
        layout.addWidget(self.summary)

        self.themes_button.clicked.connect(self.edit_themes)
        self.issues_button.clicked.connect(self.show_issues)
        self.add_post_button.clicked.connect(lambda: self.edit_post(None))
        self.edit_post_button.clicked.connect(self.edit_selected_post)
        self.website_view.activated.connect(self.edit_selected_post)
        self.remove_post_button.clicked.connect(self.remove_post)
        self.website_view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.set_briefing(None)

    def set_briefing(self, briefing_id: int | None) -> None:
        self.briefing_id = briefing_id
        found = channels.channels_by_briefing(self.store, [briefing_id]).get(briefing_id, {}) if briefing_id else {}
        self.newsletters.set_rows(found.get("newsletters", []))
        self.website.set_rows(found.get("website", []))
        if briefing_id is None:
            self.themes_label.setText("")
            self.summary.setText("Choose a briefing.")
        else:
            self.themes_label.setText(themes.tag_labels(self.store, "briefing", [briefing_id]).get(briefing_id)
                                      or "none tagged yet")
            issued = channels.briefing_issued_date(self.store, briefing_id)
            self.summary.setText(html.escape(channels.channels_text(found)) if found else (
                "Not yet on the website or in a newsletter." if issued else
                "A briefing goes on the website and in the newsletter once it is issued."))
        self._update_buttons()

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        self._update_buttons()

    def _current_post(self) -> dict | None:
        index = self.website_view.currentIndex()
        return self.website.data(index, RowRole) if index.isValid() else None

    def _update_buttons(self, *_args) -> None:
        chosen = self.briefing_id is not None
        issued = chosen and bool(channels.briefing_issued_date(self.store, self.briefing_id))
        self.themes_button.setEnabled(chosen)
        self.add_post_button.setEnabled(issued and not self._read_only)
        self.edit_post_button.setEnabled(self._current_post() is not None)
        self.remove_post_button.setEnabled(self._current_post() is not None and not self._read_only)

    def _after(self, table: str) -> None:
        self.set_briefing(self.briefing_id)
        self.changed.emit(table)

    def edit_themes(self) -> None:
        if self.briefing_id is not None and ThemesDialog(
                self.store, "briefing", self.briefing_id, "this briefing", self,
                read_only=self._read_only).exec() and not self._read_only:
            self._after("theme_tags")

    def show_issues(self) -> None:
        dialog = NewsletterIssuesDialog(self.store, self, read_only=self._read_only, briefing_id=self.briefing_id)
        dialog.exec()
        if dialog.changed:
            self._after("newsletter_issues")

    def edit_post(self, post_id: int | None) -> None:
        if self.briefing_id is None:
            return
        if WebPostDialog(self.store, self.briefing_id, post_id, self, read_only=self._read_only).exec() \
                and not self._read_only:
            self._after("briefing_web_posts")

    def edit_selected_post(self, *_args) -> None:
        post = self._current_post()
        if post is not None:
            self.edit_post(post["id"])

    def remove_post(self) -> None:
        post = self._current_post()
        if post is None or self._read_only:
            return
        if confirm(self, "Remove web page", "Remove this web page from the briefing's record?", "Remove"):
            try:
                channels.delete_web_post(self.store, post["id"])
            except ScrdeskError as error:
                show_error(self, error, "Remove web page")
            self._after("briefing_web_posts")
