"""The kinds of evidence that hang beneath a stage: complaints, KPIs, surveys,
artifacts and calls, in one registry that the import service, the wall column and
the stage page read.

This module is a leaf (it imports nothing of cxroom): each layer keeps its own part
of a kind (the import pass, the wall block, the stage tab) in a table keyed by the
kind and built with ``attach``, which refuses a table that misses a kind or names one
the registry does not know. A new kind is one ``EvidenceKind`` here plus its own files,
and forgetting one of its parts fails when the module that lacks it is imported, not
when someone opens the page.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class EvidenceKind:
    key: str  # the name code, URLs, import batches and the inbox use ("complaints")
    label: str  # how a page names it ("Complaints")
    table: str  # the table its rows live in; an import batch's undo deletes from it
    # Row evidence arrives as files of many rows and is imported by a pass
    # (cxroom.importers.passes); the others are files added one at a time
    # (cxroom.services.evidence_files).
    importable: bool
    # Place in a wall column, top first. The stage page's tabs follow the registry's
    # order; a column leads with the KPIs, the numbers of the moments of truth above them.
    wall_rank: int
    # An importable kind's file as the Listening page names it ("KPI readings") and the
    # help of its `python -m cxroom import KIND` command; the upload choices, the CLI's
    # sub-commands and the inbox's folders are the registry's importable kinds.
    file_label: str = ""
    import_help: str = ""


KINDS: tuple[EvidenceKind, ...] = (
    EvidenceKind(
        "complaints",
        "Complaints",
        "complaints",
        importable=True,
        wall_rank=2,
        file_label="Complaints",
        import_help="complaints (CFPB exports and the like)",
    ),
    EvidenceKind(
        "kpis",
        "KPIs",
        "kpi_readings",
        importable=True,
        wall_rank=1,
        file_label="KPI readings",
        import_help="KPI readings (long or wide form)",
    ),
    EvidenceKind(
        "surveys",
        "Surveys",
        "survey_responses",
        importable=True,
        wall_rank=3,
        file_label="Survey responses",
        import_help="survey responses (wide: a column per question, or long form)",
    ),
    EvidenceKind("artifacts", "Artifacts", "artifacts", importable=False, wall_rank=4),
    EvidenceKind("calls", "Calls", "calls", importable=False, wall_rank=5),
    EvidenceKind(
        "movements",
        "Customers lost",
        "customer_movements",
        importable=True,
        wall_rank=6,
        file_label="Customer movements",
        import_help="customers in and out (new, won back, upgraded, downgraded, lost; ids hashed)",
    ),
)


# The helpers read KINDS when called (not as a default bound at import), so every list
# derived from them follows the registry as it is.


def kind_keys(kinds: Sequence[EvidenceKind] | None = None) -> tuple[str, ...]:
    return tuple(k.key for k in (KINDS if kinds is None else kinds))


def importable(kinds: Sequence[EvidenceKind] | None = None) -> tuple[EvidenceKind, ...]:
    return tuple(k for k in (KINDS if kinds is None else kinds) if k.importable)


def added_one_at_a_time(kinds: Sequence[EvidenceKind] | None = None) -> tuple[EvidenceKind, ...]:
    """The kinds that arrive as single files (a call recording, an artifact), not as rows."""
    return tuple(k for k in (KINDS if kinds is None else kinds) if not k.importable)


def wall_order(kinds: Sequence[EvidenceKind] | None = None) -> tuple[EvidenceKind, ...]:
    return tuple(sorted(KINDS if kinds is None else kinds, key=lambda k: k.wall_rank))


def attach(
    part: str,
    entries: Mapping[str, T],
    *,
    kinds: Sequence[EvidenceKind] | None = None,
    needed: Callable[[EvidenceKind], bool] = lambda kind: True,
) -> dict[str, T]:
    """``entries`` (kind key -> this layer's part of the kind) checked against the
    registry: every kind that ``needed`` selects has one, no other key is named. The
    answer is in the registry's order, so a layer that iterates it shows the kinds in
    the one order."""
    wanted = [k.key for k in (KINDS if kinds is None else kinds) if needed(k)]
    missing = [key for key in wanted if key not in entries]
    unknown = [key for key in entries if key not in wanted]
    if missing or unknown:
        problems = []
        if missing:
            problems.append(f"no {part} for {', '.join(missing)}")
        if unknown:
            problems.append(f"a {part} for {', '.join(unknown)}, which the registry does not list there")
        raise LookupError(f"Evidence kinds: {'; '.join(problems)}.")
    return {key: entries[key] for key in wanted}
