"""Learning that lands (issue 14) in the window: a review's publication and themes, a
recommendation's impact, a briefing's channels and themes, and the newsletter issues list. The
Reviews, Briefings and Action plan tabs hook these in with a few lines each."""
