"""The inspection evidence pack: a contents page whose page numbers are right, a PDF bookmark for
each section landing on that section's page, the period given with --from/--to, and refusals."""

from __future__ import annotations

from scrdesk.cli import main
from scrdesk.store.db import Store
from scrdesk.store.evidence_pack import SECTIONS, evidence_pack_data


def test_the_pack_has_a_bookmark_for_each_section_on_its_own_page(demo_path, tmp_path):
    from pypdf import PdfReader

    out = tmp_path / "pack.pdf"
    assert main(["--db", str(demo_path), "export", "evidence-pack", "--out", str(out),
                 "--from", "2016-04-01", "--to", "2017-03-31"]) == 0
    reader = PdfReader(str(out))
    titles = [f"{i + 1}. {title}" for i, (_, title) in enumerate(SECTIONS)]
    outline = [(item.title, reader.get_destination_page_number(item)) for item in reader.outline]
    assert [t for t, _ in outline] == ["Contents", *titles]
    contents = reader.pages[0].extract_text()
    for title, page in outline[1:]:
        assert title in reader.pages[page].extract_text()  # the bookmark lands on its section
        assert f"{title}\n{page + 1}\n" in contents  # and the contents page gives the same page
    pages = [p for _, p in outline]
    assert pages == sorted(pages) and len(set(pages)) == len(pages)


def test_the_period_chooses_what_is_in_the_pack(demo):
    from datetime import date

    whole = evidence_pack_data(demo, date(2016, 4, 1), date(2017, 3, 31))
    assert whole["period"] == {"start": "2016-04-01", "end": "2017-03-31"}
    assert all("2016-04-01" <= d["decision_date"] <= "2017-03-31" for d in whole["decisions"])
    assert len(whole["decisions"]) == 10  # the year's ten referrals, each decided in it
    assert all(d["rationale"] for d in whole["decisions"])
    assert all("2016-04-01" <= d["sent_date"] <= "2017-03-31" for d in whole["dissemination"])
    later = evidence_pack_data(demo, date(2017, 4, 1), date(2017, 6, 30))
    assert {d["ref"] for d in later["decisions"]}.isdisjoint({d["ref"] for d in whole["decisions"]})
    # Without dates: the three years up to the file's as-at date.
    default = evidence_pack_data(demo)
    assert default["period"]["end"] == demo.settings().today().isoformat()
    assert default["period"]["start"][:4] == str(demo.settings().today().year - 3)


def test_a_period_backwards_is_refused_and_nothing_written(demo_path, tmp_path, capsys):
    out = tmp_path / "pack.pdf"
    assert main(["--db", str(demo_path), "export", "evidence-pack", "--out", str(out),
                 "--from", "2018-04-01", "--to", "2017-03-31"]) != 0
    assert "From date" in capsys.readouterr().err and not out.exists()
    assert main(["--db", str(demo_path), "export", "evidence-pack", "--out", str(tmp_path / "pack.docx")]) != 0


def test_the_pack_is_logged_and_names_no_child(demo_path, tmp_path):
    from pypdf import PdfReader

    out = tmp_path / "pack.pdf"
    assert main(["--db", str(demo_path), "export", "evidence-pack", "--out", str(out)]) == 0
    with Store.open(demo_path, readonly=True) as store:
        row = store.row("SELECT kind, identifier_hits FROM document_log ORDER BY id DESC LIMIT 1")
        pseudonyms = [r["pseudonym"] for r in store.rows("SELECT pseudonym FROM referrals WHERE pseudonym IS NOT NULL")]
    assert row == {"kind": "evidence_pack", "identifier_hits": 0}
    text = "\n".join(p.extract_text() for p in PdfReader(str(out)).pages)
    assert pseudonyms and not any(p in text for p in pseudonyms)


def test_the_action_plan_lists_open_actions_and_those_completed_in_the_period(demo):
    from datetime import date

    data = evidence_pack_data(demo, date(2016, 10, 1), date(2017, 3, 31))
    groups = data["actions"]["agencies"]
    listed = [a for g in groups for a in g["actions"]]
    assert all(a["rag"]["colour"] != "blue" or "2016-10-01" <= (a["signoff_date"] or "2017-03-31") <= "2017-03-31"
               for a in listed)
    before = sum(g["completed_before"] for g in groups)
    assert before > 0  # the demo has actions signed off before October 2016
    assert len(listed) + before == demo.scalar("SELECT count(*) FROM actions")
