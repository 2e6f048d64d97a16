"""The monthly digest, sent to a real SMTP server (aiosmtpd) on localhost: who gets one,
what it says, that an overdue fix reaches only its own people, that text from people is
escaped in the HTML, and that a dry run writes files without opening a connection."""

from __future__ import annotations

import email
import email.policy
import socket
from collections.abc import Iterator
from datetime import date
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from cxroom.cli import main
from cxroom.digest.run import prepare
from cxroom.digest.send import send
from cxroom.models import FixCreate, FixMember, SiloCreate
from cxroom.permissions import Role
from cxroom.services import fixes, room, trust
from cxroom.settings import SmtpSettings
from cxroom.store import Store, close_all
from tests.queries.wall_rooms import MONTH, small_room

TODAY = date(2026, 11, 10)
HOSTILE_TITLE = '<img src=x onerror="alert(1)"> Late & <b>loud</b> claims'
HOSTILE_NAME = "<script>alert(2)</script> Ann Owner"
SENDER = "Customer Room <room@example.org>"


class Inbox:
    """An aiosmtpd handler that keeps what it is sent."""

    def __init__(self) -> None:
        self.received: list[tuple[list[str], EmailMessage]] = []

    async def handle_RCPT(
        self, server: object, session: object, envelope: object, address: str, rcpt_options: list[str]
    ) -> str:
        if address.endswith("@refused.example"):
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)  # type: ignore[attr-defined]
        return "250 OK"

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)  # type: ignore[attr-defined]
        self.received.append((list(envelope.rcpt_tos), msg))  # type: ignore[attr-defined]
        return "250 OK"


@pytest.fixture
def smtp_server() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    with socket.socket() as probe:  # a free port (the controller's readiness check cannot use port 0)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def _fix(store: Store, title: str, lead: str, sponsor: str, due: date, members: list[str]) -> int:
    people = [lead, *members]
    team = [FixMember(person=p, silo_name=s) for p, s in zip(people, ["Claims", "Service"] * 3, strict=False)]
    data = FixCreate(
        title=title,
        problem="Customers wait too long for this.",
        stage_slug="alpha",
        sponsor=sponsor,
        lead=lead,
        members=team,
        chartered_on=date(2026, 8, 1),
        due_on=due,
    )
    return fixes.charter_fix(store, data, actor="system")


def digest_room(store: Store) -> None:
    """Alpha (small_room) with an overdue fix led by Ann (hostile display name and title), a fix
    on time led by Bob, a leader on neither, and a fix-team user with nothing of her own."""
    small_room(store)
    for silo in ("Claims", "Service"):
        room.create_silo(store, SiloCreate(name=silo), actor="system")
    for mail, name, role in (
        ("ann@example.org", HOSTILE_NAME, Role.FIX_MEMBER),
        ("bob@example.org", "Bob Other", Role.FIX_MEMBER),
        ("lena@example.org", "Lena Leader", Role.VIEWER),
        ("nora@example.org", "Nora Nothing", Role.FIX_MEMBER),
    ):
        trust.set_user_role(store, email=mail, display_name=name, role=role, actor="system")
    _fix(store, HOSTILE_TITLE, HOSTILE_NAME, "Sam Sponsor", date(2026, 10, 1), ["Kim Claims", "Lee Service"])
    _fix(
        store, "Answer every call in time", "Bob Other", "Sam Sponsor", date(2027, 2, 1), ["Kim Claims", "Lee Service"]
    )


def _parts(msg: EmailMessage) -> tuple[str, str]:
    return msg.get_body(("plain",)).get_content(), msg.get_body(("html",)).get_content()  # type: ignore[union-attr]


def deliver(store: Store, smtp_server: tuple[Inbox, int]) -> dict[str, EmailMessage]:
    """The month's digests sent through the real SMTP server, as it received them, by recipient."""
    inbox, port = smtp_server
    prepared = prepare(store, MONTH, today=TODAY, sender=SENDER)
    smtp = SmtpSettings(host="127.0.0.1", port=port, starttls=False, sender=SENDER)
    outcomes = send([m for _d, m in prepared.messages], smtp)
    assert all(o.sent for o in outcomes) and prepared.skipped == ()
    return {rcpt[0]: msg for rcpt, msg in inbox.received}


