"""The app frame and the room overview, on the demo room and on an empty one."""

from __future__ import annotations

from collections.abc import Callable

from streamlit.testing.v1 import AppTest

from cxroom.settings import Settings
from cxroom.store import Store


def test_overview_counts_match_the_database(
    app_for: Callable[..., AppTest], demo_settings: Settings, demo_store: Store
) -> None:
    at = app_for(demo_settings)
    at.switch_page("views/overview.py")
    at.run()
    assert not at.exception
    assert at.title[0].value == "Larkfield Mutual · Customer Room"
    table = at.dataframe[0].value
    expected = demo_store.fetch_df(
        "SELECT s.name, count(c.id) AS complaints FROM stages s LEFT JOIN complaints c ON c.stage_id = s.id "
        "GROUP BY s.name, s.position ORDER BY s.position"
    )
    assert table["name"].tolist() == expected["name"].tolist()
    assert table["complaints"].tolist() == expected["complaints"].tolist()
    unassigned = demo_store.fetch_value("SELECT count(*) FROM complaints WHERE stage_id IS NULL")
    assert unassigned > 0
    assert any(f"{unassigned:,} complaints" in w.value for w in at.warning)


def test_overview_of_an_empty_room_says_what_to_do(app_for: Callable[..., AppTest], tmp_settings: Settings) -> None:
    Store(tmp_settings.db_path).close()
    at = app_for(tmp_settings)
    at.switch_page("views/overview.py")
    at.run()
    assert not at.exception
    assert "no stages yet" in at.info[0].value
