"""The Category mapping tab of the Listening page: every unmapped (source,
category, sub-category) in one editable table with a suggested stage and moment,
accepted all at once or row by row; the rules with edit and delete; and one rule
by hand for the cases the table does not cover (every source, a whole category).
Every save says how many complaints moved."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from cxroom.errors import CxroomError
from cxroom.models import CategoryRuleCreate
from cxroom.queries import imports as qi
from cxroom.queries import mapping as qm
from cxroom.services import rules
from cxroom.store import Store
from cxroom.ui.kit.text import md

PAGE_ROWS = 200  # rows of the editable table: enough to map a file's categories, few enough to stay quick
EVERY_SOURCE = "(every source)"
NO_MOMENT = "(no moment)"
FLASH = "mapping_flash"  # the last save's message, shown after the rerun that refreshes the tables
EDITOR = "bulk_editor"


def mapping_tab(store: Store, actor: str) -> None:
    flash = st.session_state.pop(FLASH, None)
    if flash:
        st.success(md(flash))
    stages = qm.stage_choices(store)
    if not stages:
        st.info("The room has no stages yet; create them first (Room setup).")
        return
    labels = _Labels(stages, qm.moment_choices(store))
    bulk_table(store, actor, labels)
    st.divider()
    rules_list(store, actor, labels)
    with st.expander("Add one rule by hand (every source, or a whole category)"):
        one_rule_form(store, actor, labels)


class _Labels:
    """Stage and moment names as the table shows them, and back to slugs and names."""

    def __init__(self, stages: list[tuple[str, str]], moments: pd.DataFrame) -> None:
        names = [name for _, name in stages]
        # Two stages may share a name; the slug tells them apart.
        self.stage_label = {slug: (name if names.count(name) == 1 else f"{name} ({slug})") for slug, name in stages}
        self.stage_slug = {label: slug for slug, label in self.stage_label.items()}
        self.moment_label: dict[tuple[str, str], str] = {}
        for row in moments.itertuples(index=False):
            self.moment_label[(row.stage_slug, row.moment)] = f"{self.stage_label[row.stage_slug]} › {row.moment}"
        self.moment_of = {label: key for key, label in self.moment_label.items()}

    def moments(self, slug: str) -> list[str]:
        return [moment for (stage, moment) in self.moment_label if stage == slug]


# -- the table of unmapped categories ---------------------------------------------


def bulk_table(store: Store, actor: str, labels: _Labels) -> None:
    sources = qm.unmapped_sources(store)
    c1, c2 = st.columns([2, 1])
    picked = c1.selectbox("Source", [EVERY_SOURCE, *sources], key="bulk_source")
    source = None if picked == EVERY_SOURCE else picked
    groups, complaints = qm.unmapped_totals(store, source=source)
    if not groups:
        st.success("Every imported complaint is lined up to a stage.")
        return
    pages = (groups + PAGE_ROWS - 1) // PAGE_ROWS
    page = int(c2.number_input(f"Page (of {pages})", 1, pages, 1, key="bulk_page")) if pages > 1 else 1
    frame = qm.unmapped_with_suggestions(store, source=source, limit=PAGE_ROWS, offset=(page - 1) * PAGE_ROWS)
    st.markdown(
        f"**{complaints:,} complaints** in {groups:,} categories are not on a stage yet"
        + (f" (page {page} of {pages}, most complaints first)." if pages > 1 else ", most complaints first.")
    )
    st.caption(
        "The stage and moment are suggested from the rules already in the room, the same category in "
        "another source, or words shared with the stages and moments; change them as you like. "
        "Each row becomes a rule for its source, category and sub-category."
    )
    table = pd.DataFrame(
        {
            "map": False,
            "source": frame["source"],
            "category": frame["category"],
            "subcategory": frame["subcategory"],
            "complaints": frame["complaints"],
            "stage": [labels.stage_label.get(s) if s else None for s in frame["stage_slug"]],
            "moment": [
                labels.moment_label.get((s, m)) if s and m else None
                for s, m in zip(frame["stage_slug"], frame["moment"], strict=True)
            ],
            "reason": frame["reason"],
        }
    )
    key = f"{EDITOR}:{source or ''}:{page}"
    edited = st.data_editor(
        table,
        key=key,
        hide_index=True,
        width="stretch",
        disabled=["source", "category", "subcategory", "complaints", "reason"],
        column_config={
            "map": st.column_config.CheckboxColumn("Map", help="Save this row's stage as a rule", width="small"),
            "source": st.column_config.TextColumn("Source"),
            "category": st.column_config.TextColumn("Category"),
            "subcategory": st.column_config.TextColumn("Sub-category"),
            "complaints": st.column_config.NumberColumn("Complaints", format="localized"),
            "stage": st.column_config.SelectboxColumn("Stage", options=list(labels.stage_slug)),
            "moment": st.column_config.SelectboxColumn("Moment of truth", options=list(labels.moment_of)),
            "reason": st.column_config.TextColumn("Why this stage", width="large"),
        },
    )
    edited = _none(edited)
    edited["map"] = edited["map"].fillna(False).astype(bool)
    with_stage = int((edited["stage"].notna() | edited["moment"].notna()).sum())
    c1, c2, _ = st.columns([1, 1, 2])
    accept = c1.button(
        f"Accept all suggestions ({with_stage})",
        type="primary",
        disabled=not with_stage,
        key="bulk_accept_all",
        help="A rule for every row of this page that has a stage (your changes included).",
    )
    save = c2.button("Save checked and changed rows", key="bulk_save")
    if accept or save:
        chosen = edited if accept else edited[edited["map"] | _changed(table, edited)]
        try:
            new_rules = [_rule(row, labels) for row in chosen.to_dict("records") if row["stage"] or row["moment"]]
            unset = [] if accept else [r for r in chosen.to_dict("records") if not (r["stage"] or r["moment"])]
            if unset:
                raise ValueError(
                    "Choose a stage for "
                    + ", ".join(f"'{r['category']}'" for r in unset[:5])
                    + (f" and {len(unset) - 5} more" if len(unset) > 5 else "")
                    + " (or untick Map)."
                )
            if not new_rules:
                raise ValueError("No row has a stage to save: choose one in the Stage column, or tick Map.")
            moved = rules.create_rules(store, new_rules, actor=actor)
        except (CxroomError, ValueError) as exc:
            st.error(md(str(exc)))
            return
        _done(f"{len(new_rules)} rule{'s' if len(new_rules) != 1 else ''} added. {moved.message()}", key)


def _none(frame: pd.DataFrame) -> pd.DataFrame:
    """Empty cells as None: pandas' string columns and the editor hand them back as NaN, which
    is truthy and never equal to itself."""
    return frame.astype("object").where(frame.notna(), None)


def _changed(original: pd.DataFrame, edited: pd.DataFrame) -> pd.Series:
    """Rows whose stage or moment the person changed from the suggestion."""
    before = _none(original[["stage", "moment"]]).itertuples(index=False)
    after = _none(edited[["stage", "moment"]]).itertuples(index=False)
    return pd.Series([a != b for a, b in zip(before, after, strict=True)], index=edited.index)


def _rule(row: dict[str, Any], labels: _Labels) -> CategoryRuleCreate:
    """A row of the table as a rule; a moment chosen alone brings its stage."""
    slug = labels.stage_slug.get(row["stage"]) if row["stage"] else None
    moment = None
    if row["moment"]:
        moment_stage, moment = labels.moment_of[row["moment"]]
        if slug is None:
            slug = moment_stage
        elif moment_stage != slug:
            raise ValueError(f"'{row['category']}': the moment '{row['moment']}' is not on the stage '{row['stage']}'.")
    return CategoryRuleCreate(
        source=row["source"],
        category=row["category"],
        subcategory=row["subcategory"] or None,
        stage_slug=slug,
        moment_name=moment,
    )


def _done(message: str, *editor_keys: str) -> None:
    """Keep the message for after the rerun, forget the tables' edits (their rows changed), rerun."""
    st.session_state[FLASH] = message
    for key in editor_keys:
        st.session_state.pop(key, None)
    st.rerun()