def test_the_digest_reaches_each_owner_and_leader_through_a_real_smtp_server(
    empty_store: Store, smtp_server: tuple[Inbox, int]
) -> None:
    digest_room(empty_store)
    by_rcpt = deliver(empty_store, smtp_server)
    # Nora is on no fix and owns no decision: nothing to tell her.
    assert set(by_rcpt) == {"ann@example.org", "bob@example.org", "lena@example.org"}
    for msg in by_rcpt.values():
        assert msg.get_content_type() == "multipart/alternative"
        assert [p.get_content_type() for p in msg.iter_parts()] == ["text/plain", "text/html"]
        assert msg["From"] == SENDER
        assert msg["Subject"].startswith("Customer Room: your digest for October 2026")
    assert by_rcpt["ann@example.org"]["Subject"].endswith("· 1 overdue")
    assert "overdue" not in by_rcpt["bob@example.org"]["Subject"]

    ann_text, ann_html = _parts(by_rcpt["ann@example.org"])
    assert HOSTILE_TITLE in ann_text and "Overdue fixes" in ann_text and "40 days ago" in ann_text
    # The overdue fix reaches its own people only: not Bob (another fix), not the leader.
    for other in ("bob@example.org", "lena@example.org"):
        text, html_part = _parts(by_rcpt[other])
        assert "Late &" not in text and "loud" not in html_part
    bob_text, _ = _parts(by_rcpt["bob@example.org"])
    assert "Answer every call in time" in bob_text and "(you are its lead)" in bob_text
    lena_text, _ = _parts(by_rcpt["lena@example.org"])
    assert "Across the room, 1 fix is overdue." in lena_text

    # Escaped in the HTML: the tags arrive as text, never as elements.
    assert "<img" not in ann_html and "<script>" not in ann_html and "<b>loud" not in ann_html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; Late &amp; &lt;b&gt;loud&lt;/b&gt;" in ann_html
    assert "Hello &lt;script&gt;alert(2)&lt;/script&gt; Ann Owner" in ann_html


def test_a_refused_recipient_does_not_stop_the_others(empty_store: Store, smtp_server: tuple[Inbox, int]) -> None:
    digest_room(empty_store)
    inbox, port = smtp_server
    messages = [m for _d, m in prepare(empty_store, MONTH, today=TODAY, sender=SENDER).messages]
    del messages[0]["To"]
    messages[0]["To"] = "nobody@refused.example"  # a recipient the server refuses
    outcomes = send(messages, SmtpSettings(host="127.0.0.1", port=port, starttls=False))
    assert [o.sent for o in outcomes] == [False] + [True] * (len(messages) - 1)
    assert "refused" in outcomes[0].detail and outcomes[0].to == "nobody@refused.example"
    assert len(inbox.received) == len(messages) - 1


def test_dry_run_writes_eml_files_and_opens_no_connection(
    empty_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    digest_room(empty_store)
    db = empty_store.path
    close_all()
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.setblocking(False)
    monkeypatch.setenv("CXROOM_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("CXROOM_SMTP_PORT", str(listener.getsockname()[1]))
    out = tmp_path / "mails"
    try:
        assert main(["digest", "--db", str(db), "--month", "2026-10", "--dry-run", str(out)]) == 0
        with pytest.raises(BlockingIOError):
            listener.accept()  # nobody knocked
    finally:
        listener.close()
    files = sorted(out.glob("*.eml"))
    assert [f.name for f in files] == ["01-ann@example.org.eml", "02-bob@example.org.eml", "03-lena@example.org.eml"]
    parsed = email.message_from_bytes(files[0].read_bytes(), policy=email.policy.default)
    assert parsed.get_content_type() == "multipart/alternative" and "October 2026" in parsed["Subject"]


def test_smtp_settings_come_from_the_environment_and_a_bad_one_is_named() -> None:
    env = {"CXROOM_SMTP_HOST": "mail.example.org", "CXROOM_SMTP_PORT": "2525", "CXROOM_SMTP_STARTTLS": "false"}
    smtp = SmtpSettings.from_env(env)
    assert (smtp.host, smtp.port, smtp.starttls, smtp.password) == ("mail.example.org", 2525, False, None)
    with pytest.raises(Exception, match="CXROOM_SMTP_PORT"):
        SmtpSettings.from_env({"CXROOM_SMTP_PORT": "seventy"})
