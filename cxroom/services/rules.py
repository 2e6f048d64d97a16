"""Category rules in bulk: create many, edit and delete, each change re-applied
to every complaint already imported in the same transaction, with a count of
the complaints that moved.

A complaint's stage and moment always come from the rules (the importer and
``evidence.create_category_rule`` resolve them the same way: the most specific
rule wins). Adding a rule can only take complaints in; editing or deleting one
can also leave complaints with no rule, and those go back to unmapped. So a
change re-resolves every complaint of the categories it touches, from scratch.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from cxroom.errors import ConflictError, InvalidInputError
from cxroom.models import CategoryRuleCreate
from cxroom.permissions import Action
from cxroom.services import _lookup, customer_math
from cxroom.store import Store, Tx

# The rule precedence of services.evidence.APPLY_RULES_SQL and the importer: a rule for the
# complaint's source beats one for every source, then one for its sub-category beats one for
# the whole category; the moment is the best-scoring rule's that names one (arg_max skips NULLs).
# Complaints are reduced to their (source, category, sub-category) keys first, so the join with
# the rules is over a few thousand keys, not millions of complaints; only the complaints whose
# stage or moment changes are written.
_MOVES_SQL = """
CREATE TEMP TABLE {moves} AS
WITH scope AS (SELECT DISTINCT unnest(?::VARCHAR[]) AS cat),
keys AS (
    SELECT DISTINCT source, lower(category) AS cat, lower(subcategory) AS sub
    FROM complaints WHERE lower(category) IN (SELECT cat FROM scope)
),
best AS (
    SELECT k.source, k.cat, k.sub,
           arg_max(r.stage_id, (r.source IS NOT NULL)::INT * 2 + (r.subcategory IS NOT NULL)::INT) AS stage_id,
           arg_max(r.moment_id, (r.source IS NOT NULL)::INT * 2 + (r.subcategory IS NOT NULL)::INT) AS moment_id
    FROM keys k JOIN category_rules r
      ON lower(r.category) = k.cat
     AND (r.subcategory IS NULL OR lower(r.subcategory) = k.sub)
     AND (r.source IS NULL OR r.source = k.source)
    GROUP BY k.source, k.cat, k.sub
)
SELECT c.id, c.stage_id AS old_stage_id, b.stage_id AS new_stage_id, b.moment_id AS new_moment_id
FROM complaints c
LEFT JOIN best b ON b.source = c.source AND b.cat = lower(c.category) AND b.sub = lower(c.subcategory)
WHERE lower(c.category) IN (SELECT cat FROM scope)
  AND (c.stage_id IS DISTINCT FROM b.stage_id OR c.moment_id IS DISTINCT FROM b.moment_id)
"""

_APPLY_MOVES_SQL = """
UPDATE complaints AS c SET stage_id = m.new_stage_id, moment_id = m.new_moment_id
FROM {moves} AS m WHERE c.id = m.id
"""

_MOVED_SQL = """
SELECT s.name AS stage, mo.name AS moment, count(*) AS n
FROM {moves} m JOIN stages s ON s.id = m.new_stage_id LEFT JOIN moments mo ON mo.id = m.new_moment_id
GROUP BY s.name, s.position, mo.name, mo.position
ORDER BY n DESC, s.position, mo.position NULLS FIRST
"""

_LEFT_UNMAPPED_SQL = "SELECT count(*) FROM {moves} WHERE new_stage_id IS NULL"

_STILL_UNMAPPED_SQL = "SELECT count(*) FROM complaints WHERE stage_id IS NULL"

_SAME_RULE_SQL = """
SELECT id FROM category_rules
WHERE source IS NOT DISTINCT FROM ?::VARCHAR AND lower(category) = lower(?::VARCHAR)
  AND lower(subcategory) IS NOT DISTINCT FROM lower(?::VARCHAR) AND id <> ?
"""


@dataclass(frozen=True)
class RuleEdit:
    """A rule's new values, and the version the person saw (optimistic concurrency)."""

    rule_id: int
    data: CategoryRuleCreate
    expected_version: int


@dataclass(frozen=True)
class RuleDelete:
    rule_id: int
    expected_version: int


@dataclass
class Moved:
    """What a change of rules did to the complaints already in the room."""

    created: list[int] = field(default_factory=list)  # ids of the new rules
    updated: int = 0
    deleted: int = 0
    moved: list[tuple[str, str | None, int]] = field(default_factory=list)  # (stage, moment, complaints)
    left_unmapped: int = 0  # complaints that had a stage and now have none
    still_unmapped: int = 0  # complaints in the room with no stage, after the change

    @property
    def moved_total(self) -> int:
        return sum(n for _, _, n in self.moved)

    def message(self) -> str:
        """ "23 complaints moved to Make a claim; 4 left unmapped." and what is still unmapped."""
        parts = [
            f"{n:,} complaint{'s' if n != 1 else ''} moved to {stage}{f' › {moment}' if moment else ''}"
            for stage, moment, n in self.moved
        ]
        if self.left_unmapped:
            parts.append(f"{self.left_unmapped:,} left unmapped")
        said = "; ".join(parts) if parts else "No complaint moved"
        plural = "s" if self.still_unmapped != 1 else ""
        return f"{said}. {self.still_unmapped:,} complaint{plural} in the room not on a stage."


