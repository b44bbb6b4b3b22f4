"""A small, fictional data set for the document and export tests (the demo may change; these
tests must not), and a check that it holds what the other tests rely on."""

from __future__ import annotations

from scrdesk.store.papers import briefing_data, paper_data

UNICODE_SUMMARY = "Siân’s case – Łódź & <Cardiff> “quoted”"

SIX_STEPS = {
    "background": "A 6-week-old baby girl lived with her mother and her mother's partner. The family "
                  "were known to health visiting and, briefly, to children's social care.\n"
                  "Both parents were young; the mother had been a looked-after child.",
    "safeguarding_concerns": "Domestic abuse between the adults was reported twice in the pregnancy.\n"
                             "A small bruise was seen at 4 weeks and explained as caused by a dummy clip.",
    "incident": "At 6 weeks the baby was taken to hospital with fractures found to be non-accidental.",
    "review": "A Serious Case Review using a traditional methodology, covering the pregnancy to the incident.",
    "findings": "1. Bruising in a non-mobile baby must always be referred & followed up.\n"
                "2. Information about the mother's partner was not shared.",
    "recommendations": "1. Adopt the bruising protocol for non-mobile babies.\n2. Record every adult in the household.",
    "good_practice": "The emergency department referred the injuries at once.",
    "changes_to_practice": "The bruising protocol was launched in March 2017; 400 staff were briefed.",
}


