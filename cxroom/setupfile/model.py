"""The set-up file: what it may hold, and how a hand-edited file is checked.

A room's set-up (its name, stages, moments of truth, silos and who is
accountable, KPIs, survey questions and category rules) is one YAML file.
People edit it by hand, so every problem is reported with the line it is on
(``line 14: kpis[2].direction: must be 'higher' or 'lower'``), and a file with
any problem is refused whole before anything is written.

Why YAML read with ruamel.yaml: facilitators edit this file in a text editor,
and YAML is the format of hand-written configuration they meet elsewhere
(comments, no braces or quotes around most values). ruamel.yaml is maintained,
reads YAML 1.2 (``no`` and ``on`` stay words, not booleans), refuses duplicate
keys, never builds Python objects from tags, and keeps the line of every key
and list item on the loaded nodes, which is what the line-numbered errors need.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Annotated, Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent

from cxroom.models import HEX_COLOUR, Frequency, Name, QuestionKind, Reliability, Slug, Text

FORMAT: Final = 1
WHY = ("drives_revenue", "forms_relationship", "rescues_at_risk", "grows_wallet")
Why = Literal["drives_revenue", "forms_relationship", "rescues_at_risk", "grows_wallet"]
RoomName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
Unit = Annotated[str, StringConstraints(strip_whitespace=True, max_length=20)]
Colour = Annotated[str, StringConstraints(pattern=HEX_COLOUR)]


class _Part(BaseModel):
    # Unknown keys are errors (a typo must not be ignored); a bare number where a
    # name is expected (a category called 2024) is read as the text it is.
    # .inf and .nan are numbers to YAML, but no target or threshold.
    model_config = ConfigDict(
        extra="forbid", str_strip_whitespace=True, coerce_numbers_to_str=True, allow_inf_nan=False
    )


class StageEntry(_Part):
    slug: Slug
    name: Name
    customer_goal: Text = ""
    description: Text = ""
    colour: Colour = "#4C78A8"
    archived: bool = False
    owners: list[Name] = []
    contributors: list[Name] = []


class MomentEntry(_Part):
    stage: Slug
    name: Name
    description: Text = ""
    why: list[Why] = []
    key: bool = False
    state: Reliability = Reliability.UNRELIABLE
    owners: list[Name] = []
    contributors: list[Name] = []


class SiloEntry(_Part):
    name: Name
    description: Text = ""


class KpiEntry(_Part):
    name: Name
    stage: Slug
    moment: Name | None = None
    unit: Unit = ""
    direction: Literal["higher", "lower"]
    target: float | None = None
    warning: float | None = None
    frequency: Frequency = Frequency.MONTHLY
    silo: Name | None = None
    definition: Text = ""


class QuestionEntry(_Part):
    survey: Name
    text: Name
    kind: QuestionKind
    stages: list[Slug] = []


class RuleEntry(_Part):
    source: Name | None = Field(default=None, description="omitted: every source")
    category: Name
    subcategory: Name | None = None
    stage: Slug
    moment: Name | None = None


class CustomerMathEntry(_Part):
    """The room's agreed definitions of customers in and out (customer math) and the unit of value."""

    incoming: Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=2000)]
    outgoing: Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=2000)]
    value_unit: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)] = "annual revenue"


class SetupFile(_Part):
    format: Literal[1] = FORMAT
    room: RoomName | None = None
    stages: list[StageEntry] = []
    moments: list[MomentEntry] = []
    silos: list[SiloEntry] = []
    kpis: list[KpiEntry] = []
    survey_questions: list[QuestionEntry] = []
    category_rules: list[RuleEntry] = []
    customer_math: CustomerMathEntry | None = None


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file: where (the path of keys and list indexes), on which line, and what."""

    line: int | None
    path: str
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line else ""
        return f"{where}{self.path + ': ' if self.path else ''}{self.message}"


class SetupFileError(ValueError):
    """A set-up file that cannot be applied; ``problems`` lists every reason found, by line."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        shown = "; ".join(str(p) for p in problems[:5])
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        super().__init__(f"The set-up file has {len(problems)} problem(s), nothing was changed: {shown}{more}")


@dataclass(frozen=True)
class Loaded:
    """A parsed file: the validated model, and the YAML tree that knows each node's line."""

    setup: SetupFile
    tree: Any


def yaml_engine() -> YAML:
    engine = YAML(typ="rt")  # round-trip nodes carry their line numbers
    engine.allow_duplicate_keys = False
    return engine


