"""Encodings: UTF-8 rows stay UTF-8 in a file with a few rows in another encoding,
whole legacy files are read right, and an undecidable encoding is asked for."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cxroom.importers.encoding import EncodingUncertainError, scan
from cxroom.importers.report import ImportOptions
from cxroom.services.imports import import_file, preview_file
from cxroom.store import Store
from tests.importers.helpers import SHARED_REAL, cfpb

REPO = Path(__file__).resolve().parents[2]
HEADER = "Complaint ID,Date received,Issue,Consumer complaint narrative\n"
UTF8_TEXTS = [
    "Crédit refusé", "Überweisung fehlt", "Задержка выплаты", "Opóźnienie zwrotu", "Ελλιπής απάντηση",
    "Şikayet çözülmedi", "料金の誤り", "Café ☕ déjà vu", "Naïve “quotes”", "Zoë’s claim",
]  # fmt: skip


def mixed_file(path: Path, odd_row: str, encoding: str, at: int = 12) -> tuple[Path, dict[str, str]]:
    """20 UTF-8 rows and one row in ``encoding`` (data row ``at + 1``); returns {id: issue} as meant."""
    lines = [f"{i + 1},2024-01-{i + 1:02d},{UTF8_TEXTS[i % 10]},narrative {i}\n".encode() for i in range(20)]
    lines.insert(at, f"99,2024-02-01,{odd_row},{odd_row}\n".encode(encoding))
    path.write_bytes(HEADER.encode() + b"".join(lines))
    meant = {str(i + 1): UTF8_TEXTS[i % 10] for i in range(20)} | {"99": odd_row}
    return path, meant


def stored(store: Store) -> dict[str, str]:
    return dict(store.execute("SELECT external_id, category FROM complaints"))


def test_one_cp1252_row_among_utf8_rows_leaves_every_row_right(empty_store: Store, tmp_path: Path) -> None:
    path, meant = mixed_file(tmp_path / "mixed.csv", "Müller Straße Größe", "cp1252")
    report = import_file(empty_store, kind="complaints", path=path, source="m", actor="system")
    assert stored(empty_store) == meant  # 21 of 21 right (before: 21 of 21 mojibake)
    assert (report.encoding, report.encoding_fallback, report.rows_encoding_fallback) == ("utf-8", "cp1252", 1)
    assert report.to_json()["rows_encoding_fallback"] == 1
    assert any("row 13" in n or "rows 13" in n for n in report.notes)


def test_an_undecidable_row_is_asked_about_then_read_as_told(empty_store: Store, tmp_path: Path) -> None:
    # "crème naïve déjà" in cp1252 is "crčme naďve déjŕ" in cp1250: both spell Slovak-looking words.
    path, meant = mixed_file(tmp_path / "fr.csv", "Café crème naïve déjà vu", "cp1252")
    with pytest.raises(EncodingUncertainError) as caught:
        import_file(empty_store, kind="complaints", path=path, source="f", actor="system")
    assert {"cp1252", "cp1250"} <= {name for name, _ in caught.value.candidates}
    with pytest.raises(EncodingUncertainError):
        preview_file(empty_store, kind="complaints", path=path)
    assert empty_store.fetch_value("SELECT count(*) FROM import_batches") == 0
    options = ImportOptions(encoding="cp1252")
    assert preview_file(empty_store, kind="complaints", path=path, options=options).rows_encoding_fallback == 1
    report = import_file(empty_store, kind="complaints", path=path, source="f", options=options, actor="system")
    assert stored(empty_store) == meant
    assert (report.encoding_fallback, report.rows_encoding_fallback) == ("cp1252", 1)


LEGACY = [
    ("cp1251", ["Жалоба на обслуживание клиентов", "Не получил ответ от службы поддержки", "Ошибка в счёте"]),
    ("cp1250", ["Nie otrzymałem zwrotu pieniędzy", "Źle naliczona opłata za usługę", "Reklamace zásilky"]),
    ("cp1250", ["Příliš dlouhé vyřizování reklamace", "Účet je špatně", "Žádná odpověď ze zákaznické linky"]),
    ("cp1250", ["Árvíztűrő tükörfúrógép hibás", "Nem kaptam választ az ügyfélszolgálattól", "Hibás számla"]),
    ("cp1252", ["Le conseiller n'a pas répondu à ma réclamation", "Délai très long depuis février", "Échéance"]),
    ("cp1252", ["La señora Muñoz no recibió la devolución", "¿Por qué tardan tanto?", "Facturación errónea"]),
    ("cp1253", ["Η αίτηση αποζημίωσης δεν απαντήθηκε", "Λάθος χρέωση", "Καθυστέρηση πληρωμής"]),
    ("cp1254", ["Şikayetim hâlâ çözülmedi", "Müşteri hizmetleri yanıt vermiyor", "Yanlış fatura"]),
]


@pytest.mark.parametrize(("encoding", "issues"), LEGACY, ids=[f"{e}-{t[0][:8]}" for e, t in LEGACY])
def test_whole_legacy_files_are_read_right(
    empty_store: Store, tmp_path: Path, encoding: str, issues: list[str]
) -> None:
    rows = [f'{i},2024-03-0{i + 1},{issue},"{issue}; {issue.lower()}"\n' for i, issue in enumerate(issues)]
    text = HEADER + "".join(rows)
    path = tmp_path / f"{encoding}.csv"
    path.write_bytes(text.encode(encoding))
    report = import_file(empty_store, kind="complaints", path=path, source="l", actor="system")
    assert stored(empty_store) == {str(i): issue for i, issue in enumerate(issues)}
    assert report.encoding == encoding and report.rows_encoding_fallback == len(issues)


def test_a_multi_line_row_counts_once_and_bytes_valid_nowhere_are_quarantined(
    empty_store: Store, tmp_path: Path
) -> None:
    body = (
        HEADER.encode()
        + '1,2024-01-02,Überweisung,"Zeile eins\nZeile zwei: Größe\nZeile drei: Straße"\n'.encode("cp1252")
        + "2,2024-01-03,Crédit,ok\n".encode()
        + b"3,2024-01-04,Bad \x81\x8d bytes,x\n"
    )
    path = tmp_path / "multi.csv"
    path.write_bytes(body)
    report = import_file(
        empty_store, kind="complaints", path=path, source="x", options=ImportOptions(encoding="cp1252"), actor="system"
    )
    assert report.rows_encoding_fallback == 1  # one record over three lines
    assert (report.rows_read, report.rows_imported, report.rows_rejected) == (3, 2, 1)
    assert report.errors[0]["row"] == 3 and "not valid text" in report.errors[0]["message"]
    assert stored(empty_store) == {"1": "Überweisung", "2": "Crédit"}


def test_utf16_and_bom_files_still_import(empty_store: Store, tmp_path: Path) -> None:
    for n, encoding in enumerate(["utf-16", "utf-8-sig"]):
        path = tmp_path / f"{encoding}.csv"
        path.write_bytes((HEADER + f"u{n},2024-01-02,Crédit refusé,x\n").encode(encoding))
        report = import_file(empty_store, kind="complaints", path=path, source=encoding, actor="system")
        assert report.rows_imported == 1 and report.encoding == encoding.removesuffix("-sig")
    assert sorted(stored(empty_store).values()) == ["Crédit refusé", "Crédit refusé"]


def test_the_cli_refuses_an_undecidable_file_naming_encoding(tmp_path: Path) -> None:
    path, meant = mixed_file(tmp_path / "fr.csv", "Café crème naïve déjà vu", "cp1252")
    env = {**os.environ, "CXROOM_DB": str(tmp_path / "room.duckdb")}
    cmd = [sys.executable, "-m", "cxroom", "import", "complaints", str(path), "--quiet", "--json"]
    refused = subprocess.run(cmd, env=env, cwd=REPO, capture_output=True, text=True, timeout=120, check=False)
    assert refused.returncode == 1 and refused.stdout == ""
    assert "--encoding" in refused.stderr and "cp1252" in refused.stderr and "Traceback" not in refused.stderr
    told = [*cmd, "--encoding", "windows-1252"]
    done = subprocess.run(told, env=env, cwd=REPO, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert (report["encoding"], report["encoding_fallback"], report["rows_encoding_fallback"]) == ("utf-8", "cp1252", 1)
    store = Store(tmp_path / "room.duckdb")
    try:
        assert stored(store) == meant
    finally:
        store.close()


@pytest.mark.parametrize(
    "name",
    sorted(p.name for p in SHARED_REAL.glob("*.csv")) or ["cfpb_boa_sample.csv"],
)
def test_the_real_samples_are_utf8_throughout(name: str) -> None:
    path = SHARED_REAL / name if (SHARED_REAL / name).exists() else cfpb(name)
    found = scan(path)
    assert found.all_utf8 and found.invalid_lines == 0