# -- the rules ------------------------------------------------------------------------


def _rule_label(row: dict[str, Any]) -> str:
    sub = f" › {row['subcategory']}" if row["subcategory"] else ""
    source = row["source"] if row["source"] is not None else "every source"
    return f"#{row['id']} · {row['category']}{sub} ({source}) → {row['stage']}"


def rules_list(store: Store, actor: str, labels: _Labels) -> None:
    frame = qm.rules(store)
    if frame.empty:
        st.caption("No rules yet.")
        return
    st.markdown(f"**Rules** ({len(frame):,}; the most specific wins: source and sub-category before category)")
    shown = frame.assign(source=frame["source"].fillna(EVERY_SOURCE), subcategory=frame["subcategory"].fillna("(all)"))
    st.dataframe(
        shown[["source", "category", "subcategory", "stage", "moment", "complaints"]],
        hide_index=True,
        width="stretch",
        column_config={
            "source": "Source",
            "category": "Category",
            "subcategory": "Sub-category",
            "stage": "Stage",
            "moment": "Moment of truth",
            "complaints": st.column_config.NumberColumn("Complaints it decides", format="localized"),
        },
    )
    records = {int(r["id"]): r for r in frame.to_dict("records")}
    picked = st.selectbox(
        "Rule to change", list(records), format_func=lambda i: _rule_label(records[i]), key="rule_pick"
    )
    if picked is None:
        return
    row = records[picked]
    c1, c2 = st.columns(2)
    stage_labels = list(labels.stage_slug)
    current = labels.stage_label.get(row["stage_slug"])
    stage = c1.selectbox(
        "Stage",
        stage_labels,
        index=stage_labels.index(current) if current in stage_labels else 0,
        key=f"rule_edit_stage_{picked}",
    )
    slug = labels.stage_slug[stage]
    moments = [NO_MOMENT, *labels.moments(slug)]
    moment = c2.selectbox(
        "Moment of truth",
        moments,
        index=moments.index(row["moment"]) if row["moment"] in moments else 0,
        key=f"rule_edit_moment_{picked}",
    )
    b1, b2, _ = st.columns([1, 1, 3])
    try:
        if b1.button("Save the rule", key=f"rule_save_{picked}", type="primary"):
            data = CategoryRuleCreate(
                source=row["source"],
                category=row["category"],
                subcategory=row["subcategory"],
                stage_slug=slug,
                moment_name=None if moment == NO_MOMENT else moment,
            )
            moved = rules.update_rule(store, picked, data, expected_version=int(row["version"]), actor=actor)
            _done(f"Rule #{picked} saved. {moved.message()}", *_editor_keys())
        if b2.button("Delete the rule", key=f"rule_delete_{picked}"):
            moved = rules.delete_rule(store, picked, expected_version=int(row["version"]), actor=actor)
            _done(f"Rule #{picked} deleted. {moved.message()}", *_editor_keys())
    except (CxroomError, ValueError) as exc:
        st.error(md(str(exc)))


