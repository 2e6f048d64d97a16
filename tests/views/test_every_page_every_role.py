"""Every page opens for every role it is offered to: the demo room and a room with one stage and nothing
else, signed in as each role (and as a wall screen's display token), every page in that role's navigation
with the query parameters it takes (real fix, review and stage ids, and wrong ones). Each run must raise
nothing, show the page's main heading, and draw no link to a page the role is not offered (Streamlit
raises for such a link, and a page that drew it for everyone crashed for viewers)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from cxroom.models import StageCreate
from cxroom.permissions import Role
from cxroom.queries import room as room_queries
from cxroom.queries.reviews import contents
from cxroom.services import room, trust
from cxroom.settings import Settings
from cxroom.store import Store, open_store
from cxroom.ui.identity import User
from cxroom.ui.navigation import specs_for

ROLES = {
    Role.VIEWER: "vera.viewer@room.test",
    Role.FIX_MEMBER: "fred.fixer@room.test",
    Role.FACILITATOR: "fay.facilitator@room.test",
    Role.ADMIN: "ada.admin@room.test",
}
TOKEN = "token"  # the wall screen's identity, beside the four roles


@dataclass(frozen=True)
class Case:
    script: str
    params: dict[str, str]

    def __str__(self) -> str:
        query = "&".join(f"{k}={v}" for k, v in self.params.items())
        return f"{self.script}{'?' + query if query else ''}"


def _with_users(settings: Settings) -> tuple[Settings, str]:
    store = open_store(settings.db_path)
    for role, email in ROLES.items():
        trust.set_user_role(store, email=email, display_name=email.split("@")[0], role=role, actor="cli")
    return settings, trust.create_display_token(store, label="Lobby", actor="cli")


@pytest.fixture(scope="module")
def demo_room(demo_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, str]:
    """A private copy of the demo room (users are added to it); media shared read-only."""
    target = tmp_path_factory.mktemp("every-page") / "room.duckdb"
    shutil.copyfile(demo_settings.db_path, target)
    wal = Path(f"{demo_settings.db_path}.wal")
    if wal.exists():
        shutil.copyfile(wal, Path(f"{target}.wal"))
    return _with_users(Settings(db_path=target, media_dir=demo_settings.media_dir))


@pytest.fixture(scope="module")
def bare_room(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, str]:
    """One stage and nothing else: no review, no fix, nothing celebrated (the pages' empty states)."""
    folder = tmp_path_factory.mktemp("every-page-bare")
    settings = Settings(db_path=folder / "room.duckdb", media_dir=folder / "media")
    room.create_stage(open_store(settings.db_path), StageCreate(slug="pay", name="Pay"), actor="cli")
    return _with_users(settings)


def _cases(store: Store) -> dict[str, list[Case]]:
    """The query parameters each page takes, with ids from this room (and ids that do not exist)."""
    slugs = [str(s) for (s,) in store.execute("SELECT slug FROM stages ORDER BY position")]
    reviews = [int(r) for (r,) in store.execute("SELECT id FROM reviews ORDER BY id")]
    fixes = [int(f) for (f,) in store.execute("SELECT id FROM fixes ORDER BY id")]
    month = store.fetch_value("SELECT strftime(max(received_at) - INTERVAL 1 MONTH, '%Y-%m') FROM complaints")
    cases: dict[str, list[Case]] = {
        "views/wall.py": [Case("views/wall.py", {})],
        "views/stage.py": [Case("views/stage.py", {}), Case("views/stage.py", {"stage": "no-such-stage"})],
        "views/review.py": [Case("views/review.py", {}), Case("views/review.py", {"review": "999"})],
        "views/presenter.py": [Case("views/presenter.py", {})],
        "views/fix.py": [Case("views/fix.py", {}), Case("views/fix.py", {"fix": "999"})],
    }
    if month:
        cases["views/wall.py"].append(Case("views/wall.py", {"month": str(month)}))
    cases["views/stage.py"] += [Case("views/stage.py", {"stage": slug}) for slug in slugs[:3]]
    cases["views/review.py"] += [Case("views/review.py", {"review": str(r)}) for r in reviews]
    for review_id in reviews[-2:]:  # a closed review with its agenda, and the planned one
        cases["views/presenter.py"] += [
            Case("views/presenter.py", {"review": str(review_id), "item": str(n)}) for n in (1, 2, 5)
        ] + [Case("views/presenter.py", {"review": str(review_id), "stage": slugs[-1]})]
    cases["views/fix.py"] += [Case("views/fix.py", {"fix": str(f)}) for f in fixes]  # every status
    return cases


def _headings(at: AppTest) -> list[str]:
    """The page's main headings as text (st.title, or a '# ' Markdown heading on the presenter's slides),
    without Markdown escapes."""
    found = [t.value for t in at.title] + [m.value[2:] for m in at.markdown if m.value.startswith("# ")]
    return [text.replace("\\", "").strip() for text in found]


def _expected_headings(case: Case, at: AppTest, store: Store) -> set[str]:
    """Every heading the page may rightly show for this case (read from the room, not from the page)."""
    room_name = room_queries.room_name(store)
    fixed = {
        "views/overview.py": room_name,
        "views/reviews.py": "Room reviews",
        "views/fixes.py": "Fix teams",
        "views/celebrations.py": ":material/celebration: Celebrations",
        "views/first_run.py": "Set up your Customer Room",
        "views/setup.py": "Room setup",
        "views/listening.py": "Listening",
        "views/audit.py": "Audit log",
        "views/admin.py": "Admin",
        "views/search.py": ":material/manage_search: Search what customers said",
    }
    if case.script in fixed:
        return {fixed[case.script]}
    if case.script in ("views/wall.py", "views/stage.py"):
        slug = case.params.get("stage")
        name = store.fetch_value("SELECT name FROM stages WHERE slug = ?", [slug]) if slug else None
        return {str(name)} if name else {room_name}
    if case.script == "views/fix.py":
        title = store.fetch_value("SELECT title FROM fixes WHERE id = ?", [int(case.params.get("fix", 0))])
        return {str(title)} if title else {"Fix page"}
    shown = at.query_params.get("review")  # the review in the URL, or the one the page picked
    review_id = int(shown[0] if isinstance(shown, list) else shown) if shown else None
    title = store.fetch_value("SELECT title FROM reviews WHERE id = ?", [review_id]) if review_id else None
    if title is None:
        return set()  # no such review in the room: the page says so (checked by the caller)
    if case.script == "views/review.py":
        return {str(title)}
    # Presenter: a stage slide is headed by the stage, a fix by its title, anything else by the item.
    if "stage" in case.params:
        return {str(store.fetch_value("SELECT name FROM stages WHERE slug = ?", [case.params["stage"]]))}
    items = contents.agenda(store, review_id)
    if not items:
        return set()  # a review with no agenda yet: the presenter says so
    stage_names = {name for _, name in contents.choices(store).stages}
    fixes = {str(t) for (t,) in store.execute("SELECT title FROM fixes")}
    return {i.title.removeprefix("🎉 ") for i in items} | {f"🎉 {i.title}" for i in items} | stage_names | fixes


def _user(role: Role | str) -> User:
    if role == TOKEN:
        return User(actor="display:Lobby", name="Lobby", role=Role.VIEWER, mode="token")
    assert isinstance(role, Role)
    return User(actor=ROLES[role], name=ROLES[role], role=role, mode="oidc")


def _open(app_for: Callable[..., AppTest], settings: Settings, token: str, role: Role | str, case: Case) -> AppTest:
    at = app_for(settings)
    if role == TOKEN:
        at.query_params["token"] = token
    else:
        at.user = {"is_logged_in": True, "email": ROLES[role]}  # type: ignore[index]
    at.run()  # the frame first: it resolves the user and builds this role's navigation
    at.switch_page(case.script)
    if role == TOKEN:
        at.query_params["token"] = token
    for key, value in case.params.items():
        at.query_params[key] = value
    at.run()
    return at


def _problems(at: AppTest, case: Case, role: Role | str, store: Store) -> list[str]:
    offered = {spec.url_path for spec in specs_for(_user(role))} | {""}  # "" is the default page at "/"
    problems = [f"{case} as {role}: raised {e.message}" for e in at.exception]
    if at.exception:
        return problems
    expected = _expected_headings(case, at, store)
    headings = _headings(at)
    if expected and not (expected & set(headings)):
        problems.append(f"{case} as {role}: heading {headings} is none of {sorted(expected)[:5]}")
    if not expected and not (at.info or at.error):
        problems.append(f"{case} as {role}: no heading and no message")
    stray = [(link.value, link.proto.page) for link in at.page_link if link.proto.page not in offered]
    if stray:
        problems.append(f"{case} as {role}: links to pages not offered {stray}")
    return problems


@pytest.mark.parametrize("which", ["demo", "bare"])
@pytest.mark.parametrize("role", [*ROLES, TOKEN], ids=str)
def test_every_page_offered_to_a_role_opens_for_it(
    app_for: Callable[..., AppTest],
    monkeypatch: pytest.MonkeyPatch,
    demo_room: tuple[Settings, str],
    bare_room: tuple[Settings, str],
    which: str,
    role: Role | str,
) -> None:
    monkeypatch.setenv("CXROOM_AUTH", "oidc")
    settings, token = demo_room if which == "demo" else bare_room
    store = open_store(settings.db_path)
    cases = _cases(store)
    offered = specs_for(_user(role))
    assert offered, f"{role} is offered no page"
    problems: list[str] = []
    opened = 0
    for spec in offered:
        for case in cases.get(spec.script, [Case(spec.script, {})]):
            at = _open(app_for, settings, token, role, case)
            problems += _problems(at, case, role, store)
            opened += 1
    assert not problems, f"{len(problems)} of {opened} page openings failed:\n" + "\n".join(problems)


def test_a_viewer_sees_the_reviews_named_but_not_linked(
    app_for: Callable[..., AppTest], monkeypatch: pytest.MonkeyPatch, demo_room: tuple[Settings, str]
) -> None:
    """Viewers do not run reviews: the list names each review as text, and links none."""
    monkeypatch.setenv("CXROOM_AUTH", "oidc")
    settings, token = demo_room
    at = _open(app_for, settings, token, Role.VIEWER, Case("views/reviews.py", {}))
    assert not at.exception
    titles = {str(t) for (t,) in open_store(settings.db_path).execute("SELECT title FROM reviews")}
    assert titles
    shown = {m.value.replace("\\", "") for m in at.markdown}
    assert titles <= shown
    assert not [link for link in at.page_link if link.proto.page == "review"]
    facilitator = _open(app_for, settings, token, Role.FACILITATOR, Case("views/reviews.py", {}))
    linked = {link.value.replace("\\", "") for link in facilitator.page_link if link.proto.page == "review"}
    assert linked == titles