def _rule_values(tx: Tx, data: CategoryRuleCreate, rule_id: int) -> list[object]:
    stage = _lookup.stage_id(tx, data.stage_slug)
    moment = _lookup.moment_id(tx, stage, data.moment_name)
    same = tx.fetch_value(_SAME_RULE_SQL, [data.source, data.category, data.subcategory, rule_id])
    if same is not None:
        sub = f" › '{data.subcategory}'" if data.subcategory else ""
        where = f"source '{data.source}'" if data.source else "every source"
        raise InvalidInputError(f"There is already a rule (#{same}) for '{data.category}'{sub} from {where}.")
    return [data.source, data.category, data.subcategory, stage, moment]


def reapply(tx: Tx, categories: set[str]) -> Moved:
    """Re-resolve the stage and moment of every complaint in these categories (any case) from
    the rules as they are now in this transaction; returns what moved."""
    moves = f"rule_moves_{uuid.uuid4().hex[:12]}"
    outcome = Moved()
    try:
        tx.execute(_MOVES_SQL.format(moves=moves), [sorted({c.lower() for c in categories})])
        tx.execute(_APPLY_MOVES_SQL.format(moves=moves))
        outcome.moved = [(r[0], r[1], int(r[2])) for r in tx.fetch_all(_MOVED_SQL.format(moves=moves))]
        outcome.left_unmapped = int(tx.fetch_value(_LEFT_UNMAPPED_SQL.format(moves=moves)) or 0)
    finally:
        tx.execute(f"DROP TABLE IF EXISTS {moves}")
    outcome.still_unmapped = int(tx.fetch_value(_STILL_UNMAPPED_SQL) or 0)
    customer_math.reapply_rules(tx, categories)  # a lost customer's reason follows the same rules
    return outcome


def change_rules(
    store: Store,
    *,
    create: list[CategoryRuleCreate] | None = None,
    edit: list[RuleEdit] | None = None,
    delete: list[RuleDelete] | None = None,
    actor: str,
) -> Moved:
    """Create, edit and delete rules in one transaction, then re-apply them to the complaints
    of every category touched. All of it is saved, or none of it (a rule changed by someone
    else since it was read, a duplicate, an unknown stage or moment refuse the whole change)."""
    create, edit, delete = create or [], edit or [], delete or []
    if not (create or edit or delete):
        raise InvalidInputError("No rule to create, edit or delete.")
    touched: set[str] = set()
    with store.transaction(actor) as tx:
        tx.require(Action.ROOM_EDIT)
        for item in delete:
            before = _lookup.row(tx, "category_rules", item.rule_id)
            if before["version"] != item.expected_version:
                raise ConflictError(
                    f"The rule for '{before['category']}' was changed by someone else since you opened it; "
                    "nothing was saved. Reload to see their change."
                )
            tx.execute("DELETE FROM category_rules WHERE id = ?", [item.rule_id])
            tx.audit("delete", "category_rule", item.rule_id, before, None)
            touched.add(str(before["category"]))
        for change in edit:
            before = _lookup.row(tx, "category_rules", change.rule_id)
            values = _rule_values(tx, change.data, change.rule_id)
            columns = ["source", "category", "subcategory", "stage_id", "moment_id"]
            changes = dict(zip(columns, values, strict=True))
            tx.update_versioned("category_rules", change.rule_id, change.expected_version, changes)
            tx.audit("update", "category_rule", change.rule_id, before, change.data.model_dump())
            touched.update({str(before["category"]), change.data.category})
        outcome = Moved(updated=len(edit), deleted=len(delete))
        for data in create:
            values = _rule_values(tx, data, -1)
            new_id = int(
                tx.fetch_value(
                    "INSERT INTO category_rules (source, category, subcategory, stage_id, moment_id) "
                    "VALUES (?, ?, ?, ?, ?) RETURNING id",
                    values,
                )
            )
            tx.audit("create", "category_rule", new_id, None, data.model_dump())
            outcome.created.append(new_id)
            touched.add(data.category)
        applied = reapply(tx, touched)
        outcome.moved, outcome.left_unmapped, outcome.still_unmapped = (
            applied.moved,
            applied.left_unmapped,
            applied.still_unmapped,
        )
        tx.audit(
            "reapply",
            "category_rules",
            None,
            None,
            {
                "categories": sorted(touched),
                "moved": [{"stage": s, "moment": m, "complaints": n} for s, m, n in outcome.moved],
                "left_unmapped": outcome.left_unmapped,
            },
        )
        return outcome


def create_rules(store: Store, rules: list[CategoryRuleCreate], *, actor: str) -> Moved:
    """Many rules at once (accepting the suggestions), re-applied once."""
    return change_rules(store, create=rules, actor=actor)


def update_rule(store: Store, rule_id: int, data: CategoryRuleCreate, *, expected_version: int, actor: str) -> Moved:
    return change_rules(store, edit=[RuleEdit(rule_id, data, expected_version)], actor=actor)


def delete_rule(store: Store, rule_id: int, *, expected_version: int, actor: str) -> Moved:
    """Delete a rule; its complaints go to the next rule that matches them, or back to unmapped."""
    return change_rules(store, delete=[RuleDelete(rule_id, expected_version)], actor=actor)
