"""A kind added to the registry of evidence kinds is drawn by the wall column and
the stage page with no change to either: one tab and one block per registered kind,
in the registry's order, the existing ones unchanged."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from cxroom import evidence_kinds
from cxroom.evidence_kinds import KINDS, EvidenceKind
from cxroom.settings import Settings
from cxroom.store import Store
from cxroom.ui.wall import evidence
from cxroom.ui.wall.evidence import InColumn, KindView, OnStagePage

# Rank 0: first of the evidence in a column, above the KPIs.
SOCIAL = EvidenceKind("social", "Social posts", "social_posts", importable=False, wall_rank=0)


def _social_block(c: InColumn) -> None:
    c.prose.heading("Social posts")
    c.prose.add(f"Posts about {c.col.stage.slug}")


def _social_tab(p: OnStagePage) -> None:
    st.markdown(f"Social posts of {p.col.stage.slug} in {p.month:%Y-%m}")


@pytest.fixture
def with_social(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    # A temporary registry with a seventh kind, its views attached as the real ones are.
    views = {**evidence.VIEWS, "social": KindView(SOCIAL, lambda p: 3, _social_block, _social_tab)}
    monkeypatch.setattr(evidence, "VIEWS", evidence_kinds.attach("view", views, kinds=(*KINDS, SOCIAL)))
    yield


def _stage(app_for: Callable[..., AppTest], settings: Settings, slug: str) -> AppTest:
    at = app_for(settings)
    at.switch_page("views/stage.py")
    at.query_params.update({"stage": slug, "month": "2026-10"})
    at.run()
    assert not at.exception
    return at


def test_a_registered_kind_gets_its_stage_tab_after_the_others(
    with_social: None, app_for: Callable[..., AppTest], demo_settings: Settings, demo_store: Store
) -> None:
    at = _stage(app_for, demo_settings, "pay")
    labels = [t.label for t in at.tabs]
    assert [label.split(" (")[0] for label in labels] == [
        "Complaints",
        "KPIs",
        "Surveys",
        "Artifacts",
        "Calls",
        "Customers lost",
        "Social posts",
        "Moments & fixes",
        "Heard & changed",
    ]
    assert labels[6] == "Social posts (3)"
    assert [m.value for m in at.tabs[6].markdown] == ["Social posts of pay in 2026-10"]
    # The existing tabs keep their counts.
    calls = demo_store.fetch_value(
        "SELECT count(*) FROM calls c JOIN stages s ON s.id = c.stage_id WHERE s.slug = 'pay'"
    )
    assert labels[4] == f"Calls ({calls})"


def test_without_the_new_kind_the_stage_page_has_the_evidence_tabs_then_the_others(
    app_for: Callable[..., AppTest], demo_settings: Settings
) -> None:
    labels = [t.label.split(" (")[0] for t in _stage(app_for, demo_settings, "pay").tabs]
    evidence_tabs = ["Complaints", "KPIs", "Surveys", "Artifacts", "Calls", "Customers lost"]
    assert labels == [*evidence_tabs, "Moments & fixes", "Heard & changed"]


def test_a_registered_kind_gets_its_block_in_every_wall_column_at_its_rank(
    with_social: None, app_for: Callable[..., AppTest], demo_settings: Settings, demo_store: Store
) -> None:
    at = app_for(demo_settings)
    at.query_params["month"] = "2026-10"
    at.run()
    assert not at.exception
    slugs = [r["slug"] for r in demo_store.fetch_dicts("SELECT slug FROM stages ORDER BY position")]
    text = "\n".join(m.value for m in at.markdown)
    assert [s for s in slugs if f"Posts about {s}" in text] == slugs
    # Rank 0 puts the block between the moments of truth and the KPIs (rank 1) in every column.
    for slug in slugs:
        mine = next(m.value for m in at.markdown if f"Posts about {slug}" in m.value)
        assert mine.index("Moments of truth") < mine.index("###### Social posts") < mine.index("###### KPIs")
