"""The themes report (PDF and Excel): which learning themes recur across reviews, in which reviews
and reporting years, the actions still open under each, and a chart; from
`store.themes_report.themes_report_data()`.
"""

from __future__ import annotations

from scrdesk.documents.style import (
    MM,
    BuildResult,
    Content,
    Letterhead,
    build_pdf,
    date_text,
    frame_width,
)


def _summary(data: dict) -> str:
    themes, recurring = data["themes"], data["recurring"]
    if not themes:
        return "No theme is recorded against any review yet."
    text = (f"{len(themes)} theme{'s' if len(themes) != 1 else ''} recorded across reviews; "
            f"{len(recurring)} recur{'s' if len(recurring) == 1 else ''} in two or more reviews.")
    if data.get("source") == "briefings":
        text += " Themes are read from the briefings' learning themes, as no review is tagged with a theme."
    return text


def _rows(themes: list[dict]) -> list[list[str]]:
    return [[t["label"], str(t["review_count"]), ", ".join(r["ref"] for r in t["reviews"]), ", ".join(t["years"]),
             str(t["open_actions"])] for t in themes]


HEADER = ["Theme", "Reviews", "In which reviews", "Years", "Open actions"]


def build_themes_report(data: dict, letterhead: Letterhead) -> BuildResult:
    from scrdesk.documents import charts

    content = Content()
    width = frame_width()
    content.add_para("Themes across reviews", "title", "the title")
    content.add_para(f"{data['board_name']} · as at {date_text(data['as_at'])}", "subtitle", "the subtitle")
    content.add_para(_summary(data), "body", "Summary")
    drawing = charts.themes(data["themes"], width)
    if drawing is not None:
        content.add(drawing)
    if data["recurring"]:
        content.heading("Themes that recur")
        content.add(content.table(HEADER, _rows(data["recurring"]), [w * MM for w in (48, 16, 60, 34, 20)],
                                  where="Recurring themes"))
    once = [t for t in data["themes"] if t["review_count"] < 2]
    if once:
        content.heading("Themes found in one review")
        content.add(content.table(HEADER, _rows(once), [w * MM for w in (48, 16, 60, 34, 20)], where="Other themes"))
    if data["recurring"]:
        content.heading("The reviews behind each recurring theme")
        for t in data["recurring"]:
            content.heading(t["label"], 2)
            content.add(content.table(["Ref", "Review", "Year", "Open actions"],
                                      [[r["ref"], r["title"], r["year"], str(r["open_actions"])] for r in t["reviews"]],
                                      [w * MM for w in (24, 104, 26, 24)], where=f"Theme {t['label']}"))
    return build_pdf(content, letterhead)


def themes_xlsx(data: dict, letterhead: Letterhead):
    from scrdesk.documents.xlsx import _Book

    book = _Book(letterhead)
    book.sheet("Themes", HEADER, [[t["label"], t["review_count"], ", ".join(r["ref"] for r in t["reviews"]),
                                   ", ".join(t["years"]), t["open_actions"]] for t in data["themes"]],
               [34, 10, 40, 24, 14], intro=[f"Themes across reviews, as at {date_text(data['as_at'])}",
                                            (letterhead.marking or "OFFICIAL-SENSITIVE").upper(), _summary(data)])
    book.sheet("Reviews by theme", ["Theme", "Ref", "Review", "Year", "Open actions"],
               [[t["label"], r["ref"], r["title"], r["year"], r["open_actions"]]
                for t in data["themes"] for r in t["reviews"]], [34, 14, 50, 12, 14])
    return book.result()