def path_text(loc: tuple[Any, ...]) -> str:
    """('kpis', 2, 'direction') -> 'kpis[2].direction'."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def line_of(tree: Any, loc: tuple[Any, ...]) -> int | None:
    """The 1-based line of the node at ``loc`` (or of the nearest node above it that exists)."""
    node, line = tree, (tree.lc.line if isinstance(tree, CommentedMap | CommentedSeq) else None)
    for part in loc:
        if isinstance(node, CommentedMap) and part in node:
            line = node.lc.key(part)[0]
            node = node[part]
        elif isinstance(node, CommentedSeq) and isinstance(part, int) and 0 <= part < len(node):
            line = node.lc.item(part)[0]
            node = node[part]
        else:
            break
    return None if line is None else line + 1


# Pydantic's wording, said the way a person editing the file reads it.
_MESSAGES = {
    "missing": "is required",
    "string_too_short": "must not be empty",
    "float_parsing": "must be a number",
    "finite_number": "must be a finite number",
    "float_type": "must be a number",
    "bool_parsing": "must be true or false",
    "bool_type": "must be true or false",
    "list_type": "must be a list (one '- item' per line, or [a, b])",
    "model_type": "must be a set of 'key: value' lines",
    "model_attributes_type": "must be a set of 'key: value' lines",
    "string_type": "must be text",
    "none_required": "must be empty",
}


def message_of(error: Any) -> str:
    kind = error["type"]
    if kind == "extra_forbidden":
        return "is not a known field (check its spelling)"
    if kind == "string_pattern_mismatch":
        if error["loc"] and error["loc"][-1] == "colour":
            return "must be a colour like '#4C78A8'"
        return "must be lower-case letters, digits and dashes, like 'get-help'"
    if kind == "string_type" and error.get("input") is None:
        return "is required"
    if kind in _MESSAGES:
        return _MESSAGES[kind]
    text = str(error["msg"])
    for prefix, instead in (("Input should be ", "must be "), ("Value error, ", "")):
        if text.startswith(prefix):
            text = instead + text[len(prefix) :]
    return text


def parse(text: str) -> Loaded:
    """Read and validate a set-up file's text; raises SetupFileError with every problem by line."""
    try:
        # Aliases (*name) are refused before anything is built: a few lines of nested aliases expand
        # to billions of values ("billion laughs"), and a set-up file has no need of them.
        for event in yaml_engine().parse(text):
            if isinstance(event, AliasEvent):
                line = event.start_mark.line + 1
                raise SetupFileError([Problem(line, "", "aliases (*name) are not allowed here: write the value out")])
        tree = yaml_engine().load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        what = exc.problem or exc.context or "not valid YAML"
        raise SetupFileError([Problem(line, "", f"not valid YAML: {what}")]) from None
    except YAMLError as exc:
        raise SetupFileError([Problem(None, "", f"not valid YAML: {exc}")]) from None
    if tree is None:
        tree = CommentedMap()
    if not isinstance(tree, CommentedMap):
        raise SetupFileError([Problem(1, "", "the file must be a set of 'key: value' sections (stages:, kpis:, ...)")])
    try:
        setup = SetupFile.model_validate(tree)
    except ValidationError as exc:
        problems = [
            Problem(line_of(tree, tuple(e["loc"])), path_text(_field_loc(e["loc"])), message_of(e))
            for e in exc.errors()
        ]
        raise SetupFileError(sorted(problems, key=lambda p: (p.line or 0, p.path))) from None
    return Loaded(setup, tree)


def _field_loc(loc: tuple[Any, ...]) -> tuple[Any, ...]:
    """Drop pydantic's inner type tags (e.g. 'literal['higher','lower']') from a location."""
    return tuple(p for p in loc if isinstance(p, int) or (isinstance(p, str) and "[" not in p and "'" not in p))


def problem(tree: Any, loc: tuple[Any, ...], message: str) -> Problem:
    return Problem(line_of(tree, loc), path_text(loc), message)


def dump(data: dict[str, Any], header: str) -> str:
    """YAML text of plain data, with a header comment; wide lines so long names stay on one line."""
    engine = YAML(typ="rt")
    engine.width = 4096
    engine.indent(mapping=2, sequence=4, offset=2)
    out = io.StringIO()
    out.write("".join(f"# {line}".rstrip() + "\n" for line in header.splitlines()))
    engine.dump(data, out)
    return out.getvalue()


__all__ = [
    "FORMAT",
    "WHY",
    "KpiEntry",
    "Loaded",
    "MomentEntry",
    "Problem",
    "QuestionEntry",
    "RuleEntry",
    "SetupFile",
    "SetupFileError",
    "SiloEntry",
    "StageEntry",
    "dump",
    "line_of",
    "message_of",
    "parse",
    "path_text",
    "problem",
]
