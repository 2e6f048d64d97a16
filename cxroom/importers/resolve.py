"""Which column holds what: the source of a file, the mapping saved for it, a proposal from the
headers and a profile of the values (dates and their format, numbers, yes/no flags), and the
mapping an import finally uses (explicit, else saved, else proposed; options given now win).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from cxroom.importers import per_call
from cxroom.importers import sqlexpr as sx
from cxroom.importers.errors import ImportFileError
from cxroom.importers.mapping import (
    MAPPING_MODELS,
    SCALES,
    Mapping,
    column_fields,
    looks_like_cfpb,
    norm_header,
    normalise_date_format,
    parse_mapping,
    suggest_complaint_mapping,
    suggest_kpi_fields,
    suggest_survey_comments,
    suggest_survey_fields,
)
from cxroom.importers.movement_mapping import missing_movement_columns, suggest_movement_mapping
from cxroom.importers.report import ImportOptions
from cxroom.importers.stage import Staged
from cxroom.store import Tx


def suggest_mapping(
    kind: str,
    headers: list[str],
    numeric: dict[str, dict[str, float]],
    source: str,
    options: ImportOptions | None = None,
    flags: set[str] | None = None,
) -> dict[str, Any]:
    """A mapping proposal from the headers (and, for surveys/KPIs, which columns hold numbers;
    for per-call KPI files, which hold yes/no flags). A kind without a proposal of its own
    gets its mapping's columns from the headers of the same name."""
    options = options or ImportOptions()
    propose = _PROPOSALS.get(kind)
    if propose is None:
        out = propose_same_names(MAPPING_MODELS[kind], headers)
        out["date_format"] = normalise_date_format(options.date_format)
        return out
    return propose(_FileFacts(headers, numeric, source, options, flags))


def propose_same_names(model: type[BaseModel], headers: list[str]) -> dict[str, Any]:
    """Each column field of ``model`` ('received_at') taken from the header of that name
    ('Received at', 'RECEIVED_AT'), the first such header winning; the rest left unmapped."""
    by_name: dict[str, str] = {}
    for header in headers:
        by_name.setdefault(norm_header(header), header)
    out: dict[str, Any] = {}
    for name, _required in column_fields(model):
        column = by_name.get(norm_header(name))
        if column is not None:
            out[name] = column
    return out


@dataclass(frozen=True)
class _FileFacts:
    """What a kind's own proposal may read of a file."""

    headers: list[str]
    numeric: dict[str, dict[str, float]]
    source: str
    options: ImportOptions
    flags: set[str] | None


def _propose_complaints(f: _FileFacts) -> dict[str, Any]:
    headers, options = f.headers, f.options
    out: dict[str, Any] = dict(suggest_complaint_mapping(headers))
    out["date_format"] = normalise_date_format(options.date_format)
    return out


def _propose_kpis(f: _FileFacts) -> dict[str, Any]:
    headers, numeric, options, flags = f.headers, f.numeric, f.options, f.flags
    fields = suggest_kpi_fields(headers)
    if options.aggregate:
        measures = per_call.suggest_measures(
            headers, flags or set(), set(numeric), {h for h in (fields["period"],) if h}
        )
        return {
            "layout": "wide",
            "period": fields["period"],
            "aggregate": options.aggregate,
            "measures": {name: {"column": h, "measure": how} for name, (h, how) in measures.items()},
            "date_format": normalise_date_format(options.date_format),
        }
    if fields["kpi_name"] and fields["value"]:
        return {
            "layout": "long",
            "kpi_name": fields["kpi_name"],
            "value": fields["value"],
            "period": fields["period"],
            "fixed_period": options.period,
            "date_format": normalise_date_format(options.date_format),
        }
    skip = {fields["period"], fields["index"]}
    kpi_columns = {h: h for h in headers if h not in skip and h in numeric}
    return {
        "layout": "wide",
        "period": fields["period"],
        "index": fields["index"],
        "kpi_columns": kpi_columns,
        "start": options.start,
        "frequency": options.frequency or "daily",
        "fixed_period": options.period,
        "date_format": normalise_date_format(options.date_format),
    }


