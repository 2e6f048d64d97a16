"""Invalid input at the boundary gives clear validation messages."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from pydantic import ValidationError

from cxroom.models import CallCreate, FixCreate, FixMember, KpiCreate, StageCreate, WallQuery

SHA = "a" * 64


def _message(exc: pytest.ExceptionInfo[ValidationError]) -> str:
    return " | ".join(err["msg"] for err in exc.value.errors())


def test_stage_slug_must_be_url_safe() -> None:
    with pytest.raises(ValidationError) as exc:
        StageCreate(slug="Get Help!", name="Get help")
    assert "should match pattern" in _message(exc)
    assert StageCreate(slug="get-help", name="  Get help ").name == "Get help"


def test_stage_rejects_unknown_fields_and_empty_names() -> None:
    with pytest.raises(ValidationError) as exc:
        StageCreate(slug="pay", name="", colour="#12345")
    fields = {err["loc"][0] for err in exc.value.errors()}
    assert fields == {"name", "colour"}
    with pytest.raises(ValidationError) as exc:
        StageCreate(slug="pay", name="Pay", nmae="typo")  # type: ignore[call-arg]
    assert "Extra inputs are not permitted" in _message(exc)


def test_fix_needs_two_silos_and_a_sane_due_date() -> None:
    base = dict(
        title="Fix",
        problem="Customers wait too long for X.",
        stage_slug="pay",
        sponsor="A",
        lead="B",
        chartered_on=date(2026, 5, 1),
    )
    with pytest.raises(ValidationError) as exc:
        FixCreate(
            **base, members=[FixMember(person="B", silo_name="Billing"), FixMember(person="C", silo_name="billing")]
        )
    assert "at least two silos" in _message(exc)
    with pytest.raises(ValidationError) as exc:
        FixCreate(
            **base,
            due_on=date(2026, 4, 1),
            members=[FixMember(person="B", silo_name="Billing"), FixMember(person="C", silo_name="Claims")],
        )
    assert "due date cannot be before the charter date" in _message(exc)


def test_kpi_warning_must_sit_on_the_bad_side_of_the_target() -> None:
    with pytest.raises(ValidationError) as exc:
        KpiCreate(stage_slug="pay", name="Bills right", direction="higher_better", target=99, warning=100)
    assert "warning threshold must be at or below the target" in _message(exc)
    ok = KpiCreate(stage_slug="pay", name="Wait", direction="lower_better", target=60, warning=90)
    assert ok.warning == 90


def test_call_clip_must_lie_inside_the_recording() -> None:
    common = dict(stage_slug="claim", title="Call", media_sha256=SHA, duration_s=30.0, recorded_at=datetime(2026, 5, 1))
    with pytest.raises(ValidationError) as exc:
        CallCreate(**common, clip_start_s=20, clip_end_s=10)
    assert "must end after it starts" in _message(exc)
    with pytest.raises(ValidationError) as exc:
        CallCreate(**common, clip_start_s=45, clip_end_s=50)
    assert "starts after the recording ends" in _message(exc)


@pytest.mark.parametrize("month", ["2026-13", "26-10", "october", "2026-1"])
def test_wall_query_rejects_malformed_months(month: str) -> None:
    with pytest.raises(ValidationError) as exc:
        WallQuery(month=month)
    assert "use YYYY-MM" in _message(exc)


def test_wall_query_screens() -> None:
    assert WallQuery(month="2026-10", screen=2, of=3).screen == 2
    with pytest.raises(ValidationError):
        WallQuery(screen=4, of=3)