def _editor_keys() -> list[str]:
    return [k for k in st.session_state if isinstance(k, str) and k.startswith(EDITOR)]


def one_rule_form(store: Store, actor: str, labels: _Labels) -> None:
    unmapped = qi.unmapped_categories(store, limit=1000)
    with st.form("new_rule", clear_on_submit=False):
        st.caption("A rule for every source, or for a whole category; it also applies to complaints already imported.")
        cats = sorted(set(unmapped["category"])) if not unmapped.empty else []
        c1, c2, c3 = st.columns(3)
        category = c1.selectbox("Category", cats, index=0 if cats else None, key="rule_category")
        subcategory = c2.text_input("Subcategory (blank: all)", key="rule_subcategory")
        source = c3.selectbox("Source", [EVERY_SOURCE, *qi.complaint_sources(store)], key="rule_source")
        stage = st.selectbox("Stage", list(labels.stage_slug), key="rule_stage")
        if st.form_submit_button("Add rule", type="primary"):
            try:
                rule = CategoryRuleCreate(
                    category=category or "",
                    subcategory=subcategory or None,
                    source=None if source == EVERY_SOURCE else source,
                    stage_slug=labels.stage_slug[stage],
                )
                moved = rules.create_rules(store, [rule], actor=actor)
            except (CxroomError, ValueError) as exc:
                st.error(md(str(exc)))
                return
            _done(f"Rule added: '{category}' → {stage}. {moved.message()}", *_editor_keys())
