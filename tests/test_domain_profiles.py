"""Framework profiles: the shipped data, the rules in it, choosing by date, and bad files."""

import json
from datetime import date

import pytest

from scrdesk.domain import profiles as profiles_module
from scrdesk.domain.errors import InvalidValue, ScrdeskError
from scrdesk.domain.profiles import (
    Profile,
    all_decision_codes,
    decision_code_from_text,
    get_profile,
    load_profiles,
    profile_in_force,
    profiles_dir,
)
from scrdesk.domain.timescales import due_date
from scrdesk.domain.values import MILESTONE_KINDS

D = date

LEGACY = {
    "NFA": "No further action required",
    "SINGLE_AGENCY": "Single Agency Review",
    "CASE_MAPPING": "Case Mapping Exercise",
    "THEMATIC": "Thematic Learning Review",
    "SCR": "Serious Case Review",
}
METHODOLOGIES = {
    "traditional", "welsh_cpr_concise", "welsh_cpr_extended", "scie_learning_together", "silp",
    "case_mapping", "single_agency", "other",
}


def rules_of(profile: Profile) -> dict:
    return {r.key: (r.offset, r.unit) for r in profile.timescales}


def test_shipped_profiles_load():
    loaded = load_profiles()
    assert list(loaded) == ["wt2015", "wt2018", "cpr_wales"]
    assert all(isinstance(p, Profile) for p in loaded.values())
    assert {p.source for p in loaded.values()} == {"wt2015.json", "wt2018.json", "cpr_wales.json"}


def test_profiles_are_cached_and_callers_cannot_break_the_cache():
    first = load_profiles()
    first.pop("wt2015")
    assert "wt2015" in load_profiles()
    assert load_profiles()["wt2018"] is get_profile("wt2018")


def test_wt2015():
    p = get_profile("wt2015")
    assert p.name == "Working Together 2015"
    assert p.jurisdiction == "england"
    assert (p.in_force_from, p.in_force_to) == (D(2015, 3, 26), D(2018, 6, 28))
    assert p.decision_codes == ("NFA", "SINGLE_AGENCY", "CASE_MAPPING", "THEMATIC", "SCR")
    assert p.decision_labels() == LEGACY
    assert rules_of(p) == {
        "sin_after_aware": (5, "working_days"),
        "decision_after_notification": (1, "months"),
        "panel_told_no_scr": (14, "days"),
        "scr_initiated_told": (5, "working_days"),
        "completion_after_initiation": (6, "months"),
        "local_review_target": (6, "months"),
        "published_kept_online": (12, "months"),
    }
    assert set(p.methodologies) == METHODOLOGIES


def test_wt2018():
    p = get_profile("wt2018")
    assert p.name == "Working Together 2018/2023"
    assert (p.in_force_from, p.in_force_to) == (D(2018, 6, 29), None)
    assert p.decision_codes == (
        "NFA", "RAPID_REVIEW", "LCSPR", "NATIONAL", "LOCAL_LEARNING", "LINKED", "SINGLE_AGENCY", "CASE_MAPPING",
    )
    assert p.label("RAPID_REVIEW") == "Rapid review"
    assert p.label("LCSPR") == "Local Child Safeguarding Practice Review"
    assert p.label("NATIONAL") == "Referred for national review"
    assert p.label("LOCAL_LEARNING") == "Other local learning review"
    assert p.label("LINKED") == "Joint/linked with SAR or DHR"
    for code, text in LEGACY.items():  # old SCRs still show their names under the new profile
        assert p.label(code) == text
    assert rules_of(p) == {
        "sin_after_aware": (5, "working_days"),
        "rapid_review_after_notification": (15, "working_days"),
        "lcspr_completion_after_decision": (6, "months"),
        "panel_report_before_publication": (-7, "working_days"),
        "local_review_target": (6, "months"),
        "published_kept_online": (12, "months"),
    }
    assert set(p.methodologies) == METHODOLOGIES | {"rapid_review"}


