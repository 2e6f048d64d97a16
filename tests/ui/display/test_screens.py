"""The spotlight, the fix board and the celebrations as HTML: text from the room is shown as
text (escaped, verbatims masked), overdue fixes lead in red with how late they are, statuses
read as words, each page holds its even share, and wins carry their KPI before and after."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from cxroom.insights.customer_math import MonthCounts, StageLosses, month_math
from cxroom.insights.health import Band, StageHealth
from cxroom.queries.customer_math import CustomerMath, Definitions
from cxroom.queries.display import Win, WinShift
from cxroom.queries.wall.complaints import ComplaintSummary, Verbatim
from cxroom.queries.wall.fixes import FixView
from cxroom.queries.wall.kpis import KpiTile
from cxroom.queries.wall.months import series_months
from cxroom.queries.wall.stages import StageInfo
from cxroom.queries.wall.wall_data import StageColumn, WallData
from cxroom.ui.display.board import fixes_screen
from cxroom.ui.display.playlist import Slot
from cxroom.ui.display.render import wall_screen
from cxroom.ui.display.spotlight import spotlight_screen
from cxroom.ui.display.wins import celebrations_screen

MONTH = date(2026, 10, 1)
NOW = datetime(2026, 11, 10, 9, 30)
HOSTILE = '<img src=x onerror="alert(1)">'
SERIES = series_months(MONTH)


def _fix(fix_id: int, title: str, status: str, due: date | None, celebrated: datetime | None = None) -> FixView:
    return FixView(
        fix_id, 1, title, status, f"Lead {fix_id} {HOSTILE}", "Sponsor", due, date(2026, 1, 5), None, celebrated
    )


def _room(fixes: tuple[FixView, ...]) -> WallData:
    kpi = KpiTile(
        1,
        1,
        f"Settled in 10 days {HOSTILE}",
        "%",
        "higher_better",
        70.0,
        60.0,
        "",
        None,
        False,
        SERIES,
        tuple(40.0 + i for i in range(13)),
    )
    col = StageColumn(
        stage=StageInfo(1, "claim", f"Make a claim {HOSTILE}", "Pay me fast.", "", "#123456", 1),
        health=StageHealth(40.0, Band.AT_RISK),
        kpis=(kpi,),
        complaints=ComplaintSummary(30, 20, 20.0, SERIES, tuple(range(13))),
        verbatims=(
            Verbatim(NOW, "Delay", "mail", f"Call me on 07700 900123 {HOSTILE}"),
            Verbatim(NOW, "Delay", "mail", "Nobody called back."),
            Verbatim(NOW, "Delay", "phone", "Nobody called back."),  # the same words again show once
        ),
        fixes=fixes,
    )
    return WallData("Larkfield", MONTH, (MONTH,), (col,), 0, None)


def test_the_board_leads_with_the_overdue_in_words_and_escapes_what_people_typed() -> None:
    fixes = (
        _fix(1, "On time", "implementing", date(2026, 12, 1)),
        _fix(2, f"Late {HOSTILE}", "results", date(2026, 11, 1)),
        _fix(3, "Done", "celebrated", date(2026, 6, 1), datetime(2026, 10, 2)),
    )
    html = fixes_screen(_room(fixes), Slot("fixes", 10), NOW)
    assert HOSTILE not in html and "Late &lt;img src=x" in html and "Make a claim &lt;img" in html
    rows = html.split("<tr")[2:]  # after the header's row
    assert len(rows) == 2 and "Done" not in html  # a celebrated fix is not at work
    assert rows[0].startswith(' class="late"') and "overdue by 9 days" in rows[0]
    assert '<td class="status">Results</td>' in rows[0]
    assert '<td class="status">Implementing</td>' in rows[1] and "overdue" not in rows[1] and "1 Dec 2026" in rows[1]
    assert '<span class="num">2</span> fix teams at work · <span class="num late">1</span> overdue' in html


def test_a_long_board_is_split_evenly_and_every_fix_shows_once() -> None:
    fixes = tuple(_fix(i, f"Fix number {i}", "diagnosing", date(2027, 1, i)) for i in range(1, 20))
    data = _room(fixes)
    pages = [fixes_screen(data, Slot("fixes", 10, i, 3), NOW) for i in range(3)]
    shown = [[f"Fix number {i}<" in p for i in range(1, 20)].count(True) for p in pages]
    assert shown == [7, 6, 6] and "page 2 of 3" in pages[1]
    assert all(any(f"Fix number {i}<" in p for p in pages) for i in range(1, 20))


def test_the_spotlight_draws_its_year_masks_its_voices_and_names_owner_and_due() -> None:
    fixes = (_fix(2, "Pay within a week", "implementing", date(2026, 11, 1)),)
    html = spotlight_screen(_room(fixes), _room(fixes).columns[0], Slot("spotlight", 10, 0, 1), "t", NOW)
    assert HOSTILE not in html and "07700 900123" not in html and "[phone]" in html
    assert html.count('class="trend box') == 2 and "Settled in 10 days &lt;img" in html
    assert html.count('class="voice drop"') == 2
    assert "Lead 2 &lt;img" in html and "Implementing · due 1 Nov 2026 · overdue by 9 days" in html


def test_wins_show_their_kpi_before_and_after_and_share_the_screen() -> None:
    wins = tuple(_fix(i, f"Win {i} {HOSTILE}", "celebrated", None, datetime(2026, 10, i)) for i in range(1, 5))
    shift = WinShift("Call-backs in 24h", "%", "higher_better", 61.4, 12, 89.0, date(2026, 9, 1), 85.0, True)
    found = {1: Win(1, (("Lead 1 " + HOSTILE, "Claims"), ("Aisha Rahman", "Service")), shift)}
    html = celebrations_screen(_room(wins), Slot("celebrations", 10), NOW, found)
    assert HOSTILE not in html and html.count('class="win box"') == 4 and "--cols: 2; --rows: 2" in html
    assert html.index("Win 4") < html.index("Win 1")  # the newest first
    assert '61.4%</span> <span class="arrow">→</span> <span class="num after">89.0%' in html
    assert "12-month average before the charter → September 2026 · target ≥ 85.0%" in html
    assert "Led by Lead 1 &lt;img" in html and "with Aisha Rahman (Service)" in html  # the lead not twice
    assert "★ Celebrated 1 Oct 2026" in html


def _math(counts: dict[str, int], losses: StageLosses | None) -> CustomerMath:
    values = {k: 1000.0 * n for k, n in counts.items()}
    months = tuple(month_math([MonthCounts(date(2026, 9, 1), {}, {}, 5000), MonthCounts(MONTH, counts, values, 5100)]))
    hostile = Definitions(f"New {HOSTILE}", "Lost <b>for good</b>", "€", recorded=True)
    return CustomerMath(MONTH, months[1:], {1: losses} if losses else {}, (), {}, hostile)


def test_the_wall_screen_band_shows_the_months_math_and_is_absent_without_movements() -> None:
    base = _room(())
    col = base.columns[0]
    lost = StageLosses(1, 12, 34_500.0, (("Price", 12),), "€")
    with_math = replace(base, columns=(replace(col, losses=lost),), customer_math=_math({"new": 40, "lost": 12}, lost))
    page = wall_screen(with_math, with_math.columns, Slot("wall", 10), "tok", NOW)
    band = page.split('<section class="cmath">', 1)[1].split("</section>", 1)[0]
    assert '<span class="num">40</span> <span class="aside">€40.0k</span>' in band
    assert 'data-label="Net"><span class="lbl">Net</span> <span class="num">+28</span>' in band
    assert 'Retention</span> <span class="num">99.8%</span>' in band  # 12 of the 5,000 at September's end
    assert HOSTILE not in page and "&lt;b&gt;for good&lt;/b&gt;" in band  # definitions are text
    assert "Lost here: <b>12 · €34.5k</b>" in page

    # Only downgrades at the stage: no "Lost here"; a room without movements: no band at all.
    downgraded = StageLosses(1, 0, 500.0, (("Price", 1),), "€")
    quiet_col = replace(with_math, columns=(replace(col, losses=downgraded),))
    assert "Lost here" not in wall_screen(quiet_col, quiet_col.columns, Slot("wall", 10), "tok", NOW)
    for cm in (None, _math({}, None)):
        empty = replace(base, customer_math=cm)
        shown = wall_screen(empty, empty.columns, Slot("wall", 10), "tok", NOW)
        assert "cmath" not in shown and "Customers in and out" not in shown and "Lost here" not in shown
