"""The wall and the stage page on the demo room put each stage's worst news first and
speak plainly: every column's KPIs in the order worked out here from the raw readings
(off target, near, on, none; furthest from target first), broken moments first, no stage
with a red KPI or a broken moment reading Healthy, the health explained in words naming
the KPI and its target, and no symbol characters, 'None' or statistics' jargon."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from cxroom.models import MomentCreate, Reliability, StageCreate
from cxroom.services import room
from cxroom.settings import Settings
from cxroom.store import Store

OCT = date(2026, 10, 1)
# Symbol characters that draw as empty boxes on a wall PC without a symbol font (Material icons instead).
SYMBOLS = re.compile("[\u2190-\u21ff\u2300-\u23ff\u25a0-\u25ff\u2600-\u27bf\U0001f300-\U0001faff]")
JARGON = re.compile(r"\bNone\b|\bz = |\bp = |Poisson|\bn = |\(fix \d+\)|\bby local\b")


def _plain(text: str) -> str:
    return text.replace("\\", "").replace("\u2060", "")


def _expected_kpi_order(store: Store, stage_slug: str) -> list[str]:
    """The stage's KPIs worst first, worked out from the readings without the app's code."""
    rows = store.execute(
        "SELECT k.name, r.value, k.target, k.warning, k.direction FROM kpis k JOIN stages s ON s.id = k.stage_id "
        "LEFT JOIN kpi_readings r ON r.kpi_id = k.id AND r.period = ? WHERE s.slug = ? ORDER BY k.id",
        [OCT, stage_slug],
    )

    def key(row: tuple) -> tuple[int, float]:
        _name, value, target, warning, direction = row
        if value is None or target is None:
            return 3, 0.0
        sign = 1 if direction == "higher_better" else -1
        short = sign * (target - value) / abs(target)
        if short <= 0:
            return 2, -short
        within_warning = warning is not None and sign * (warning - value) <= 0
        return (1 if within_warning else 0), -short

    return [r[0] for r in sorted(rows, key=key)]


def _badges(at: AppTest) -> list[tuple[str, str]]:
    """Each stage's health (coloured Markdown ':orange-background[:orange[icon word · score]]' with
    a tooltip): its words and its help."""
    found = []
    for m in at.markdown:
        hit = re.fullmatch(r":(\w+)-background\[:\1\[:material/\w+:\u00a0\*\*(.*)\*\*\]\]", m.value, flags=re.S)
        if hit:
            found.append((_plain(hit.group(2)).replace("\u00a0", " "), _plain(m.proto.help)))
    return found


def _columns(at: AppTest) -> dict[str, str]:
    """Each column's Markdown, by stage name (a column's text starts with its h3)."""
    text = "\n".join(_plain(m.value) for m in at.markdown)
    parts = re.split(r"^### ", text, flags=re.M)[1:]
    return {part.split("\n", 1)[0].strip(): part for part in parts}


@pytest.fixture
def wall(app_for: Callable[..., AppTest], demo_settings: Settings) -> AppTest:
    at = app_for(demo_settings)
    at.query_params["month"] = "2026-10"
    at.run()
    assert not at.exception
    return at


def test_every_column_lists_its_kpis_worst_first(wall: AppTest, demo_store: Store) -> None:
    columns = _columns(wall)
    stages = demo_store.execute("SELECT slug, name FROM stages ORDER BY position")
    assert len(columns) == len(stages)
    for slug, name in stages:
        expected = _expected_kpi_order(demo_store, slug)[:3]
        column = columns[name]
        at = [column.index(f"{kpi}  \n") for kpi in expected]
        assert at == sorted(at), (name, expected)


def test_make_a_claim_leads_with_its_red_kpi_and_broken_moment_and_is_not_healthy(wall: AppTest) -> None:
    column = _columns(wall)["Make a claim"]
    kpis = column[column.index("###### KPIs") :]
    assert [line for line in kpis.split("\n") if line][1] == "Claims settled within 10 days  "
    assert re.search(r":red\[:material/cancel:\u00a0\*\*44\.8%\*\*\] · target ≥ 70\.0%", kpis)
    moments = [line for line in column[column.index("###### Moments of truth") :].split("\n") if line][1]
    assert moments.startswith(":red[:material/cancel:\u00a0Broken]")
    helps = [help_text for _label, help_text in _badges(wall)]
    claim_help = next(h for h in helps if "Claims settled within 10 days" in h)
    assert claim_help.startswith(
        "Needs attention: 1 KPI off target (Claims settled within 10 days, 44.8% against target ≥ 70.0%)"
    )


def test_no_stage_with_a_red_kpi_or_a_broken_moment_reads_healthy(wall: AppTest) -> None:
    columns = _columns(wall)
    badges = [label for label, _help in _badges(wall)]
    assert len(badges) == len(columns)
    for (name, column), badge in zip(columns.items(), badges, strict=True):
        bad_news = ":red[:material/cancel:" in column
        assert not (bad_news and badge.startswith("Healthy")), (name, badge)
    assert any(b.startswith("Healthy") for b in badges)  # the demo's Buy stage is good news


def test_the_wall_speaks_plainly_with_material_icons_only(wall: AppTest) -> None:
    texts = [m.value for m in wall.markdown] + [c.value for c in wall.caption] + [m.label for m in wall.metric]
    texts += [str(m.value) for m in wall.metric]
    for text in texts:
        assert not SYMBOLS.search(text), text
        assert not JARGON.search(text), text
    assert any(":material/" in t for t in texts)


@pytest.mark.parametrize("slug", ["claim", "get-help", "buy"])
def test_the_stage_page_explains_its_health_in_words_with_the_method_in_an_expander(
    app_for: Callable[..., AppTest], demo_settings: Settings, slug: str
) -> None:
    at = app_for(demo_settings)
    at.switch_page("views/stage.py")
    at.query_params.update({"stage": slug, "month": "2026-10"})
    at.run()
    assert not at.exception
    words = [_plain(m.value) for m in at.markdown if re.match(r"(Healthy|Needs attention|At risk):", _plain(m.value))]
    assert len(words) == 1
    assert [e.label for e in at.expander][:1] == ["How the health score is worked out"]
    assert "Moments of truth" in at.expander[0].markdown[0].value
    texts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [m.label for m in at.metric]
    texts += [e.label for e in at.expander] + [t.label for t in at.tabs]
    for text in texts:
        assert not SYMBOLS.search(text), text
        assert not JARGON.search(text), text
    table = at.dataframe[-1].value  # the fix teams
    assert not table.isna().any().any()


def test_the_wall_screen_tiles_show_the_worst_kpis_with_their_targets(
    app_for: Callable[..., AppTest], demo_settings: Settings, demo_store: Store
) -> None:
    at = app_for(demo_settings)
    at.query_params.update({"month": "2026-10", "mode": "wall"})
    at.run()
    assert not at.exception
    tiles = [m for m in at.metric if not m.label.startswith("Complaints in ")]
    assert tiles
    for tile in tiles:
        assert re.search(r" · target [≥≤] \d", _plain(str(tile.proto.delta_description))), tile.label
    shown = [_plain(t.label) for t in tiles]
    firsts = [_expected_kpi_order(demo_store, slug)[0] for (slug,) in demo_store.execute("SELECT slug FROM stages")]
    assert set(firsts) <= set(shown)


@pytest.mark.parametrize(
    ("states", "shown", "more"),
    [
        (["reliable", "broken", "differentiating", "reliable", "broken", "reliable"], 3, 3),
        (["broken", "unreliable", "broken", "broken", "reliable"], 4, 1),  # every bad one, however many
        (["reliable", "differentiating"], 2, 0),
    ],
)
def test_a_column_shows_every_bad_moment_and_the_rest_up_to_three(
    app_for: Callable[..., AppTest], tmp_path: Path, states: list[str], shown: int, more: int
) -> None:
    settings = Settings(db_path=tmp_path / "room.duckdb", media_dir=tmp_path / "media")
    store = Store(settings.db_path)
    room.create_stage(store, StageCreate(slug="claim", name="Make a claim"), actor="system")
    for index, state in enumerate(states):
        room.create_moment(
            store,
            MomentCreate(stage_slug="claim", name=f"M{index} {state}", reliability=Reliability(state)),
            actor="system",
            when=datetime(2026, 1, 1),
        )
    store.close()
    at = app_for(settings)
    at.run()
    assert not at.exception
    column = _columns(at)["Make a claim"]
    block = column[column.index("###### Moments of truth") :]
    names = re.findall(r"\] (M\d+ \w+)", block)
    bad = [n for n in names if n.endswith(("broken", "unreliable"))]
    assert len(names) == shown
    assert len(bad) == sum(s in ("broken", "unreliable") for s in states)
    assert names[: len(bad)] == bad  # the bad ones lead
    assert (f"+{more} more, reliable or better, on the stage page" in block) == bool(more)