def test_welsh_profile_is_data_only():
    p = get_profile("cpr_wales")
    assert p.jurisdiction == "wales"
    assert (p.in_force_from, p.in_force_to) == (D(2013, 1, 1), None)
    assert p.label("CPR_CONCISE") == "Concise Child Practice Review"
    assert p.label("CPR_EXTENDED") == "Extended Child Practice Review"
    assert {"welsh_cpr_concise", "welsh_cpr_extended"} <= set(p.methodologies)
    assert p.notification_label == "Notification to Care Inspectorate Wales"
    assert p.value_label("MEETING_KINDS", "scr_subgroup") == "Child Practice Review sub group"
    assert p.value_label("MILESTONE_KINDS", "submitted_to_panel") == "Sent to Welsh Government"
    assert p.value_label("MEETING_KINDS", "board") == "Board"  # no override: canonical label
    assert due_date(p.rule("cpr_completion_after_decision"), D(2017, 1, 31)) == D(2017, 7, 31)


def test_label_never_crashes():
    p = get_profile("wt2015")
    assert p.label("SCR") == "Serious Case Review"
    assert p.label("RAPID_REVIEW") == "RAPID_REVIEW"
    assert p.label("nonsense") == "nonsense"
    assert p.label(None) == ""
    assert p.methodology_label("traditional") == "Traditional (IMRs and overview report)"
    assert p.methodology_label("made_up") == "made_up"
    assert p.methodology_label(None) == ""
    assert p.value_label("NO_SUCH_LIST", "x") == "x"


def test_rule_lookup_and_due_dates():
    p15, p18 = get_profile("wt2015"), get_profile("wt2018")
    assert p15.rule("rapid_review_after_notification") is None
    rule = p15.rule("sin_after_aware")
    assert (rule.trigger, rule.offset, rule.unit) == ("la_aware_date", 5, "working_days")
    assert due_date(rule, D(2017, 4, 12)) == D(2017, 4, 21)  # over Easter
    assert due_date(p15.rule("decision_after_notification"), D(2017, 1, 31)) == D(2017, 2, 28)
    assert due_date(p15.rule("completion_after_initiation"), D(2017, 2, 5)) == D(2017, 8, 5)
    assert due_date(p15.rule("panel_told_no_scr"), D(2017, 3, 20)) == D(2017, 4, 3)
    assert due_date(p18.rule("rapid_review_after_notification"), D(2021, 12, 20)) == D(2022, 1, 13)
    assert due_date(p18.rule("panel_report_before_publication"), D(2023, 1, 6)) == D(2022, 12, 23)
    assert due_date(p18.rule("published_kept_online"), D(2020, 2, 29)) == D(2021, 2, 28)


def test_every_shipped_milestone_kind_is_canonical():
    for p in load_profiles().values():
        for code, m in p.methodologies.items():
            kinds = [kind for kind, _ in p.methodology_milestones(code)]
            assert kinds, (p.code, code)
            assert set(kinds) <= set(MILESTONE_KINDS), (p.code, code, set(kinds) - set(MILESTONE_KINDS))
            assert len(kinds) == len(set(kinds)), (p.code, code)
            assert m.label


def test_traditional_milestones():
    steps = get_profile("wt2015").methodology_milestones("traditional")
    assert steps[0] == ("scoping_tor", "Scoping and terms of reference")
    assert ("agency_reports_requested", "IMRs requested") in steps
    assert steps[-2:] == [("practitioner_debrief", "Practitioner de-brief"), ("wider_debrief", "Wider de-brief")]
    assert get_profile("wt2015").methodology_milestones("rapid_review") == []
    assert get_profile("wt2015").methodology_milestones(None) == []


def test_rapid_review_timeline():
    p = get_profile("wt2018")
    kinds = [k for k, _ in p.methodology_milestones("rapid_review")]
    assert kinds == [
        "notification", "agency_letters", "agency_summaries", "review_meeting", "board_signoff", "submitted_to_panel",
    ]
    # Notification Fri 16 Sep 2022; the Queen's funeral on Mon 19 Sep is not a working day
    planned = {k: d for k, _, d in p.methodology("rapid_review").planned_dates(D(2022, 9, 16))}
    assert planned["notification"] == D(2022, 9, 16)
    assert planned["agency_letters"] == D(2022, 9, 20)
    assert planned["agency_summaries"] == D(2022, 10, 3)
    assert planned["review_meeting"] == D(2022, 10, 5)
    assert planned["submitted_to_panel"] == D(2022, 10, 10)
    assert planned["submitted_to_panel"] == due_date(p.rule("rapid_review_after_notification"), D(2022, 9, 16))
    assert all(d is None for _, _, d in p.methodology("traditional").planned_dates(D(2022, 9, 16)))


