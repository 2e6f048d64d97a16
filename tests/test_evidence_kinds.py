"""The registry of evidence kinds: it lists the five kinds, every layer has its part
of each (import pass, wall block, stage tab), a table that misses a kind or names an
unknown one is refused, and the import service takes only the registry's importable kinds."""

from __future__ import annotations

from pathlib import Path

import pytest

from cxroom import evidence_kinds
from cxroom.errors import InvalidInputError
from cxroom.evidence_kinds import KINDS, EvidenceKind
from cxroom.importers import passes
from cxroom.importers.mapping import MAPPING_MODELS
from cxroom.importers.passes import complaints, kpis, movements, surveys
from cxroom.services.imports import import_file
from cxroom.store import Store
from cxroom.ui.wall import evidence as wall_evidence

SOCIAL = EvidenceKind("social", "Social posts", "social_posts", importable=False, wall_rank=7)


def test_the_registry_lists_the_five_kinds_in_the_stage_page_order() -> None:
    assert evidence_kinds.kind_keys() == ("complaints", "kpis", "surveys", "artifacts", "calls", "movements")
    assert [k.label for k in KINDS] == ["Complaints", "KPIs", "Surveys", "Artifacts", "Calls", "Customers lost"]
    assert evidence_kinds.kind_keys(evidence_kinds.importable()) == ("complaints", "kpis", "surveys", "movements")
    # A wall column leads with the KPIs, then complaints, as it always has.
    in_column = evidence_kinds.kind_keys(evidence_kinds.wall_order())
    assert in_column == ("kpis", "complaints", "surveys", "artifacts", "calls", "movements")
    assert len({k.wall_rank for k in KINDS}) == len(KINDS)


def test_every_kind_has_its_parts_in_every_layer() -> None:
    assert list(wall_evidence.VIEWS) == list(evidence_kinds.kind_keys())
    assert all(view.kind.key == key for key, view in wall_evidence.VIEWS.items())
    expected = {"complaints": complaints.run, "kpis": kpis.run, "surveys": surveys.run, "movements": movements.run}
    assert expected == passes.PASSES
    assert set(MAPPING_MODELS) == set(evidence_kinds.kind_keys(evidence_kinds.importable()))


def test_attach_answers_in_the_registry_order() -> None:
    kinds = (*KINDS, SOCIAL)
    table = evidence_kinds.attach(
        "block", {key: key.upper() for key in reversed(evidence_kinds.kind_keys(kinds))}, kinds=kinds
    )
    assert list(table) == ["complaints", "kpis", "surveys", "artifacts", "calls", "movements", "social"]


@pytest.mark.parametrize(
    ("entries", "needed", "message"),
    [
        # a new kind in the registry whose block nobody wrote
        ({k: 1 for k in evidence_kinds.kind_keys()}, None, "no wall block for social"),
        # a block for a kind the registry does not know
        (
            {k: 1 for k in ("complaints", "kpis", "surveys", "artifacts", "calls", "movements", "social", "tweets")},
            None,
            "wall block for tweets, which the registry does not list",
        ),
        # an import pass for a kind that arrives as files, not rows
        (
            {k: 1 for k in ("complaints", "kpis", "surveys", "movements", "calls")},
            "importable",
            "wall block for calls, which the registry does not list",
        ),
        # both at once: each named
        ({"complaints": 1}, None, "no wall block for kpis, surveys, artifacts, calls, movements, social"),
    ],
)
def test_attach_refuses_a_table_that_does_not_match_the_registry(
    entries: dict[str, int], needed: str | None, message: str
) -> None:
    kinds = (*KINDS, SOCIAL)
    select = (lambda kind: kind.importable) if needed else (lambda kind: True)
    with pytest.raises(LookupError, match=message):
        evidence_kinds.attach("wall block", entries, kinds=kinds, needed=select)


@pytest.mark.parametrize("kind", ["social", "calls", "artifacts", "Complaints", "", "complaints "])
def test_the_import_service_takes_only_importable_kinds_of_the_registry(
    empty_store: Store, tmp_path: Path, kind: str
) -> None:
    path = tmp_path / "rows.csv"
    path.write_text("date,text\n2026-01-02,late refund\n", encoding="utf-8")
    with pytest.raises(InvalidInputError, match=r"Unknown import kind .*use complaints, kpis, surveys or movements\."):
        import_file(empty_store, kind=kind, path=path, actor="system")
    assert empty_store.fetch_value("SELECT count(*) FROM import_batches") == 0


def test_the_import_service_runs_the_pass_the_registry_names(
    empty_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The service keeps no list of its own: swapping the registered pass is what it runs.
    ran: list[str] = []

    def complaints_pass(*args: object) -> None:
        ran.append("complaints")
        complaints.run(*args)

    monkeypatch.setitem(passes.PASSES, "complaints", complaints_pass)
    path = tmp_path / "rows.csv"
    rows = "Date received,Issue,Consumer complaint narrative\n2026-01-02,Billing,late refund\n"
    path.write_text(rows, encoding="utf-8")
    report = import_file(empty_store, kind="complaints", path=path, actor="system", dry_run=True)
    assert ran == ["complaints"]
    assert report.rows_read == 1
