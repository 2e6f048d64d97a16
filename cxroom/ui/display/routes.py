"""The wall screen's HTTP routes on the room's server (serve.py mounts them in st.App):

    /display?token=...&screen=2&of=3        the page, with the screen the playlist shows now
    /display/screen?token=...               that screen alone (the page's script fetches it)
    /display/thumb/<sha256>?token=...       a thumbnail of an artifact on the wall

Every request shows its display token; without a valid one the answer is a 403 page that
names nothing of the room. Reads go through the process's one Store (context.store()) and the
wall's cache keyed on the data version, as the app's pages do; nothing here writes.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from types import ModuleType
from typing import Any
from urllib.parse import parse_qs, urlencode

from pydantic import ValidationError
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from cxroom.errors import CxroomError, InvalidInputError
from cxroom.models import DisplayPlaylist, WallQuery
from cxroom.queries import display as display_queries
from cxroom.queries.wall.months import default_month
from cxroom.queries.wall.wall_data import WallData
from cxroom.services import trust
from cxroom.ui import context
from cxroom.ui.display import board, render, spotlight, wins
from cxroom.ui.display.page import shell
from cxroom.ui.display.playlist import Slot, slot_at, slots
from cxroom.ui.wall.wall_screen import screen_slice

NO_STORE = {"Cache-Control": "no-store"}
NO_LINK_MESSAGE = "This wall screen has no display link. Ask the room's administrator for one (Admin → Wall screens)."


def _refusal(token: str) -> str | None:
    """Why this token may not see the wall, or None."""
    if not token:
        return NO_LINK_MESSAGE
    try:
        trust.check_display_token(context.store(), token)
    except InvalidInputError as exc:
        return str(exc)
    except CxroomError:
        return "The room's database cannot be read just now."
    return None


def _refused(message: str) -> HTMLResponse:
    return HTMLResponse(render.refused_page(message), status_code=403, headers=NO_STORE)


def _cache() -> ModuleType:
    """The wall's cached reads, imported at the first request: serve.py imports this module before
    Streamlit's runtime exists, and st.cache_data decorators run then would each log a warning."""
    from cxroom.ui import cache

    return cache


def _wall() -> WallData:
    cache = _cache()
    version = context.data_version()
    db = cache.db_key()
    months = cache.months(version, db)
    return cache.wall_data(version, db, default_month(months).isoformat())


def _split(request: Request) -> tuple[int, int]:
    try:
        query = WallQuery(screen=request.query_params.get("screen") or 1, of=request.query_params.get("of") or 1)
    except ValidationError:
        return 1, 1
    return query.screen, query.of


def current_screen(request: Request, token: str, now: float | None = None) -> tuple[str, float, DisplayPlaylist]:
    """The HTML of the screen the link's playlist shows now, the seconds until the next, the playlist."""
    moment = time.time() if now is None else now
    data = _wall()
    playlist = display_queries.playlist_for(context.store(), trust.token_id(token))
    screen, of = _split(request)
    shown = screen_slice(data.columns, screen, of)[0]
    day = datetime.fromtimestamp(moment)
    found = slots(
        playlist,
        stages=len(shown),
        fixes=len(board.active_fixes(data, day.date())),
        celebrations=len(wins.celebrated(data)),
    )
    slot, left = slot_at(found, moment)
    return _draw(data, shown, slot, token, day), left, playlist


def _draw(data: WallData, shown: list[Any], slot: Slot, token: str, now: datetime) -> str:
    if slot.kind == "spotlight":
        return spotlight.spotlight_screen(data, shown[slot.index], slot, token, now)
    if slot.kind == "fixes":
        return board.fixes_screen(data, slot, now)
    if slot.kind == "celebrations":
        from cxroom.ui.display import cached  # at the first request, as _cache() and for its reason

        asked = wins.asked(wins.celebrated(data))
        found = cached.wins(context.data_version(), _cache().db_key(), asked)
        return wins.celebrations_screen(data, slot, now, found)
    return render.wall_screen(data, screen_slice(shown, slot.index + 1, slot.count)[0], slot, token, now)


def display_page(request: Request) -> Response:
    token = request.query_params.get("token", "")
    refusal = _refusal(token)
    if refusal:
        return _refused(refusal)
    html, left, playlist = current_screen(request, token)
    page = shell(html, next_in=left, refresh_s=playlist.refresh_s, title="Customer Room · wall screen")
    return HTMLResponse(page, headers=NO_STORE)


def display_screen(request: Request) -> Response:
    token = request.query_params.get("token", "")
    refusal = _refusal(token)
    if refusal:
        return _refused(refusal)
    html, left, playlist = current_screen(request, token)
    headers = {**NO_STORE, "X-Next-In": f"{left:.1f}", "X-Refresh": str(playlist.refresh_s)}
    return HTMLResponse(html, headers=headers)


def display_thumb(request: Request) -> Response:
    """A thumbnail of an artifact shown on the wall; any other media (call recordings) is refused."""
    refusal = _refusal(request.query_params.get("token", ""))
    if refusal:
        return _refused(refusal)
    sha256 = request.path_params["sha256"]
    artifact = next((a for c in _wall().columns for a in c.artifacts if a.sha256 == sha256), None)
    image = None if artifact is None else _cache().thumbnail(artifact.sha256, artifact.mime)
    if image is None:
        return Response(status_code=404, headers=NO_STORE)
    kind = "image/png" if image.startswith(b"\x89PNG") else "image/jpeg"
    # Content-addressed: the same sha256 is the same picture for as long as it exists.
    return Response(image, media_type=kind, headers={"Cache-Control": "private, max-age=86400"})


def display_routes(base_url: str = "") -> list[Route]:
    """The routes under the server's base URL path (server.baseUrlPath, e.g. 'retail')."""
    root = f"/{base_url.strip('/')}" if base_url.strip("/") else ""
    return [
        Route(f"{root}/display", display_page, methods=["GET"]),
        Route(f"{root}/display/screen", display_screen, methods=["GET"]),
        Route(f"{root}/display/thumb/{{sha256:str}}", display_thumb, methods=["GET"]),
    ]


class LegacyWallScreenLinks:
    """ASGI middleware: a wall-screen link of the old form (?mode=wall&token=...) is sent to
    /display with its token and screen split, so screens set up before keep working."""

    def __init__(self, app: Callable[..., Any], base_url: str = "") -> None:
        self.app = app
        self.root = f"/{base_url.strip('/')}" if base_url.strip("/") else ""

    async def __call__(self, scope: dict[str, Any], receive: Callable[..., Any], send: Callable[..., Any]) -> None:
        if scope["type"] == "http" and scope.get("method") == "GET":
            query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
            if query.get("mode") == ["wall"] and query.get("token"):
                kept = {k: query[k][0] for k in ("token", "screen", "of") if k in query}
                await RedirectResponse(f"{self.root}/display?{urlencode(kept)}", status_code=307)(scope, receive, send)
                return
        await self.app(scope, receive, send)
