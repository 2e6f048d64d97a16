"""Compressed files that expand far beyond their size, built in the test's temporary folder."""

from __future__ import annotations

import zipfile
from pathlib import Path

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)
_SHEET_HEAD = '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
_HEADER_ROW = (
    '<row r="1"><c r="A1" t="inlineStr"><is><t>Complaint ID</t></is></c>'
    '<c r="B1" t="inlineStr"><is><t>Date received</t></is></c>'
    '<c r="C1" t="inlineStr"><is><t>Issue</t></is></c></row>'
)


def _workbook(path: Path, write_sheet) -> Path:  # type: ignore[no-untyped-def]
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", _CONTENT_TYPES)
        zf.writestr("_rels/.rels", _RELS)
        zf.writestr("xl/workbook.xml", _WORKBOOK)
        zf.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            write_sheet(sheet)
    return path


def xlsx_rows(path: Path, rows: int, *, dimension: bool = True) -> Path:
    """A workbook whose sheet holds ``rows`` identical complaint rows (3,000,000 rows: about 1 MB)."""

    def write(sheet) -> None:  # type: ignore[no-untyped-def]
        sheet.write(_SHEET_HEAD.encode())
        if dimension:
            sheet.write(f'<dimension ref="A1:C{rows + 1}"/>'.encode())
        sheet.write(b"<sheetData>" + _HEADER_ROW.encode())
        row = (
            b'<row><c t="inlineStr"><is><t>1</t></is></c><c t="inlineStr"><is><t>2024-01-02</t></is></c>'
            b'<c t="inlineStr"><is><t>Billing</t></is></c></row>'
        )
        block = row * 10_000
        for _ in range(rows // 10_000):
            sheet.write(block)
        sheet.write(row * (rows % 10_000))
        sheet.write(b"</sheetData></worksheet>")

    return _workbook(path, write)


def xlsx_cell(path: Path, megabytes: float) -> Path:
    """A workbook whose one data row holds a cell of ``megabytes`` MB (500 MB: about 0.5 MB of file)."""

    def write(sheet) -> None:  # type: ignore[no-untyped-def]
        sheet.write((_SHEET_HEAD + '<dimension ref="A1:C2"/><sheetData>' + _HEADER_ROW).encode())
        sheet.write(b'<row r="2"><c r="A2" t="inlineStr"><is><t>1</t></is></c><c r="B2" t="inlineStr"><is><t>')
        left = int(megabytes * 1024 * 1024)
        block = b"A" * (1024 * 1024)
        while left > 0:
            sheet.write(block[:left])
            left -= len(block)
        sheet.write(b"</t></is></c></row></sheetData></worksheet>")

    return _workbook(path, write)
