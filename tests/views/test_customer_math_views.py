"""Customer math in AppTest on the demo room: the wall's band and its per-stage lines, and the
stage page's tab, against direct SQL on the same database; a room without movements shows none."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

from streamlit.testing.v1 import AppTest

from cxroom.formatting import fmt_amount, fmt_count
from cxroom.models import CategoryRuleCreate
from cxroom.queries.customer_math import definitions
from cxroom.services import evidence
from cxroom.services.imports import import_file
from cxroom.settings import Settings
from cxroom.store import Store
from cxroom.ui.kit.text import md
from tests.importers.helpers import add_stages
from tests.views.test_setup import click, open_setup

OCT, NOV = date(2026, 10, 1), date(2026, 11, 1)
DEFS_incoming = "A customer whose first contract starts in the month, or who returns."
DEFS_outgoing = "A customer whose last contract ends and is not renewed within 30 days."


def _sql_month(store: Store) -> dict[str, tuple[int, float]]:
    rows = store.execute(
        "SELECT movement, count(*), sum(value) FROM customer_movements WHERE moved_at >= ? AND moved_at < ? GROUP BY 1",
        [OCT, NOV],
    )
    return {r[0]: (int(r[1]), float(r[2])) for r in rows}


def test_the_band_shows_the_months_customers_in_and_out_from_the_data(
    app_for: Callable[..., AppTest], demo_settings: Settings, demo_store: Store
) -> None:
    at = app_for(demo_settings)
    at.run()
    assert not at.exception
    month = _sql_month(demo_store)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Customers in"] == fmt_count(month["new"][0] + month["won_back"][0])
    assert metrics["Customers out"] == fmt_count(month["lost"][0])
    assert int(metrics["Net"].replace(",", "")) == month["new"][0] + month["won_back"][0] - month["lost"][0]
    assert metrics["Value lost"] == md(fmt_amount(month["lost"][1] + month["downgraded"][1], "$"))
    # Retention: against the active customers stated at the end of September.
    base = demo_store.fetch_value("SELECT active_customers FROM customer_base WHERE month = ?", [date(2026, 9, 1)])
    assert metrics["Retention"] == f"{100 * (1 - month['lost'][0] / base):.1f}%"
    captions = "\n".join(c.value for c in at.caption)
    assert "A household whose first policy starts in the month" in captions  # the definitions, beside the numbers
    called = demo_store.fetch_value(
        "SELECT count(*) FROM lost_customer_calls WHERE called_at >= ? AND called_at < ?", [OCT, NOV]
    )
    assert f"We called {called} of {fmt_count(month['lost'][0])} lost customers." in captions
    assert at.get("plotly_chart"), "the 24-month trend"


def test_each_column_says_how_many_customers_its_stage_lost(
    app_for: Callable[..., AppTest], demo_settings: Settings, demo_store: Store
) -> None:
    at = app_for(demo_settings)
    at.run()
    lost = dict(
        demo_store.execute(
            "SELECT s.name, count(*) FILTER (WHERE m.movement = 'lost') FROM customer_movements m "
            "JOIN stages s ON s.id = m.stage_id WHERE m.moved_at >= ? AND m.moved_at < ? "
            "AND m.movement IN ('lost', 'downgraded') GROUP BY 1",
            [OCT, NOV],
        )
    )
    shown = [int(n.replace(",", "")) for m in at.markdown for n in re.findall(r"Lost at this stage: ([\d,]+)", m.value)]
    assert sorted(shown) == sorted(lost.values())
    assert len(shown) == 7


def test_the_stage_tab_counts_the_losses_and_lists_the_calls_to_lost_customers(
    app_for: Callable[..., AppTest], demo_settings: Settings, demo_store: Store
) -> None:
    at = app_for(demo_settings)
    at.switch_page("views/stage.py")
    at.query_params.update({"stage": "get-help", "month": "2026-10"})
    at.run()
    assert not at.exception
    lost = demo_store.fetch_value(
        "SELECT count(*) FROM customer_movements m JOIN stages s ON s.id = m.stage_id WHERE s.slug = 'get-help' "
        "AND m.movement = 'lost' AND m.moved_at >= ? AND m.moved_at < ?",
        [OCT, NOV],
    )
    assert f"Customers lost ({lost:,})" in [t.label for t in at.tabs]
    calls = demo_store.fetch_value(
        "SELECT count(*) FROM lost_customer_calls c JOIN stages s ON s.id = c.stage_id WHERE s.slug = 'get-help'"
    )
    assert calls > 0
    said = [m.value for m in at.markdown if " called · " in m.value]
    assert len(said) == min(calls, 20)


def test_a_room_without_movements_shows_no_band(app_for: Callable[..., AppTest], tmp_settings: Settings) -> None:
    store = Store(tmp_settings.db_path)
    store.migrate()
    add_stages(store)
    store.close()
    at = app_for(tmp_settings)
    at.run()
    assert not at.exception
    assert "Customers in" not in [m.label for m in at.metric]
    assert not any("Lost at this stage" in m.value for m in at.markdown)


def test_the_setup_page_records_the_definitions(app_for: Callable[..., AppTest], tmp_settings: Settings) -> None:
    store = Store(tmp_settings.db_path)
    store.migrate()
    add_stages(store)
    at = open_setup(app_for, tmp_settings, "Customer math")
    assert any("has not agreed its definitions" in i.value for i in at.info)
    at.text_area(key="cm_incoming").input(DEFS_incoming)
    at.text_area(key="cm_outgoing").input("no")
    click(at, "Save the definitions")
    assert not definitions(store).recorded and at.error  # too short: said, nothing saved
    at.text_area(key="cm_outgoing").input(DEFS_outgoing)
    at.text_input(key="cm_value_unit").input("£")
    click(at, "Save the definitions")
    got = definitions(store)
    assert (got.incoming, got.outgoing, got.value_unit) == (DEFS_incoming, DEFS_outgoing, "£")


def test_reasons_and_what_customers_said_stay_text(
    app_for: Callable[..., AppTest], tmp_settings: Settings, tmp_path: Path
) -> None:
    from tests.customer_math.churn_export import REASONS, write_churn_export

    hostile = "<img src=x onerror=alert(1)> **Renewal** [price](http://evil.example)"
    store = Store(tmp_settings.db_path)
    store.migrate()
    add_stages(store)
    write_churn_export(tmp_path / "churn.csv", months=2, start=date(2026, 9, 1))
    text = (tmp_path / "churn.csv").read_text().replace(REASONS[0], hostile.replace('"', ""))
    (tmp_path / "churn.csv").write_text(text)
    evidence.create_category_rule(store, CategoryRuleCreate(category=hostile, stage_slug="renew"), actor="system")
    import_file(store, kind="movements", path=tmp_path / "churn.csv", actor="system")
    store.close()
    at = app_for(tmp_settings)
    at.query_params["month"] = "2026-10"
    at.run()
    assert not at.exception
    shown = "\n".join(m.value for m in at.markdown)
    assert md(hostile) in shown and hostile not in shown
