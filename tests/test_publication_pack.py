"""A review's publication pack, made through the command line as a new user would: the seed demo's
Ref021 pack lists its checklist (who did what, when; the coroner "not needed" with why) and the 1:1
media interviews; the pre-publication copy deadline and when each copy went for a review under
Working Together 2018; a decision not to publish leads with its reasons; a name planted in a
checklist note stops the pack at the gate; an unknown ref; the File → Export… entry."""

from __future__ import annotations

from datetime import date

import pytest

from scrdesk import exports
from scrdesk.cli import main
from scrdesk.documents.anonymise import IdentifiersFound
from scrdesk.store import publication, statutory
from scrdesk.store.db import Store
from scrdesk.store.publication_pack import find_review, publication_pack_data


def pdf_text(path) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(str(path)).pages)


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_ref021s_pack_lists_its_checklist_and_the_one_to_one_media_interviews(demo_path, tmp_path):
    out = tmp_path / "pack.pdf"
    assert main(["--db", str(demo_path), "export", "publication-pack", "Ref021", "--out", str(out)]) == 0
    text = _flat(pdf_text(out))
    assert "Publication pack: Ref021" in text
    assert ("Serious Case Review · under Working Together 2015 · Child A · Published · publication decision: Publish"
            in text)
    # each step in order, with its date and who did it
    for line in ("Family told and offered a reading 12 Jan 2017 Independent author and Project Officer",
                 "Police cleared 15 Dec 2016", "CPS cleared 20 Dec 2016",
                 "Media plan agreed 5 Jan 2017 NSCB Business Manager",
                 "Press statement agreed 24 Jan 2017", "Partner communications leads told 19 Jan 2017",
                 "Copies sent 26 Jan 2017 NSCB Project Officer"):
        assert line in text
    assert "Coroner cleared Not needed Not needed: the child survived; there was no inquest." in text
    assert "8/8 checklist steps done or not needed" in text
    assert "Media handling 1:1 interviews with the independent chair" in text
    assert "1:1 interviews between the Independent Chair and the media instead of an open session" in text
    assert "Web address https://www.nscb.example.org.uk/scr/ref021" in text
    assert "Date published 26 Jan 2017" in text and "Removal date 26 Jan 2018" in text
    # Working Together 2015 set no pre-publication copy deadline; the date sent to the panel stands in
    assert "Pre-publication copy deadline None under Working Together 2015 for this review" in text
    assert "8 Dec 2016 (the date the report was sent to the national panel)" in text
    assert "Still to do" not in text

    from pypdf import PdfReader

    meta = PdfReader(str(out)).metadata
    assert meta.title == "Ref021 publication pack" and "Child A" not in (meta.subject or "")
    with Store.open(demo_path, user="tester") as store:
        logged = store.row("SELECT kind, subject FROM document_log")
    assert logged == {"kind": "publication_pack", "subject": "Ref021"}


def test_the_copy_deadline_is_seven_working_days_before_the_planned_date(demo):
    review_id = find_review(demo, "ref 53")
    # Ref053 as if decided under the 2018 arrangements, as an LCSPR
    with demo.transaction():
        demo.update("reviews", review_id, {"framework": "wt2018", "review_type": "LCSPR"})
    statutory.plan_publication(demo, review_id, date(2017, 9, 15))
    statutory.record_publication_copies(demo, review_id, panel_sos=date(2017, 9, 1), ofsted=date(2017, 9, 8))
    publication.save_step(demo, review_id, "family_told", done_date="2017-08-30", done_by="Project Officer")

    data = publication_pack_data(demo, review_id)
    # Fri 15 Sep 2017 less 7 working days is Wed 6 Sep
    assert data["deadline"] == date(2017, 9, 6) and data["deadline_from"] == "planned"
    rendered = exports.render(demo, "publication_pack", review_id=review_id)
    text = _flat(" ".join(t for _, t in rendered.texts))
    assert "6 Sep 2017, 7 working days before the planned date" in text
    assert "Copy to the Panel and the Secretary of State 1 Sep 2017, on time" in text
    assert "Copy to Ofsted 8 Sep 2017, 2 days after the deadline" in text
    assert "1/8 checklist steps done or not needed" in text
    assert "Still to do: Police cleared; CPS cleared" in text


def test_a_decision_not_to_publish_leads_the_pack_with_its_reasons(demo):
    review_id = find_review(demo, "Ref053")
    with demo.transaction():
        demo.update("reviews", review_id, {"framework": "wt2018", "review_type": "LCSPR"})
    statutory.decide_not_to_publish(demo, review_id, date(2017, 6, 20),
                                    "Publication would identify the surviving siblings.", date(2017, 6, 22))
    rendered = exports.render(demo, "publication_pack", review_id=review_id)
    headings = [t for where, t in rendered.texts if where[:1].isdigit()]
    assert headings[:2] == ["1. Decision not to publish", "2. Dates and copies"]
    text = _flat(" ".join(t for _, t in rendered.texts))
    assert "Publication would identify the surviving siblings." in text
    assert "Decided 20 Jun 2017" in text and "Decision sent to the Panel 22 Jun 2017" in text
    assert "Pre-publication copy deadline None: it was decided not to publish" in text
    assert "published: decided not to publish" in text
    assert publication_pack_data(demo, review_id)["deadline"] is None


def test_a_name_planted_in_a_checklist_note_stops_the_pack(demo_path, tmp_path, capsys):
    with Store.open(demo_path, user="tester") as store:
        name = store.scalar("SELECT value FROM restricted_identifiers WHERE kind = 'name' LIMIT 1")
        review_id = find_review(store, "Ref021")
        publication.save_step(store, review_id, "family_told", done_date="2017-01-12", done_by="Project Officer",
                              note=f"Read with {name}'s mother")
        out = tmp_path / "pack.pdf"
        with pytest.raises(IdentifiersFound, match="The checklist"):
            exports.export_publication_pack(store, review_id, out)
        assert not out.exists()
        assert store.scalar("SELECT count(*) FROM document_log") == 0
    assert main(["--db", str(demo_path), "export", "publication-pack", "Ref021", "--out", str(out)]) != 0
    assert not out.exists()
    assert name not in capsys.readouterr().err


def test_an_unknown_review_or_a_wrong_file_type_is_refused(demo_path, tmp_path, capsys):
    out = tmp_path / "pack.pdf"
    assert main(["--db", str(demo_path), "export", "publication-pack", "Ref999", "--out", str(out)]) != 0
    assert "There is no review 'Ref999'" in capsys.readouterr().err
    assert main(["--db", str(demo_path), "export", "publication-pack", "Ref021",
                 "--out", str(tmp_path / "pack.docx")]) != 0
    assert not out.exists() and not (tmp_path / "pack.docx").exists()


def test_file_export_offers_the_publication_pack_for_a_chosen_review(qtbot, demo):
    from scrdesk.ui.documents import DOCUMENT_KINDS, ExportDialog

    dialog = ExportDialog(demo)
    qtbot.addWidget(dialog)
    dialog.select("publication_pack")
    assert dialog.pages.currentIndex() == list(DOCUMENT_KINDS).index("publication_pack")
    dialog.publication_review.setCurrentIndex(dialog.publication_review.findText("Ref021"))
    kind, params = dialog.selected()
    assert (kind, params) == ("publication_pack", {"review_id": find_review(demo, "Ref021"), "fmt": "pdf"})
    params.pop("fmt")
    rendered = exports.render(demo, kind, **params)
    assert rendered.suggested_name == "publication-pack-Ref021.pdf" and rendered.pages == 1
