"""Customer math's other writes: the room's definitions (service, set-up page, set-up file), the
log of calls to lost customers and their monthly count, and movements following the category
rules when the rules change."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from cxroom.errors import InvalidInputError, PermissionDeniedError
from cxroom.models import CategoryRuleCreate
from cxroom.queries.customer_math import definitions, load_customer_math
from cxroom.services import customer_math as service
from cxroom.services import evidence, rules
from cxroom.services.imports import import_file
from cxroom.setupfile.apply import apply_text
from cxroom.setupfile.export import export_text
from cxroom.setupfile.model import SetupFileError
from cxroom.store import Store
from tests.customer_math.churn_export import write_churn_export
from tests.importers.helpers import add_stages

DEFS = service.Definitions(
    incoming="A customer whose first contract starts in the month, or who returns.",
    outgoing="A customer whose last contract ends and is not renewed within 30 days.",
    value_unit="€",
)


@pytest.fixture
def room(empty_store: Store, tmp_path: Path) -> Store:
    add_stages(empty_store)
    write_churn_export(tmp_path / "crm_churn.csv")
    import_file(empty_store, kind="movements", path=tmp_path / "crm_churn.csv", actor="system")
    return empty_store


def test_definitions_are_recorded_and_round_trip_through_the_setup_file(room: Store) -> None:
    assert not definitions(room).recorded
    assert "customer_math" not in export_text(room)
    service.set_definitions(room, DEFS, actor="system")
    got = definitions(room)
    assert (got.incoming, got.outgoing, got.value_unit, got.recorded) == (DEFS.incoming, DEFS.outgoing, "€", True)
    text = export_text(room)
    assert apply_text(room, text, actor="system").changes == 0  # applying the room's own file changes nothing
    changed = text.replace("returns.", "returns within two years.")
    report = apply_text(room, changed, actor="system")
    assert report.sections["customer_math"].updated and definitions(room).incoming.endswith("within two years.")
    with pytest.raises(SetupFileError, match=r"line \d+: customer_math\.outgoing"):
        apply_text(room, changed.replace(DEFS.outgoing, "no"), actor="system")


def test_a_viewer_cannot_change_the_definitions(room: Store) -> None:
    from cxroom.permissions import Role
    from cxroom.services import trust

    trust.set_user_role(room, email="v@example.com", display_name="V", role=Role.VIEWER, actor="system")
    with pytest.raises(PermissionDeniedError):
        service.set_definitions(room, DEFS, actor="v@example.com")


def test_calls_to_lost_customers_take_the_reasons_stage_and_are_counted_per_month(room: Store) -> None:
    evidence.create_category_rule(
        room, CategoryRuleCreate(category="Renewal price increase", stage_slug="renew"), actor="system"
    )
    lost = room.execute(
        "SELECT id, reason, moved_at FROM customer_movements WHERE movement = 'lost' AND moved_at >= ? "
        "AND moved_at < ? ORDER BY id LIMIT 3",
        [date(2025, 3, 1), date(2025, 4, 1)],
    )
    by_reason = service.log_lost_call(
        room,
        service.LostCallCreate(
            called_at=datetime(2025, 3, 20),
            called_by="The CEO",
            reason="renewal price increase",
            customer_said="Too dear.",
        ),
        actor="system",
    )
    chosen = service.log_lost_call(
        room,
        service.LostCallCreate(
            called_at=datetime(2025, 3, 21), called_by="COO", stage_slug="claim", movement_id=lost[0][0]
        ),
        actor="system",
    )
    stages = dict(room.execute("SELECT c.id, s.slug FROM lost_customer_calls c JOIN stages s ON s.id = c.stage_id"))
    assert stages == {by_reason: "renew", chosen: "claim"}
    with pytest.raises(InvalidInputError, match="Which stage lost this customer"):
        service.log_lost_call(
            room,
            service.LostCallCreate(called_at=datetime(2025, 3, 22), called_by="X", reason="Moved abroad"),
            actor="system",
        )
    math = load_customer_math(room, date(2025, 6, 1))
    assert math.calls == {date(2025, 3, 1): 2}
    march = next(m for m in math.months if m.month == date(2025, 3, 1))
    assert march.customers_out == room.fetch_value(
        "SELECT count(*) FROM customer_movements WHERE movement = 'lost' AND moved_at >= ? AND moved_at < ?",
        [date(2025, 3, 1), date(2025, 4, 1)],
    )


def test_movements_follow_the_rules_when_they_change(room: Store) -> None:
    def stage_of(reason: str) -> set[object]:
        return {r[0] for r in room.execute("SELECT stage_id FROM customer_movements WHERE reason = ?", [reason])}

    assert stage_of("Long wait on phone") == {None}
    rule = evidence.create_category_rule(
        room, CategoryRuleCreate(category="Long wait on phone", stage_slug="get-help"), actor="system"
    )
    help_id = room.fetch_value("SELECT id FROM stages WHERE slug = 'get-help'")
    assert stage_of("Long wait on phone") == {help_id}
    version = room.fetch_value("SELECT version FROM category_rules WHERE id = ?", [rule])
    rules.delete_rule(room, rule, expected_version=version, actor="system")
    assert stage_of("Long wait on phone") == {None}


def test_the_demos_losses_follow_its_complaints(demo_store: Store) -> None:
    """Losses rise where complaints rise, and every reason lost at a stage is a complaint category of it."""
    import numpy as np

    rows = demo_store.execute(
        "WITH c AS (SELECT stage_id, date_trunc('month', received_at) AS m, count(*) AS n FROM complaints "
        "WHERE stage_id IS NOT NULL GROUP BY ALL), l AS (SELECT stage_id, date_trunc('month', moved_at) AS m, "
        "count(*) AS n FROM customer_movements WHERE movement = 'lost' AND stage_id IS NOT NULL GROUP BY ALL) "
        "SELECT c.stage_id, c.n, coalesce(l.n, 0) FROM c LEFT JOIN l USING (stage_id, m) ORDER BY ALL"
    )
    # Over every stage and month: the more complaints, the more losses.
    assert np.corrcoef([r[1] for r in rows], [r[2] for r in rows])[0, 1] > 0.9
    # Month by month at Get help, whose complaints climb: its losses climb with them.
    get_help = demo_store.fetch_value("SELECT id FROM stages WHERE slug = 'get-help'")
    complaints, losses = [r[1] for r in rows if r[0] == get_help], [r[2] for r in rows if r[0] == get_help]
    assert np.corrcoef(complaints, losses)[0, 1] > 0.7
    assert sum(losses[-6:]) > sum(losses[:6])
    mismatched = demo_store.fetch_value(
        "SELECT count(*) FROM customer_movements m WHERE m.stage_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "
        "complaints c WHERE c.category = m.reason AND c.stage_id = m.stage_id)"
    )
    assert mismatched == 0
    # Life events are lost customers no stage caused: they stay off the stages.
    assert (
        demo_store.fetch_value(
            "SELECT count(*) FROM customer_movements WHERE reason IN ('Moved abroad', 'Sold the car', 'Deceased') "
            "AND stage_id IS NOT NULL"
        )
        == 0
    )


def test_a_stage_losing_more_customers_is_a_reason_on_the_agenda(room: Store) -> None:
    from cxroom.insights.agenda import stage_signals
    from cxroom.insights.agenda_facts import AgendaInputs, StageFacts
    from cxroom.insights.customer_math import LossFacts
    from cxroom.queries.customer_math import stage_losses

    evidence.create_category_rule(room, CategoryRuleCreate(category="Moved abroad", stage_slug="renew"), actor="system")
    renew = int(room.fetch_value("SELECT id FROM stages WHERE slug = 'renew'"))
    facts = {f.stage_id: f for f in stage_losses(room, date(2025, 3, 1))}
    counted = room.execute(
        "SELECT count(*) FILTER (WHERE moved_at >= '2025-03-01'), count(*) FILTER (WHERE moved_at < '2025-03-01') "
        "FROM customer_movements WHERE movement = 'lost' AND reason = 'Moved abroad' "
        "AND moved_at >= '2025-02-01' AND moved_at < '2025-04-01'"
    )[0]
    assert (facts[renew].lost, facts[renew].previous) == counted
    stage = StageFacts(renew, "renew", "Renew", 7)
    inputs = AgendaInputs(month=date(2025, 3, 1), held_on=date(2025, 4, 5), since=datetime(2025, 3, 1))
    rose = AgendaInputs(**{**inputs.__dict__, "stages": (stage,), "losses": (LossFacts(renew, 60, 40),)})
    flat = AgendaInputs(**{**inputs.__dict__, "stages": (stage,), "losses": (LossFacts(renew, 45, 40),)})
    [signal] = stage_signals(rose)
    assert signal.reasons == ("More customers lost · 60 lost this month, 40 the month before",)
    assert stage_signals(flat)[0].reasons == ()


def test_the_scale_generator_makes_movements_that_reconcile(empty_store: Store) -> None:
    from cxroom.scale import SCALES
    from cxroom.services import bulk
    from cxroom.services.customer_math_load import load_scale_movements

    assert SCALES["large"].movements == 5_000_000
    add_stages(empty_store)
    for slug in ("pay", "claim", "renew"):
        evidence.create_category_rule(
            empty_store, CategoryRuleCreate(category=f"Scale reason {slug}", stage_slug=slug), actor="system"
        )
    with empty_store.transaction("system") as tx:
        batch = bulk.open_batch(tx, kind="demo", source="Scale generator", file_name="test")
        load_scale_movements(tx, count=20_000, end=date(2026, 10, 31), days=365, batch_id=batch)
    assert empty_store.fetch_value("SELECT count(*) FROM customer_movements") == 20_000
    lost_on_stages = empty_store.fetch_value(
        "SELECT count(DISTINCT stage_id) FROM customer_movements WHERE movement = 'lost'"
    )
    assert lost_on_stages == 3
    months = [m for m in load_customer_math(empty_store, date(2026, 10, 1)).months if m.active_start is not None]
    assert len(months) >= 10 and all(m.reconciliation_gap == 0 for m in months)
