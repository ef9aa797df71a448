"""User text is written as text: a description like =HYPERLINK(...) comes back as the same plain string."""

from __future__ import annotations

from tests.fakesheets import Formula
from tests.sheets.helpers import run_sync
from tests.sheets.journey import FORMULA_TEXT, TRICKY_TEXTS


def _cells(book, title):
    return [value for row in book.sheet(title).rows for value in row if value is not None]


def test_a_formula_like_description_comes_back_as_the_plain_string(sheets_env, journey):
    ran = run_sync([journey])
    assert ran.status == 0, ran.err
    pains = ran.seen[0].find("PainPoints")
    assert pains is not None and pains.rows[1][5] == FORMULA_TEXT  # read as the user typed it
    book = sheets_env.book(journey)
    written = book.values("Priorities")
    titles = [row[2] for row in written[3:]]
    assert titles[: len(TRICKY_TEXTS)] == TRICKY_TEXTS  # read back (UNFORMATTED_VALUE) unchanged
    assert not [v for v in _cells(book, "Priorities") if isinstance(v, Formula)]


def test_every_output_sheet_is_free_of_formulas(sheets_env, journey):
    run_sync([journey])
    book = sheets_env.book(journey)
    for title in ("Validation", "Heatmap", "Priorities", "Dashboard"):
        assert not [v for v in _cells(book, title) if isinstance(v, Formula)], title


def test_the_fake_would_have_caught_user_entered_values(sheets_env, journey):
    """Guard for the test above: the same text written USER_ENTERED becomes a formula showing "y"."""
    import requests

    answer = requests.post(
        f"{sheets_env.url}/v4/spreadsheets/{journey}/values:batchUpdate",
        headers={"Authorization": "Bearer test-token"},
        json={
            "valueInputOption": "USER_ENTERED",
            "data": [{"range": "'Settings'!D1", "values": [[FORMULA_TEXT]]}],
        },
        timeout=10,
    )
    assert answer.status_code == 200
    assert sheets_env.book(journey).values("Settings")[0][3] == "y"


def test_links_to_cells_are_a_link_format_not_a_formula(sheets_env, journey):
    from tests.sheets.journey import stand_in

    run_sync([journey], process=lambda raw: stand_in(raw, errors=2, warnings=0))
    book = sheets_env.book(journey)
    validation = book.sheet("Validation")
    pains = book.sheet("PainPoints")
    assert validation.get(3, 3) == "G2"  # D4: the plain A1 text
    link = validation.formats[(3, 3)]["textFormat"]["link"]["uri"]
    assert link == f"#gid={pains.sheet_id}&range=G2"
    assert validation.formats[(3, 3)]["textFormat"]["underline"] is True  # the "link" style kept