def _propose_surveys(f: _FileFacts) -> dict[str, Any]:
    headers, numeric, source, options = f.headers, f.numeric, f.source, f.options
    fields = suggest_survey_fields(headers)
    na = list(options.na_values)
    if fields["question"] and fields["value"]:
        return {
            "layout": "long",
            "survey": source,
            "question": fields["question"],
            "value": fields["value"],
            "response_id": fields["response_id"],
            "answered_at": fields["answered_at"],
            "fixed_period": options.period,
            "default_kind": options.survey_kind,
            "na_values": na,
            "date_format": normalise_date_format(options.date_format),
            "comments": suggest_survey_comments(headers, {h for h in fields.values() if h} | set(numeric)),
        }
    low, high = SCALES[options.survey_kind]
    questions = {
        h: options.survey_kind
        for h, stats in numeric.items()
        if h not in (fields["response_id"], fields["answered_at"])
        and stats["integers"] == stats["numbers"]
        and stats["min"] >= min(low, 0)
        and stats["max"] <= high
        and stats["max"] > 0
    }
    if any(numeric[h]["min"] == 0 for h in questions) and low > 0 and not na:
        na = ["0"]  # 0 on a 1-5 scale: not applicable (the airline survey); shown so it can be changed
    return {
        "layout": "wide",
        "survey": source,
        "response_id": fields["response_id"],
        "answered_at": fields["answered_at"],
        "fixed_period": options.period,
        "questions": questions,
        "na_values": na,
        "date_format": normalise_date_format(options.date_format),
        "comments": suggest_survey_comments(headers, {h for h in fields.values() if h} | set(numeric)),
    }


# The kinds whose proposal reads more than the headers' names (synonyms, numbers, layouts).
_PROPOSALS: dict[str, Callable[[_FileFacts], dict[str, Any]]] = {
    "complaints": _propose_complaints,
    "kpis": _propose_kpis,
    "surveys": _propose_surveys,
    "movements": lambda f: {
        **suggest_movement_mapping(f.headers),
        "date_format": normalise_date_format(f.options.date_format),
    },
}


def default_source(kind: str, source: str | None, staged: Staged, file_name: str) -> str:
    if source and source.strip():
        return source.strip()[:200]
    if kind == "complaints" and looks_like_cfpb(staged.headers):
        return "cfpb"
    return Path(file_name).stem[:200] or kind


def saved_mapping(tx: Tx, kind: str, source: str) -> dict[str, Any] | None:
    raw = tx.fetch_value("SELECT mapping FROM source_mappings WHERE kind = ? AND source = ?", [kind, source])
    return json.loads(raw) if raw else None


def mapping_fits(mapping: dict[str, Any], headers: list[str]) -> bool:
    return all(h in headers for h in referenced_headers(mapping))


def referenced_headers(mapping: dict[str, Any]) -> list[str]:
    names: list[str] = []
    for key, value in mapping.items():
        if key in (
            "date_format",
            "layout",
            "survey",
            "start",
            "frequency",
            "fixed_period",
            "default_kind",
            "na_values",
            "aggregate",
        ):
            continue
        if key == "measures" and isinstance(value, dict):  # KPI name -> {column, measure}
            names.extend(str(v["column"]) for v in value.values() if isinstance(v, dict) and "column" in v)
            continue
        if isinstance(value, str):
            names.append(value)
        elif isinstance(value, dict):
            names.extend(value.keys())
        elif isinstance(value, list):  # survey comment columns
            names.extend(str(v) for v in value)
    return names


def profile_columns(tx: Tx, staged: Staged) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, float]]]:
    """Which columns hold dates (and in which format) and which hold numbers, from all values."""
    dates: dict[str, dict[str, Any]] = {}
    numeric: dict[str, dict[str, float]] = {}
    for i, header in enumerate(staged.headers):
        col = f"c{i}"
        row = tx.fetch_one(
            f"SELECT count(*) FILTER (WHERE NOT {sx.is_missing(col)}), "
            f"count({sx.number(col)}) FILTER (WHERE NOT {sx.is_missing(col)}), "
            f"min({sx.number(col)}), max({sx.number(col)}), "
            f"count(*) FILTER (WHERE {sx.number(col)} = floor({sx.number(col)})), "
            f"count(*) FILTER (WHERE regexp_matches(trim({col}), '[0-9]+[-/.][0-9]+[-/.][0-9]+')) "
            f"FROM {staged.table}"
        )
        assert row is not None
        values, nums, low, high, integers, datey = (int(row[0]), int(row[1]), row[2], row[3], int(row[4]), int(row[5]))
        # Mostly numbers is enough: a rating or KPI column with a few bad cells is still that
        # column (its bad cells are quarantined on import), not a column to leave out unsaid.
        if nums and nums * 2 >= values:
            numeric[header] = {
                "values": values,
                "numbers": nums,
                "min": float(low),
                "max": float(high),
                "integers": integers,
                "zeros": 0,
            }
        if values and datey * 2 >= values:
            det = sx.detect_date_format(tx, staged.table, col, include_month=True)
            dates[header] = {
                "format": det.chosen,
                "label": det.label if det.chosen else None,
                "ambiguous": det.ambiguous,
                "message": det.message(header),
                "fits": det.fits,
            }
    for header, stats in numeric.items():
        numeric_col = staged.col(header)
        assert numeric_col is not None  # every header profiled here is one of the staged file's
        stats["zeros"] = int(tx.fetch_value(f"SELECT count(*) FROM {staged.table} WHERE {sx.number(numeric_col)} = 0"))
    return dates, numeric


