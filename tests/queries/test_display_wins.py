"""What the wall screen's celebrations tell of a win: its team and the KPI before and after,
checked against plain queries of the demo room."""

from __future__ import annotations

from datetime import date

from cxroom.queries.display import WinAsked, wins
from cxroom.store import Store

FIX = "SELECT id, chartered_on FROM fixes WHERE title = 'Call back every new claim within 24 hours'"
CELEBRATED = "SELECT CAST(celebrated_at AS DATE) FROM fix_celebrations WHERE fix_id = ?"
READINGS = """
SELECT r.period, r.value FROM kpi_readings r JOIN kpis k ON k.id = r.kpi_id
WHERE k.name = 'Adjuster call-back within 24h' ORDER BY r.period
"""


def test_a_win_is_told_by_its_kpi_before_the_charter_and_since_up_to_the_celebration(demo_store: Store) -> None:
    fix_id, chartered = demo_store.fetch_one(FIX) or (None, None)
    celebrated: date = (demo_store.fetch_one(CELEBRATED, [fix_id]) or (None,))[0]
    readings = [(r["period"], r["value"]) for r in demo_store.fetch_dicts(READINGS)]
    cutoff = celebrated.replace(day=1)  # the months completed before the celebration
    before = [v for p, v in readings if p < chartered][-12:]
    since = [(p, v) for p, v in readings if chartered <= p < cutoff]

    found = wins(demo_store, [WinAsked(fix_id, chartered, celebrated)])

    shift = found[fix_id].shift
    assert shift is not None and shift.kpi == "Adjuster call-back within 24h" and shift.unit == "%"
    assert shift.n_before == len(before) == 12
    assert abs(shift.before - sum(before) / len(before)) < 1e-9
    # After: the latest reading by the celebration, the month its evidence names.
    assert (shift.after_month, shift.after) == since[-1]
    assert shift.after > shift.before  # the call-backs rose
    team = found[fix_id].team
    assert ("Aisha Rahman", "Customer Service") in team and ("Ines Moreau", "Digital") in team
    assert [p for p, _ in team] == sorted((p for p, _ in team), key=str.lower)


def test_a_fix_without_a_kpi_either_side_of_its_charter_has_no_shift_and_nothing_asked_reads_nothing(
    demo_store: Store,
) -> None:
    fix_id, _chartered = demo_store.fetch_one(FIX) or (None, None)
    # Chartered after every reading: nothing since the charter, so no "after" to show.
    found = wins(demo_store, [WinAsked(fix_id, date(2099, 1, 1), None)])
    assert found[fix_id].shift is None and found[fix_id].team
    assert wins(demo_store, []) == {}