@pytest.mark.parametrize(
    "d, code",
    [
        (D(2014, 6, 1), "wt2015"),  # before the oldest profile: the oldest rules
        (D(2015, 3, 26), "wt2015"),
        (D(2017, 2, 5), "wt2015"),
        (D(2018, 6, 28), "wt2015"),
        (D(2018, 6, 29), "wt2018"),
        (D(2024, 1, 1), "wt2018"),
        (None, "wt2018"),
    ],
)
def test_profile_in_force_england(d, code):
    assert profile_in_force(d).code == code


def test_profile_in_force_wales():
    assert profile_in_force(D(2017, 2, 5), "wales").code == "cpr_wales"
    assert profile_in_force(None, "Wales").code == "cpr_wales"
    with pytest.raises(ScrdeskError):
        profile_in_force(D(2017, 2, 5), "scotland")


def test_get_profile_unknown():
    with pytest.raises(ScrdeskError, match="wt2099"):
        get_profile("wt2099")


def test_all_decision_codes():
    codes = all_decision_codes()
    assert codes[:5] == ["NFA", "SINGLE_AGENCY", "CASE_MAPPING", "THEMATIC", "SCR"]
    assert set(codes) == set(LEGACY) | {
        "RAPID_REVIEW", "LCSPR", "NATIONAL", "LOCAL_LEARNING", "LINKED", "CPR_CONCISE", "CPR_EXTENDED", "MAPF",
    }
    assert len(codes) == len(set(codes))


@pytest.mark.parametrize(
    "text, code",
    [
        ("case mapping exercise", "CASE_MAPPING"),
        ("Case Mapping Exercise", "CASE_MAPPING"),
        ("  CASE   MAPPING  exercise ", "CASE_MAPPING"),
        ("CASE_MAPPING", "CASE_MAPPING"),
        ("case mapping", "CASE_MAPPING"),
        ("No further action required", "NFA"),
        ("nfa", "NFA"),
        ("Serious Case Review", "SCR"),
        ("scr", "SCR"),
        ("Thematic Learning Review", "THEMATIC"),
        ("single agency review", "SINGLE_AGENCY"),
        ("Local Child Safeguarding Practice Review", "LCSPR"),
        ("lcspr", "LCSPR"),
        ("Rapid review", "RAPID_REVIEW"),
        ("Joint/linked with SAR or DHR", "LINKED"),
        ("joint linked with sar or dhr", "LINKED"),
        ("Concise CPR", "CPR_CONCISE"),
        ("Extended Child Practice Review", "CPR_EXTENDED"),
    ],
)
def test_decision_code_from_text(text, code):
    assert decision_code_from_text(text) == code


@pytest.mark.parametrize("text", ["Case review", "maybe", "", None, "SCR please"])
def test_decision_code_from_text_refuses(text):
    with pytest.raises(InvalidValue) as caught:
        decision_code_from_text(text)
    assert caught.value.field == "Decision"
    assert "CASE_MAPPING" in caught.value.message


# --- data files: a new profile is a file; a broken one is named exactly ----------------------


def shipped(name: str) -> dict:
    return json.loads((profiles_dir() / f"{name}.json").read_text(encoding="utf-8"))


def write(folder, name, data):
    (folder / f"{name}.json").write_text(json.dumps(data), encoding="utf-8")