def resolve_mapping(
    tx: Tx, *, kind: str, source: str, staged: Staged, mapping: dict[str, Any] | None, options: ImportOptions
) -> Mapping:
    """The explicit mapping, else the one saved for the source, else the recognised headers."""
    if mapping is None:
        saved = saved_mapping(tx, kind, source)
        if saved and kind == "kpis" and bool(options.aggregate) != bool(saved.get("aggregate")):
            saved = None  # a per-call import and a period-per-row import of one source read different columns
        if saved and mapping_fits(saved, staged.headers):
            mapping = saved
            staged.notes.append(f"Using the column mapping saved for source '{source}'.")
        else:
            numeric = profile_columns(tx, staged)[1] if kind != "complaints" else {}
            flags = flag_columns(tx, staged) if kind == "kpis" and options.aggregate else set()
            mapping = suggest_mapping(kind, staged.headers, numeric, source, options, flags)
    mapping = dict(mapping)
    if kind == "complaints":
        missing = [f for f in ("received_at", "category") if not mapping.get(f)]
        if missing:
            names = {"received_at": "the date received", "category": "the category (issue)"}
            raise ImportFileError(
                "Required column missing: no column holds "
                + " and ".join(names[m] for m in missing)
                + ". The file's columns are: "
                + ", ".join(repr(h) for h in staged.headers)
                + ". Map them explicitly (CLI: --mapping FILE)."
            )
    if kind == "movements":
        missing_movement_columns(mapping, staged.headers)
    # Options given now win over a saved mapping's.
    explicit_format = normalise_date_format(options.date_format)
    if explicit_format:
        mapping["date_format"] = explicit_format
    # An option applies to the kinds whose mapping has its field (--period to KPIs and surveys).
    fields = MAPPING_MODELS[kind].model_fields
    if "fixed_period" in fields and options.period:
        mapping["fixed_period"] = options.period
    if "aggregate" in fields and options.aggregate:
        mapping["aggregate"] = options.aggregate
    if "start" in fields and options.start:
        mapping["start"] = options.start
        if options.frequency:
            mapping["frequency"] = options.frequency
    if "na_values" in fields and options.na_values:
        mapping["na_values"] = list(options.na_values)
    if kind == "surveys":
        mapping["survey"] = mapping.get("survey") or source
    parsed = parse_mapping(kind, mapping)
    unknown = [h for h in referenced_headers(parsed.model_dump()) if h not in staged.headers]
    if unknown:
        raise ImportFileError(
            "The mapping names column(s) the file does not have: "
            + ", ".join(repr(u) for u in unknown)
            + ". The file's columns are: "
            + ", ".join(repr(h) for h in staged.headers)
            + "."
        )
    return parsed


def flag_columns(tx: Tx, staged: Staged) -> set[str]:
    """Headers whose cells are mostly a yes or a no (Y/N, yes/no, true/false). Mostly, as for
    numbers: a flag column with a few bad cells is still that column (they are quarantined)."""
    found = set()
    for header in staged.headers:
        col = staged.col(header)
        assert col
        values, flags = tx.fetch_one(
            f"SELECT count(*) FILTER (WHERE NOT {sx.is_missing(col)}), count({per_call.flag(col)}) FROM {staged.table}"
        ) or (0, 0)
        if values and flags * 2 > values:
            found.add(header)
    return found
