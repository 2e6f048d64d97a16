"""Write a room's set-up as the set-up file (YAML), always in the same order.

Only what differs from a field's default is written (no empty descriptions,
no ``archived: false``), so the file stays short enough to read and edit, and
an omitted field means its default when the file is applied. The order is the
room's: stages and their moments in wall order, KPIs by stage then name,
silos and rules by name, survey questions by survey then as they were added.
"""

from __future__ import annotations

from typing import Any

from ruamel.yaml.comments import CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, LiteralScalarString

from cxroom.queries import setup_file as q
from cxroom.setupfile import customer_math
from cxroom.setupfile.model import FORMAT, WHY, dump
from cxroom.store import Store

HEADER = f"""The Customer Room's set-up (format {FORMAT}): stages, moments of truth, silos and who is
accountable, KPIs, survey questions and category rules.
Check it with:  python -m cxroom setup apply FILE --dry-run
Apply it with:  python -m cxroom setup apply FILE   (creates and updates; never deletes)
Fields left out take their default. See docs/setup.md ("The set-up file")."""


def _text(value: Any) -> Any:
    """Multi-line text as a YAML block (|), which reads and edits like the text itself; text with
    carriage returns in double quotes ("\r\n"), since a block would read them back as plain newlines."""
    text = str(value)
    if "\r" in text:
        return DoubleQuotedScalarString(text)
    return LiteralScalarString(text) if "\n" in text else text


def _flow(items: list[str]) -> CommentedSeq:
    """A short list on one line ([Sales, Claims]), as people write it."""
    seq = CommentedSeq(items)
    seq.fa.set_flow_style()
    return seq


def _number(value: float | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() and abs(value) < 1e15 else float(value)


def _put(entry: dict[str, Any], key: str, value: Any, default: Any = None) -> None:
    if value is not None and value != default:
        entry[key] = _flow(value) if isinstance(value, list) else value


def _roles(links: list[dict[str, Any]]) -> tuple[list[str], list[str]]:
    owners = [str(r["silo"]) for r in links if r["role"] == "owner"]
    contributors = [str(r["silo"]) for r in links if r["role"] == "contributor"]
    return owners, contributors


def setup_data(store: Store) -> dict[str, Any]:
    """The room's set-up as plain data in the file's shape and order."""
    stage_links: dict[int, list[dict[str, Any]]] = {}
    for link in q.stage_silos(store):
        stage_links.setdefault(int(link["stage_id"]), []).append(link)
    moment_links: dict[int, list[dict[str, Any]]] = {}
    for link in q.moment_silos(store):
        moment_links.setdefault(int(link["moment_id"]), []).append(link)

    stages = []
    for s in q.stages(store):
        entry: dict[str, Any] = {"slug": s["slug"], "name": s["name"]}
        _put(entry, "customer_goal", _text(s["customer_goal"]), "")
        _put(entry, "description", _text(s["description"]), "")
        _put(entry, "colour", s["colour"], "#4C78A8")
        _put(entry, "archived", bool(s["archived"]), False)
        owners, contributors = _roles(stage_links.get(int(s["id"]), []))
        _put(entry, "owners", owners, [])
        _put(entry, "contributors", contributors, [])
        stages.append(entry)

    moments = []
    for m in q.moments(store):
        entry = {"stage": m["stage"], "name": m["name"]}
        _put(entry, "description", _text(m["description"]), "")
        _put(entry, "why", [flag for flag in WHY if m[flag]], [])
        _put(entry, "key", bool(m["is_key"]), False)
        entry["state"] = m["reliability"]
        owners, contributors = _roles(moment_links.get(int(m["id"]), []))
        _put(entry, "owners", owners, [])
        _put(entry, "contributors", contributors, [])
        moments.append(entry)

    silos = []
    for si in q.silos(store):
        entry = {"name": si["name"]}
        _put(entry, "description", _text(si["description"]), "")
        silos.append(entry)

    kpis = []
    for k in q.kpis(store):
        entry = {"name": k["name"], "stage": k["stage"]}
        _put(entry, "moment", k["moment"])
        _put(entry, "unit", k["unit"], "")
        entry["direction"] = "higher" if k["direction"] == "higher_better" else "lower"
        _put(entry, "target", _number(k["target"]))
        _put(entry, "warning", _number(k["warning"]))
        entry["frequency"] = k["frequency"]
        _put(entry, "silo", k["silo"])
        _put(entry, "definition", _text(k["definition"]), "")
        kpis.append(entry)

    questions = []
    for qu in q.questions(store):
        entry = {"survey": qu["survey"], "text": qu["text"], "kind": qu["kind"]}
        _put(entry, "stages", [str(s) for s in qu["stages"]], [])
        questions.append(entry)

    rules = []
    for r in q.rules(store):
        entry = {}
        _put(entry, "source", r["source"])
        entry["category"] = r["category"]
        _put(entry, "subcategory", r["subcategory"])
        entry["stage"] = r["stage"]
        _put(entry, "moment", r["moment"])
        rules.append(entry)

    return {
        "format": FORMAT,
        "room": q.room_name(store),
        "stages": stages,
        "moments": moments,
        "silos": silos,
        "kpis": kpis,
        "survey_questions": questions,
        "category_rules": rules,
        **customer_math.export(store),
    }


def export_text(store: Store) -> str:
    """The set-up file of the room, as text."""
    return dump(setup_data(store), HEADER)


__all__ = ["HEADER", "export_text", "setup_data"]
