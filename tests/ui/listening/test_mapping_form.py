"""The Listening page's mapping form for an importable kind that has no form of its own:
one column picker per column of its mapping, proposed columns chosen, required ones
marked, and the date format asked for when the mapping has one."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from streamlit.testing.v1 import AppTest

from cxroom.importers.mapping import MAPPING_MODELS


def _script() -> None:
    import pandas as pd
    import streamlit as st
    from pydantic import BaseModel

    from cxroom.importers.mapping import MAPPING_MODELS
    from cxroom.importers.report import FilePreview
    from cxroom.ui.listening.mapping_form import mapping_form

    class VisitMapping(BaseModel):
        moved_at: str
        customer_id: str | None = None
        channel: str | None = None
        weight: int = 1  # not a column: no picker
        date_format: str | None = None

    MAPPING_MODELS["visits"] = VisitMapping  # type: ignore[assignment]
    headers = ["When", "Customer", "Via"]
    preview = FilePreview(
        file_kind="csv",
        encoding="utf-8",
        delimiter=",",
        headers=headers,
        rows_read=1,
        sample=pd.DataFrame([["2026-01-02", "c1", "web"]], columns=headers),
        suggested={"moved_at": "When", "channel": "Via"},
        saved=None,
        source="moves",
        date_columns={"When": {"format": "iso", "label": "YYYY-MM-DD", "ambiguous": None}},
        numeric_columns={},
        notes=[],
    )
    st.session_state["confirmed"] = mapping_form(None, "visits", preview, "moves", "ana")  # type: ignore[arg-type]


@pytest.fixture(autouse=True)
def _forget_the_kind() -> Iterator[None]:
    yield
    MAPPING_MODELS.pop("visits", None)  # a made-up kind: the real ones stay


def test_a_kind_without_a_form_gets_one_picker_per_column_of_its_mapping() -> None:
    at = AppTest.from_function(_script).run()
    assert not at.exception
    pickers = {s.label: s.value for s in at.selectbox}
    assert pickers == {
        "Moved at *": "When",
        "Customer id": "— not in this file —",
        "Channel": "Via",
        "Date format": "auto",
    }
    assert "When" in at.caption[0].value and "YYYY" in at.caption[0].value  # escaped Markdown
    assert at.session_state["confirmed"] == {
        "moved_at": "When",
        "customer_id": None,
        "channel": "Via",
        "date_format": None,
    }
    at.selectbox(key="map_visits_customer_id").select("Customer").run()
    at.selectbox(key="map_visits_date_format").select("%d/%m/%Y").run()
    assert at.session_state["confirmed"]["customer_id"] == "Customer"
    assert at.session_state["confirmed"]["date_format"] == "%d/%m/%Y"
