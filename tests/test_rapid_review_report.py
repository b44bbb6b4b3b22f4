"""A notified case's rapid review report, made on the current demo as a new user would: every one of
the national panel's template headings in order; the dates and the 15-working-day clock (Ref004 on
time in the workspace, Ref002 submitted late on the case); the agency returns with the police's late
one marked; the characteristics by their national labels; the partners' decision and the Panel's
response; a restricted identifier planted in the summary stops it at the gate; no child's name in
the file name or the metadata; a case never notified is refused; the File → Export… entry."""

from __future__ import annotations

import shutil

import pytest

from scrdesk import exports
from scrdesk.cli import main
from scrdesk.documents.anonymise import IdentifiersFound
from scrdesk.documents.rapid_review_report import HEADINGS
from scrdesk.store import referrals
from scrdesk.store.db import Store
from scrdesk.store.demo_current import write_current_demo
from scrdesk.store.rapid_review_report import find_notified_referral, rapid_review_report_data


def pdf_text(path) -> str:
    from pypdf import PdfReader

    return " ".join(" ".join(page.extract_text() for page in PdfReader(str(path)).pages).split())


@pytest.fixture(scope="module")
def current_path(tmp_path_factory):
    return write_current_demo(tmp_path_factory.mktemp("rapid") / "current.db")


@pytest.fixture
def current_copy(current_path, tmp_path):
    copy = tmp_path / "current.db"
    shutil.copy(current_path, copy)
    return copy


def test_ref004s_report_has_each_heading_the_dates_the_returns_and_the_characteristics(current_copy, tmp_path):
    out = tmp_path / "rr.pdf"
    assert main(["--db", str(current_copy), "export", "rapid-review", "Ref004", "--out", str(out)]) == 0
    text = pdf_text(out)
    assert "Rapid review report: Ref004" in text
    places = [text.index(f"{n}. {heading}") for n, heading in enumerate(HEADINGS, 1)]
    assert places == sorted(places)
    # the dates, and the clock: notified Mon 14 Apr 2025, 15 working days (Good Friday, Easter Monday
    # and the 5 May bank holiday not counted) gives Thu 8 May 2025; submitted 6 May
    for line in ("Incident 8 Apr 2025", "Local authority aware 9 Apr 2025", "Considered for notification 11 Apr 2025",
                 "Notified to the national panel 14 Apr 2025", "Rapid review meeting 2 May 2025",
                 "Rapid review due 8 May 2025", "Rapid review submitted 6 May 2025", "Panel response 23 May 2025"):
        assert line in text
    assert "submitted on time" in text
    # the agency returns: the police's came in after day 10
    assert "Fernhallow Police 30 Apr 2025 2 May 2025 Late" in text
    assert "Fernhallow Hospitals NHS Trust 30 Apr 2025 25 Apr 2025 On time" in text
    assert "3 agencies asked; 1 return late." in text
    # the characteristics by their national labels, never codes
    for line in ("Age band Under 1", "Sex Male", "Social care status Child protection plan",
                 "Type of harm Physical abuse", "Death or serious harm Serious harm", "Setting Family home",
                 "Ethnicity Not recorded"):
        assert line in text
    assert "under_1" not in text and "cp_plan" not in text
    assert "Rapid review outcome Local child safeguarding practice review" in text
    assert "Serious harm to a baby on a child protection plan; multi-agency learning likely." in text
    assert "The partners do not suggest a national review." in text
    assert "On 23 May 2025 the Panel agreed with the partners' decision." in text


def test_a_rapid_review_kept_on_the_case_shows_its_late_submission(current_path, tmp_path):
    with Store.open(current_path, readonly=True) as store:
        data = rapid_review_report_data(store, find_notified_referral(store, "Ref002"))
        assert data["workspace"] is False and data["returns"] == []
        assert data["submitted_on_time"] is False
        assert str(data["submission_due"]) == "2024-10-07" and str(data["submitted"]) == "2024-10-10"
        assert data["outcome"] == "No further review" and data["panel_agreed"] == 1
        assert ("Type of harm", "Extra-familial harm") in data["characteristics"]
        rendered = exports.render(store, "rapid_review_report", referral_id=find_notified_referral(store, "Ref002"))
    text = " ".join(t for _, t in rendered.texts)
    assert "submitted late (due 7 Oct 2024)" in text
    assert "No agency returns are recorded" in text and "kept on the case" in text


