"""A bad set-up file gives every problem with its line, and changes nothing at all."""

from __future__ import annotations

import pytest

from cxroom.setupfile.apply import apply_text
from cxroom.setupfile.model import SetupFileError
from cxroom.store import Store
from tests.setupfile.helpers import checksums
from tests.setupfile.test_apply import SMALL


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """1-based line of the n-th line containing ``needle`` (the test's own reading of the file)."""
    hits = [i + 1 for i, line in enumerate(text.splitlines()) if needle in line]
    return hits[occurrence - 1]


def problems_of(store: Store, text: str) -> list[str]:
    before = checksums(store)
    with pytest.raises(SetupFileError) as caught:
        apply_text(store, text, actor="cli")
    assert checksums(store) == before, "a bad file changed the room"
    with pytest.raises(SetupFileError):
        apply_text(store, text, actor="cli", dry_run=True)
    return [str(p) for p in caught.value.problems]


@pytest.fixture
def room(empty_store: Store) -> Store:
    """A room set up from the good file: bad files must leave it exactly as it is."""
    apply_text(empty_store, SMALL, actor="cli")
    return empty_store


CASES = [
    pytest.param(
        SMALL.replace("description: Branches and phone sales", "description: Branches: and phone sales"),
        "description: Branches",
        "not valid YAML: mapping values are not allowed here",
        id="yaml-syntax",
    ),
    pytest.param(
        SMALL.replace("  - stage: pay\n    name: Autopay works", "  - stage: pya\n    name: Autopay works"),
        "stage: pya",
        "moments[1].stage: there is no stage 'pya' in this file or in the room",
        id="unknown-stage-in-moment",
    ),
    pytest.param(
        SMALL.replace("    direction: lower\n", "    direction: down\n"),
        "direction: down",
        "kpis[1].direction: must be 'higher' or 'lower'",
        id="bad-direction",
    ),
    pytest.param(
        SMALL.replace("  - slug: old\n", "  - slug: join  # again\n"),
        "# again",
        "stages[2].slug: the stage slug 'join' is already in the file (stages[0].slug, line 4)",
        id="duplicate-slug",
    ),
    pytest.param(
        SMALL.replace("name: Old stage\n", "name: Old stage\n    colur: '#000000'\n"),
        "colur:",
        "stages[2].colur: is not a known field (check its spelling)",
        id="misspelt-field",
    ),
    pytest.param(
        SMALL.replace("    target: 98\n", "    target: ninety\n"),
        "target: ninety",
        "kpis[0].target: must be a number",
        id="not-a-number",
    ),
    pytest.param(
        SMALL.replace("    warning: 95.5\n", "    warning: .inf\n"),
        "warning: .inf",
        "kpis[0].warning: must be a finite number",
        id="infinite-number",
    ),
    pytest.param(
        SMALL.replace("    warning: 95.5\n", "    warning: 99.5\n"),
        "warning: 99.5",
        "kpis[0].warning: for a higher-is-better KPI the warning threshold must be at or below the target",
        id="warning-on-the-wrong-side",
    ),
    pytest.param(
        SMALL.replace("    owners: [Billing]\n    contributors", "    owners: [Biling]\n    contributors"),
        "owners: [Biling]",
        "stages[1].owners[0]: there is no silo 'Biling' in this file or in the room",
        id="unknown-silo",
    ),
    pytest.param(
        SMALL.replace("    state: reliable\n", "    state: fine\n"),
        "state: fine",
        "moments[1].state: must be 'broken', 'unreliable', 'reliable' or 'differentiating'",
        id="bad-state",
    ),
    pytest.param(
        SMALL.replace("  - slug: old\n    name: Old stage\n", "  - slug: Old Stage\n    name: Old stage\n"),
        "slug: Old Stage",
        "stages[2].slug: must be lower-case letters, digits and dashes, like 'get-help'",
        id="bad-slug",
    ),
    pytest.param(
        SMALL.replace("    kind: nps\n", "    kind: nps\n    kind: csat\n"),
        "kind: csat",
        'not valid YAML: found duplicate key "kind"',
        id="duplicate-key",
    ),
    pytest.param(
        SMALL.replace(
            "  - name: Complaints per 1000\n    stage: pay\n    direction: lower\n",
            "  - name: Complaints per 1000\n    stage: pay\n",
        ),
        "name: Complaints per 1000",
        "kpis[1].direction: is required",
        id="missing-field",
    ),
    pytest.param(
        SMALL.replace("    moment: First bill right\n  - source", "    moment: First bil right\n  - source"),
        "moment: First bil right",
        "category_rules[0].moment: stage 'pay' has no moment of truth 'First bil right' in this file or in the room",
        id="unknown-moment-in-rule",
    ),
]


@pytest.mark.parametrize(("text", "needle", "message"), CASES)
def test_a_bad_file_names_the_line_and_changes_nothing(room: Store, text: str, needle: str, message: str) -> None:
    problems = problems_of(room, text)
    expected = f"line {line_of(text, needle)}: {message}"
    assert any(p.startswith(expected) for p in problems), (expected, problems)


def test_every_problem_is_reported_in_line_order(room: Store) -> None:
    text = (
        SMALL.replace("  - slug: old\n", "  - slug: join\n")
        .replace("    direction: lower\n", "    direction: sideways\n")
        .replace("  - stage: pay\n    name: Autopay works", "  - stage: nowhere\n    name: Autopay works")
    )
    # the field problem (direction) is found first; fix it and the cross-entry problems show, all of them
    direction = f"line {line_of(text, 'sideways')}: kpis[1].direction: must be 'higher' or 'lower'"
    assert problems_of(room, text) == [direction]
    text = text.replace("sideways", "lower")
    assert problems_of(room, text) == [
        f"line {line_of(text, 'slug: join', 2)}: stages[2].slug: the stage slug 'join' is already in the file "
        "(stages[0].slug, line 4)",
        f"line {line_of(text, 'stage: nowhere')}: moments[1].stage: there is no stage 'nowhere' in this file or in "
        "the room",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("- slug: a\n  name: A\n", "line 1: the file must be a set of 'key: value' sections"),
        ("format: 2\n", "line 1: format: must be 1"),
        ("stages:\n  slug: a\n", "line 1: stages: must be a list"),
        (
            "stages:\n  - slug: a\n    name: A\n    archived: maybe\n",
            "line 4: stages[0].archived: must be true or false",
        ),
    ],
)
def test_shapes_that_are_not_a_set_up_file(empty_store: Store, text: str, expected: str) -> None:
    problems = problems_of(empty_store, text)
    assert problems[0].startswith(expected), problems


def test_aliases_are_refused_before_anything_is_built(empty_store: Store) -> None:
    """Nested aliases would expand a few lines into billions of values; the file is refused at once."""
    import time

    laughs = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(8)
    )
    started = time.perf_counter()
    problems = problems_of(empty_store, "format: 1\n" + laughs)
    assert problems == ["line 3: aliases (*name) are not allowed here: write the value out"]
    assert time.perf_counter() - started < 5