def test_a_new_framework_needs_only_a_file(tmp_path, monkeypatch):
    for name in ("wt2015", "wt2018", "cpr_wales"):
        write(tmp_path, name, shipped(name))
    future = shipped("wt2018")
    future.update(
        code="wt2030", name="Working Together 2030", in_force_from="2030-01-01",
        labels={**future["labels"], "PEER_REVIEW": "Peer learning review"},
        decision_codes=["NFA", "PEER_REVIEW"],
    )
    write(tmp_path, "wt2030", future)
    profiles_module.clear_cache()
    monkeypatch.setattr(profiles_module, "profiles_dir", lambda: tmp_path)
    try:
        assert profile_in_force(D(2031, 5, 1)).code == "wt2030"
        assert profile_in_force(D(2029, 12, 31)).code == "wt2018"
        assert decision_code_from_text("peer learning review") == "PEER_REVIEW"
        assert "PEER_REVIEW" in all_decision_codes()
    finally:
        profiles_module.clear_cache()


def broken(tmp_path, change):
    data = shipped("wt2015")
    change(data)
    write(tmp_path, "broken", data)
    with pytest.raises(ScrdeskError) as caught:
        load_profiles(tmp_path)
    return str(caught.value)


@pytest.mark.parametrize(
    "change, key",
    [
        (lambda d: d.pop("labels"), "'labels' is missing"),
        (lambda d: d.update(jurisdiction="England"), "'jurisdiction'"),
        (lambda d: d.update(in_force_from="26/03/2015"), "'in_force_from'"),
        (lambda d: d.update(in_force_to="2014-01-01"), "'in_force_to' is before"),
        (lambda d: d.update(decision_codes=["NFA", "XYZ"]), "'decision_codes[1]' XYZ has no entry"),
        (lambda d: d.update(decision_codes=[]), "'decision_codes'"),
        (lambda d: d.update(timescale=[]), "'timescale' is not a profile key"),
        (lambda d: d["timescales"][2].update(unit="weeks"), "'timescales[2].unit'"),
        (lambda d: d["timescales"][0].update(offset="5"), "'timescales[0].offset'"),
        (lambda d: d["timescales"][1].update(trigger="whenever"), "'timescales[1].trigger'"),
        (lambda d: d["timescales"][1].update(key="sin_after_aware"), "'timescales[1].key' sin_after_aware is given twice"),
        (lambda d: d["timescales"][3].pop("label"), "'timescales[3].label'"),
        (lambda d: d["methodologies"]["silp"].update(milestones=[]), "'methodologies.silp.milestones'"),
        (lambda d: d["methodologies"]["silp"]["milestones"][2].pop("kind"), "'methodologies.silp.milestones[2].kind'"),
        (lambda d: d["methodologies"]["silp"]["milestones"][0].update(day=-1), "'methodologies.silp.milestones[0].day'"),
        (lambda d: d["labels"].update(SCR=""), "'labels.SCR'"),
        (lambda d: d["value_labels"].update(NOPE={}), "'value_labels.NOPE'"),
        (lambda d: d["value_labels"]["MEETING_KINDS"].update(nope="x"), "'value_labels.MEETING_KINDS.nope'"),
        (lambda d: d["decision_aliases"].update(Foo="BAR"), "'decision_aliases.Foo'"),
        (lambda d: d["decision_aliases"].update({"Serious Case Review": "NFA"}), "already means SCR"),
    ],
)
def test_a_malformed_profile_names_the_file_and_key(tmp_path, change, key):
    message = broken(tmp_path, change)
    assert message.startswith("Framework profile broken.json: ")
    assert key in message


def test_invalid_json_names_the_file_and_line(tmp_path):
    (tmp_path / "bad.json").write_text('{\n  "code": "x",\n  oops\n}', encoding="utf-8")
    with pytest.raises(ScrdeskError, match=r"bad\.json: not valid JSON at line 3"):
        load_profiles(tmp_path)


def test_duplicate_codes_and_empty_folders(tmp_path):
    with pytest.raises(ScrdeskError, match="No framework profiles"):
        load_profiles(tmp_path)
    write(tmp_path, "a", shipped("wt2015"))
    write(tmp_path, "b", shipped("wt2015"))
    with pytest.raises(ScrdeskError, match="b.json: 'code' wt2015 is also used by a.json"):
        load_profiles(tmp_path)


def test_comment_keys_are_allowed(tmp_path):
    data = shipped("cpr_wales")
    data["_why"] = "maintainers' note"
    write(tmp_path, "wales", data)
    assert list(load_profiles(tmp_path)) == ["cpr_wales"]
