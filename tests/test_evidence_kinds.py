"""The registry of evidence kinds: it lists the five kinds, every layer has its part
of each (import pass, wall block, stage tab), a table that misses a kind or names an
unknown one is refused, and the import service takes only the registry's importable kinds."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import BaseModel

from cxroom import evidence_kinds
from cxroom.cli.entry import build_parser
from cxroom.errors import InvalidInputError
from cxroom.evidence_kinds import KINDS, EvidenceKind
from cxroom.importers import passes, resolve
from cxroom.importers.mapping import MAPPING_MODELS
from cxroom.importers.passes import complaints, kpis, movements, surveys
from cxroom.inbox import layout as inbox_layout
from cxroom.inbox.jobs import JOB_MODELS
from cxroom.queries.wall import wall_data
from cxroom.services.imports import import_file
from cxroom.store import Store
from cxroom.ui.listening import state as listening_state
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


# -- every list of importable kinds is derived from the registry --------------------------------


def test_the_cli_inbox_listening_and_wall_lists_are_the_registrys_kinds() -> None:
    importable_keys = evidence_kinds.kind_keys(evidence_kinds.importable())
    parser, _ = build_parser()
    import_commands = _subcommands(_subcommands(parser)["import"])
    assert list(import_commands) == [*importable_keys, "undo"]
    # the CLI's flags per kind did not change: --aggregate stays with the KPIs alone
    assert ["--aggregate" in c.format_help() for c in import_commands.values()] == [False, True, False, False, False]
    assert importable_keys == inbox_layout.IMPORT_KINDS
    assert inbox_layout.MEDIA_KINDS == ("artifacts", "calls")
    assert set(inbox_layout.KINDS) == set(evidence_kinds.kind_keys())
    assert list(JOB_MODELS) == list(evidence_kinds.kind_keys())
    assert tuple(listening_state.KIND_LABELS) == importable_keys
    assert listening_state.KIND_LABELS["kpis"] == "KPI readings"
    assert tuple(MAPPING_MODELS) == importable_keys
    assert tuple(wall_data.READS) == evidence_kinds.kind_keys()


def test_the_cli_reads_the_registry_when_it_builds_its_commands(monkeypatch: pytest.MonkeyPatch) -> None:
    social = EvidenceKind("social", "Social posts", "social_posts", importable=True, wall_rank=9, import_help="posts")
    monkeypatch.setattr(evidence_kinds, "KINDS", (*KINDS, social))
    parser, _ = build_parser()
    args = parser.parse_args(["import", "social", "posts.csv", "--period", "2026-01"])
    assert (args.import_kind, args.file, args.period) == ("social", Path("posts.csv"), "2026-01")
    assert _subcommands(_subcommands(parser)["import"])["social"].description is None
    with pytest.raises(SystemExit):
        parser.parse_args(["import", "calls", "posts.csv"])


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


# A new importable kind put in the registry before anything else of cxroom is imported:
# the lists that need nothing of the kind follow it, and each layer that keeps a part of
# the kind refuses to load until the kind's part is written.
_NEW_KIND = """
import json, sys
from cxroom import evidence_kinds as ek
ek.KINDS = (*ek.KINDS, ek.EvidenceKind("social", "Social posts", "social_posts", importable=True,
            wall_rank=9, file_label="Social posts", import_help="social posts"))
out = {}
from cxroom.inbox import layout
out["inbox"] = list(layout.IMPORT_KINDS)
from cxroom.ui.listening import state
out["listening"] = list(state.KIND_LABELS.items())
for module in ("cxroom.importers.mapping", "cxroom.queries.wall.wall_data",
               "cxroom.inbox.jobs"):
    try:
        __import__(module)
        out[module] = "loaded"
    except LookupError as exc:
        out[module] = str(exc)
    sys.modules.pop(module, None)
print(json.dumps(out))
"""


def test_a_new_importable_kind_is_followed_or_its_missing_parts_are_named() -> None:
    done = subprocess.run([sys.executable, "-c", _NEW_KIND], capture_output=True, text=True, timeout=120, check=True)
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["inbox"] == ["complaints", "kpis", "surveys", "movements", "social"]
    assert out["listening"][-1] == ["social", "Social posts"]
    # the import passes are found by the kind's name: a kind without its module is named
    with pytest.raises(LookupError, match=r"^Evidence kinds: no import pass for social \(a module "):
        passes._pass_of("social")
    assert out["cxroom.importers.mapping"] == "Evidence kinds: no mapping model for social."
    assert out["cxroom.queries.wall.wall_data"] == "Evidence kinds: no wall read for social."
    assert out["cxroom.inbox.jobs"] == "loaded"  # an importable kind takes the import job


class _MovementMapping(BaseModel):
    moved_at: str
    customer_id: str | None = None
    channel: str | None = None
    survey: int | None = None  # not a column: never taken from a header
    date_format: str | None = None


def test_a_kind_without_its_own_proposal_gets_the_columns_of_the_same_name() -> None:
    headers = ["ID", "Moved at", "moved_at", "Customer-Id", "Survey"]
    assert resolve.propose_same_names(_MovementMapping, headers) == {
        "moved_at": "Moved at",
        "customer_id": "Customer-Id",
    }
    assert resolve.propose_same_names(_MovementMapping, ["when", "who"]) == {}