def make_sample(store) -> dict:
    """Insert the sample; returns ids the tests use."""
    ids: dict = {}
    store.set_settings({"board_name": "Northshire Safeguarding Children Partnership",
                        "as_at_date": "2017-06-14", "default_framework": "wt2015"})
    la = store.insert("agencies", {"name": "Northshire County Council Children's Services", "short_name": "NCC",
                                   "type": "la_childrens", "lead_name": "Pat Example",
                                   "lead_email": "pat.example@northshire.example"})
    police = store.insert("agencies", {"name": "Northshire Police", "short_name": "Police", "type": "police",
                                       "lead_name": "Sam Sample", "lead_email": "sam.sample@police.example"})
    health = store.insert("agencies", {"name": "Northshire General Hospital", "short_name": "NGH",
                                       "type": "health_provider"})
    ids.update(la=la, police=police, health=health)

    r21 = store.insert("referrals", {
        "ref": "Ref021", "pseudonym": "Child A", "summary": "Significant non-accidental injury",
        "location": "Kettering", "gender": "female", "age_weeks": 6, "received_date": "2015-03-02",
        "decision": "SCR", "decision_date": "2015-03-20", "framework": "wt2015"})
    r53 = store.insert("referrals", {
        "ref": "Ref053", "summary": "Extreme neglect and cruelty", "location": "Northampton", "gender": "male",
        "age_years": 12, "received_date": "2017-01-10", "decision": "SCR", "decision_date": "2017-02-05",
        "framework": "wt2015"})
    r58 = store.insert("referrals", {
        "ref": "Ref058", "summary": UNICODE_SUMMARY, "location": "Wellingborough", "gender": "not_known",
        "age_months": 4, "received_date": "2017-05-20", "source": "sin", "recommendation": "CASE_MAPPING",
        "framework": "wt2015"})
    ids.update(r21=r21, r53=r53, r58=r58)
    store.insert("restricted_identifiers", {"referral_id": r21, "kind": "name", "value": "Bethan Zyx"})
    store.insert("restricted_identifiers", {"referral_id": r21, "kind": "date_of_birth", "value": "2014-12-01"})

    v21 = store.insert("reviews", {
        "title": "Ref021 SCR", "review_type": "SCR", "methodology": "traditional", "status": "published",
        "framework": "wt2015", "lead_reviewer": "Independent Author One", "agreed_date": "2015-03-20",
        "initiated_date": "2015-04-15", "completed_date": "2016-09-30", "published_date": "2017-01-26",
        "publication_decision": "publish"})
    v53 = store.insert("reviews", {
        "title": "Ref053 SCR", "review_type": "SCR", "methodology": "welsh_cpr_extended", "status": "underway",
        "framework": "wt2015", "lead_reviewer": "Independent Reviewer Two", "agreed_date": "2017-02-05",
        "initiated_date": "2017-02-05", "publication_decision": "to_be_decided"})
    store.insert("review_referrals", {"review_id": v21, "referral_id": r21})
    store.insert("review_referrals", {"review_id": v53, "referral_id": r53})
    ids.update(v21=v21, v53=v53)
    store.insert_many("milestones", [
        {"review_id": v53, "kind": "scoping_tor", "planned_date": "2017-03-01", "actual_date": "2017-03-03"},
        {"review_id": v53, "kind": "practitioner_learning_event", "planned_date": "2017-06-28"},
        {"review_id": v53, "kind": "draft_report", "planned_date": "2017-07-31"},
    ])

    rec1 = store.insert("recommendations", {"review_id": v21, "number": "1", "level": "multi_agency",
                                            "text": "All agencies adopt the bruising protocol for non-mobile babies."})
    rec2 = store.insert("recommendations", {"review_id": v21, "number": "2", "level": "single_agency",
                                            "text": "Health visiting records every adult in the household."})
    ids.update(rec1=rec1, rec2=rec2)
    ids["a_overdue"] = store.insert("actions", {
        "review_id": v21, "recommendation_id": rec1, "agency_id": police, "lead_officer": "DI Example",
        "text": "Brief all response officers on the protocol & record attendance.", "target_date": "2017-03-31",
        "status": "on_track", "agreed_date": "2016-10-10"})
    ids["a_soon"] = store.insert("actions", {
        "review_id": v21, "recommendation_id": rec1, "agency_id": la, "lead_officer": "Team manager",
        "text": "Add the protocol to the induction pack.", "target_date": "2017-06-20", "status": "on_track",
        "agreed_date": "2016-10-10"})
    ids["a_done"] = store.insert("actions", {
        "review_id": v21, "recommendation_id": rec2, "agency_id": health, "text": "Change the contact template.",
        "target_date": "2017-01-31", "status": "signed_off", "signoff_date": "2017-02-10",
        "agreed_date": "2016-10-10"})
    store.insert("action_updates", {"action_id": ids["a_overdue"], "date": "2017-05-02", "author": "tester",
                                    "note": "Two of five teams briefed."})

    b = store.insert("briefings", {"review_id": v21, "template": "six_step", "status": "issued",
                                   "issued_date": "2017-02-01", "version": 2,
                                   "learning_themes": "Bruising in non-mobile babies; professional curiosity"})
    store.insert_many("briefing_sections", [
        {"briefing_id": b, "position": i, "key": key, "title": title, "body": SIX_STEPS[key]}
        for i, (key, title) in enumerate([
            ("background", "The Background"), ("safeguarding_concerns", "Safeguarding Concerns"),
            ("incident", "The Incident"), ("review", "The Review"), ("findings", "The Findings"),
            ("recommendations", "Recommendations"), ("good_practice", "Good practice"),
            ("changes_to_practice", "Evidence of changes to practice")])])
    ids["briefing"] = b
    store.insert("disseminations", {"briefing_id": b, "agency_id": police, "sent_date": "2017-02-02",
                                    "feedback_due_date": "2017-03-02"})
    store.insert("disseminations", {"briefing_id": b, "agency_id": health, "sent_date": "2017-02-02",
                                    "feedback_due_date": "2017-03-02", "feedback_received_date": "2017-02-20",
                                    "teams_briefed": "Maternity; ED", "staff_reached": 80})
    store.insert("meetings", {"date": "2017-05-10", "kind": "scr_subgroup"})
    store.insert("learning_events", {"review_id": v21, "kind": "wider_debrief", "date": "2017-03-01",
                                     "attendance": 72, "title": "Wider de-brief"})
    return ids


def test_sample_holds_what_the_tests_rely_on(store):
    make_sample(store)
    data = briefing_data(store, "Ref021")
    assert data["ref"] == "Ref021" and len(data["sections"]) == 8
    paper = paper_data(store)
    assert paper["since"] == "2017-05-10"
    assert [r["ref"] for r in paper["referrals"]] == ["Ref058"]
    assert [r["ref"] for r in paper["reviews"]] == ["Ref053"]
    assert paper["overdue_by_agency"][0]["agency"] == "Northshire Police"
