"""The writes added to the lines' API after the reads (democracy first): their operations for the
permission matrix (tests/api/test_matrix.py). Their objects are the kinds of tests/api/line_objects.py
and tests/api/read_objects.py (a congress, a session, a proposal, a disclosure, a contract, a campaign, a
pairing, a fund review under 甲一 and 乙一)."""

CHANGE = "democracy.change"
OPERATIONS = [
    ("POST", "/api/v1/congresses/", CHANGE, None),
    *[("POST", f"/api/v1/congresses/{{id}}/{a}/", CHANGE, "congress") for a in (
        "end", "terms", "delegates", "remove_delegate", "confirm", "sessions", "resolutions", "board_members")],
    *[("POST", f"/api/v1/congress-sessions/{{id}}/{a}/", CHANGE, "congress_session") for a in (
        "motions", "evaluations")],
    ("POST", "/api/v1/proposals/", CHANGE, None),
    ("POST", "/api/v1/proposals/{id}/feedback/", CHANGE, "proposal"),
    ("POST", "/api/v1/disclosures/", CHANGE, None),
    *[("POST", f"/api/v1/disclosures/{{id}}/{a}/", CHANGE, "disclosure") for a in ("opinions", "reply")],
    *[("POST", f"/api/v1/contracts/{{id}}/{a}/", "bargaining.change", "contract") for a in (
        "terms", "attach", "renew", "remove_representative")],
    ("POST", "/api/v1/campaigns/{id}/targets/", "assistance.change", "campaign"),
    ("POST", "/api/v1/helpers/", "assistance.change", None),
    ("POST", "/api/v1/pairings/", "assistance.change", None),
    *[("POST", f"/api/v1/pairings/{{id}}/{a}/", "assistance.change", "pairing") for a in ("end", "visits")],
    ("POST", "/api/v1/fund-reviews/", "funds.change", None),
    *[("POST", f"/api/v1/fund-reviews/{{id}}/{a}/", "funds.change", "fund_review") for a in ("findings", "rectify")],
]