def test_a_withdrawn_notification_owes_no_rapid_review(current_path):
    with Store.open(current_path, readonly=True) as store:
        rendered = exports.render(store, "rapid_review_report", referral_id=find_notified_referral(store, "Ref005"))
    text = " ".join(t for _, t in rendered.texts)
    assert "The notification was withdrawn on 18 Jul 2025: Medical evidence showed an accidental injury" in text
    assert "none owed: the notification was withdrawn" in text and "not yet submitted" not in text


def test_no_childs_name_in_the_file_name_or_the_metadata(current_copy, tmp_path):
    from pypdf import PdfReader

    with Store.open(current_copy, readonly=True) as store:
        names = [r["value"] for r in store.rows("SELECT value FROM restricted_identifiers")]
        rendered = exports.render(store, "rapid_review_report", referral_id=find_notified_referral(store, "Ref004"))
    assert names and rendered.suggested_name == "rapid-review-Ref004.pdf"
    out = tmp_path / rendered.suggested_name
    assert main(["--db", str(current_copy), "export", "rapid-review", "ref 4", "--out", str(out)]) == 0
    meta = PdfReader(str(out)).metadata
    assert meta.title == "Ref004 rapid review report"
    printed = f"{meta.title} {meta.subject} {meta.author} {meta.keywords} {out.name} {pdf_text(out)}"
    assert not [n for n in names if n in printed]


def test_a_restricted_identifier_planted_in_the_summary_stops_the_export(current_copy, tmp_path, capsys):
    out = tmp_path / "rr.pdf"
    with Store.open(current_copy, user="tester") as store:
        referral_id = find_notified_referral(store, "Ref004")
        name = store.scalar("SELECT value FROM restricted_identifiers WHERE referral_id = ? AND kind = 'name'",
                            [referral_id])
        referrals.update_referral(store, referral_id, {"summary": f"Fractures to {name}"})
        logged = store.scalar("SELECT count(*) FROM document_log")
        with pytest.raises(IdentifiersFound, match="Summary"):
            exports.export_rapid_review_report(store, referral_id, out)
        assert not out.exists()
        assert store.scalar("SELECT count(*) FROM document_log") == logged
    assert main(["--db", str(current_copy), "export", "rapid-review", "Ref004", "--out", str(out)]) != 0
    assert not out.exists()
    assert name not in capsys.readouterr().err


def test_a_case_never_notified_or_a_wrong_file_type_is_refused(current_copy, tmp_path, capsys):
    out = tmp_path / "rr.pdf"
    assert main(["--db", str(current_copy), "export", "rapid-review", "Ref003", "--out", str(out)]) != 0
    assert "Ref003 was not notified to the national panel" in capsys.readouterr().err
    assert main(["--db", str(current_copy), "export", "rapid-review", "Ref999", "--out", str(out)]) != 0
    assert "There is no referral 'Ref999'" in capsys.readouterr().err
    assert main(["--db", str(current_copy), "export", "rapid-review", "Ref004",
                 "--out", str(tmp_path / "rr.docx")]) != 0
    assert not out.exists() and not (tmp_path / "rr.docx").exists()


def test_file_export_offers_the_rapid_review_report_for_a_chosen_notified_case(qtbot, current_path):
    from scrdesk.ui.documents import DOCUMENT_KINDS, ExportDialog

    with Store.open(current_path, readonly=True) as store:
        dialog = ExportDialog(store)
        qtbot.addWidget(dialog)
        dialog.select("rapid_review_report")
        assert dialog.pages.currentIndex() == list(DOCUMENT_KINDS).index("rapid_review_report")
        offered = [dialog.rapid_case.itemText(i) for i in range(dialog.rapid_case.count())]
        # only notified cases, newest first; the withdrawn one says so
        assert [o.split(" ")[0] for o in offered] == ["Ref009", "Ref006", "Ref005", "Ref004", "Ref002", "Ref001"]
        assert "Ref005 – notified 8 Jul 2025 (withdrawn)" in offered
        dialog.rapid_case.setCurrentIndex(offered.index("Ref004 – notified 14 Apr 2025"))
        kind, params = dialog.selected()
        assert (kind, params) == ("rapid_review_report",
                                  {"referral_id": find_notified_referral(store, "Ref004"), "fmt": "pdf"})
        params.pop("fmt")
        rendered = exports.render(store, kind, **params)
        assert rendered.suggested_name == "rapid-review-Ref004.pdf" and rendered.pages == 2
