"""Which pages exist, and who gets them. A page a role may not use is left out
of st.navigation entirely (a hidden page would still be reachable by URL)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import streamlit as st

from cxroom.errors import CxroomError
from cxroom.permissions import Role
from cxroom.queries import setup as setup_queries
from cxroom.ui import context
from cxroom.ui.identity import User

ROOT = Path(__file__).resolve().parents[2]
FIRST_RUN = "first-run"  # url_path of the guided first set-up
FIRST_RUN_FLAG = "first_run_active"  # session: a facilitator is walking the first-run guide of a new room
DEFAULT_PATH = "home"  # reserved by the default page, which is served at "/"


@dataclass(frozen=True)
class PageSpec:
    script: str
    title: str
    icon: str
    url_path: str
    section: str
    min_role: Role = Role.VIEWER
    default: bool = False
    on_wall_screen: bool = False  # offered to display-token sessions


PAGES = [
    PageSpec(
        "views/wall.py", "The Wall", ":material/view_week:", "wall", "The room", default=True, on_wall_screen=True
    ),
    PageSpec("views/stage.py", "Stage detail", ":material/search:", "stage", "The room", on_wall_screen=True),
    PageSpec("views/overview.py", "Room overview", ":material/dashboard:", "overview", "The room"),
    PageSpec("views/search.py", "Search", ":material/manage_search:", "search", "The room"),
    PageSpec("views/reviews.py", "Reviews", ":material/event:", "reviews", "Meet"),
    PageSpec("views/review.py", "Run a review", ":material/groups:", "review", "Meet", min_role=Role.FACILITATOR),
    PageSpec(
        "views/presenter.py", "Presenter", ":material/co_present:", "presenter", "Meet", min_role=Role.FACILITATOR
    ),
    PageSpec("views/fixes.py", "Fixes", ":material/build:", "fixes", "Fix"),
    PageSpec("views/fix.py", "Fix page", ":material/push_pin:", "fix", "Fix"),
    PageSpec(
        "views/celebrations.py", "Celebrations", ":material/celebration:", "celebrations", "Fix", on_wall_screen=True
    ),
    PageSpec(
        "views/first_run.py",
        "First set-up",
        ":material/rocket_launch:",
        "first-run",
        "Set up",
        min_role=Role.FACILITATOR,
    ),
    PageSpec("views/setup.py", "Room setup", ":material/tune:", "setup", "Set up", min_role=Role.FACILITATOR),
    PageSpec("views/listening.py", "Listening", ":material/hearing:", "listening", "Set up", min_role=Role.FACILITATOR),
    PageSpec("views/audit.py", "Audit log", ":material/history:", "audit", "Set up", min_role=Role.FACILITATOR),
    PageSpec("views/admin.py", "Admin", ":material/admin_panel_settings:", "admin", "Set up", min_role=Role.ADMIN),
]


def specs_for(user: User) -> list[PageSpec]:
    """The pages this user may open (only pages whose script exists)."""
    chosen = []
    for spec in PAGES:
        if not (ROOT / spec.script).exists():
            continue
        if user.mode == "token" and not spec.on_wall_screen:
            continue
        if user.at_least(spec.min_role):
            chosen.append(spec)
    return chosen


def first_run_default(specs: list[PageSpec]) -> bool:
    """Open the first-run guide instead of the wall: for a facilitator in a room with no stages yet (and
    until they finish the guide, so adding the first stage does not throw them out of it)."""
    if not any(spec.url_path == FIRST_RUN for spec in specs):
        return False
    if st.session_state.get(FIRST_RUN_FLAG):
        return True
    try:
        return not setup_queries.has_stages(context.store())
    except CxroomError:
        return False


def navigation_for(user: User) -> dict[str, list[st.Page]]:
    sections: dict[str, list[st.Page]] = {}
    specs = specs_for(user)
    first_run = first_run_default(specs)
    for spec in specs:
        default = spec.url_path == FIRST_RUN if first_run else spec.default
        # Streamlit serves the default page at "/" and reserves its url_path without serving it there,
        # so "/wall" (a URL people type, and wall screens get configured with) would be "Page not
        # found". The default page takes a path nobody uses, and a hidden page at its own path opens it.
        page = st.Page(
            spec.script,
            title=spec.title,
            icon=spec.icon,
            url_path=DEFAULT_PATH if default else spec.url_path,
            default=default,
        )
        sections.setdefault(spec.section, []).append(page)
        if default:
            sections[spec.section].append(_alias(page, spec))
    return sections


def _alias(target: st.Page, spec: PageSpec) -> st.Page:
    """A hidden page at the default page's own url_path that opens it, keeping the query (month, mode, token)."""

    def open_default() -> None:
        st.switch_page(target, query_params=st.query_params.to_dict())

    return st.Page(open_default, title=spec.title, url_path=spec.url_path, visibility="hidden")


# -- links between pages ----------------------------------------------------------------------------
# st.page_link (and st.switch_page) raise StreamlitPageNotFoundError for a page that is not in this
# session's st.navigation, and the navigation depends on the role: a link drawn for everyone to a
# facilitator's page crashes the page for viewers. Every link between pages goes through here.


def offered_scripts(user: User) -> frozenset[str]:
    """The page scripts in this user's navigation (the same rule navigation_for builds from)."""
    return frozenset(spec.script for spec in specs_for(user))


def offered(script: str) -> bool:
    """Whether the page is in the navigation of the person at this browser."""
    user = st.session_state.get("user")
    return isinstance(user, User) and script in offered_scripts(user)


def page_link(script: str, *, label: str, text_otherwise: bool = False, **kwargs: Any) -> bool:
    """A link to the page when this user's navigation holds it, and nothing otherwise (or, with
    text_otherwise, the label as text: a list of reviews still names them for a viewer).
    The label is drawn as given in both cases, so it must already be escaped as a link label is."""
    if offered(script):
        st.page_link(script, label=label, **kwargs)
        return True
    if text_otherwise:
        st.markdown(label)
    return False
