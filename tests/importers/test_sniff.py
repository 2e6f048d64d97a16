"""File sniffing: type from bytes, encoding, delimiter, header, blank records."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from cxroom.importers.mapping import looks_like_cfpb, norm_header, suggest_complaint_mapping
from cxroom.importers.sniff import (
    EncodingUncertainError,
    ImportFileError,
    blank_record_rows,
    detect_delimiter,
    detect_encoding,
    sniff_kind,
)
from tests.importers.helpers import CFPB_FILES, cfpb, shared


def test_kinds_from_bytes(tmp_path: Path) -> None:
    assert sniff_kind(cfpb("cfpb_boa_sample.csv"))[0] == "csv"
    pdf = tmp_path / "x.csv"
    pdf.write_bytes(b"%PDF-1.7\n...")
    with pytest.raises(ImportFileError, match="PDF"):
        sniff_kind(pdf)
    nul = tmp_path / "n.csv"
    nul.write_bytes(b"a,b\n\x00\x01")
    with pytest.raises(ImportFileError, match="binary"):
        sniff_kind(nul)


@pytest.mark.parametrize(("encoding", "expected"), [("utf-8", "utf-8"), ("cp1252", "cp1252"), ("utf-16", "utf-16")])
def test_encoding_detection(tmp_path: Path, encoding: str, expected: str) -> None:
    path = tmp_path / "e.csv"
    path.write_bytes("a,b\nCafé “x”,2\n".encode(encoding))
    assert detect_encoding(path)[0] == expected


def test_undecidable_bytes_are_asked_about_not_guessed(tmp_path: Path) -> None:
    path = tmp_path / "l.csv"
    path.write_bytes(b"a,b\n\x81\xe9,2\n")  # 0x81 is undefined in cp1252: no reading is likely
    with pytest.raises(EncodingUncertainError, match="cannot be told for sure"):
        detect_encoding(path)
    assert detect_encoding(path, declared="latin-1")[0] == "iso8859-1"


def test_delimiters() -> None:
    assert detect_delimiter(shared("call_center_kpis_sample.csv").read_text()[:5000]) == ";"
    assert detect_delimiter("a\tb\tc\n1\t2\t3\n") == "\t"
    assert detect_delimiter('a,b\n"x;y",2\n') == ","


def test_blank_records_counted_like_csv_reader(tmp_path: Path) -> None:
    text = 'h1,h2\r\n1,"a\r\n\r\nb"\r\n\r\n2,x\n\n3,y\n'
    path = tmp_path / "b.csv"
    path.write_bytes(text.encode())
    rows = list(csv.reader(io.StringIO(text, newline="")))
    expected = [i for i, r in enumerate(rows) if not r]
    assert blank_record_rows(path) == expected == [2, 4]
    for name in CFPB_FILES:
        assert blank_record_rows(cfpb(name)) == []


def test_header_recognition_for_the_cfpb_variants() -> None:
    assert norm_header("Date_received") == norm_header("date received") == "date received"
    for name in CFPB_FILES:
        header = next(csv.reader(cfpb(name).open(encoding="utf-8")))
        mapping = suggest_complaint_mapping(header)
        assert mapping["received_at"].lower().replace("_", " ") == "date received"
        assert mapping["category"].lower() == "issue"
        assert mapping["subcategory"].lower().replace("_", "-") == "sub-issue"
        assert mapping["external_id"].lower().replace(" ", "_") == "complaint_id"
        assert mapping["channel"].lower().replace(" ", "_") == "submitted_via"
        assert looks_like_cfpb(header)
    assert suggest_complaint_mapping(["Product", "When"])["category"] == "Product"
