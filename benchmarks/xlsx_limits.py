"""Hostile small workbooks: each must be refused (or read) in <= 2 s and <= 300 MB.

Usage: ``python benchmarks/xlsx_limits.py OUTDIR`` writes the files and times ``caselog.load`` on
each in this process; run it under ``/usr/bin/time -v`` with one file name to measure memory:
``python benchmarks/xlsx_limits.py OUTDIR far_corner.xlsx``.
"""

from __future__ import annotations

import sys
import time
import zipfile
from pathlib import Path

_CT = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_WB = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
    '<sheet name="Messages" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WB_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    "</Relationships>"
)
_HEAD = (
    '<row r="1"><c r="A1" t="inlineStr"><is><t>Case ID</t></is></c><c r="B1" t="inlineStr"><is><t>Date</t></is></c>'
    '<c r="C1" t="inlineStr"><is><t>From</t></is></c></row>'
    '<row r="2"><c r="A2" t="inlineStr"><is><t>1</t></is></c><c r="B2" t="inlineStr"><is><t>2026-03-14 14:05</t></is></c>'
    '<c r="C2" t="inlineStr"><is><t>Amazon</t></is></c></row>'
)


def workbook(path: Path, sheet_xml: str | bytes) -> Path:
    """A minimal valid .xlsx whose only sheet is ``sheet_xml``."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", _CT)
        z.writestr("_rels/.rels", _RELS)
        z.writestr("xl/workbook.xml", _WB)
        z.writestr("xl/_rels/workbook.xml.rels", _WB_RELS)
        z.writestr("xl/worksheets/sheet1.xml", sheet_xml)
    return path


def sheet(rows: str, dimension: str | None = None) -> str:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"{dim}<sheetData>{rows}</sheetData></worksheet>"
    )


def make_all(out: Path) -> dict[str, Path]:
    out.mkdir(parents=True, exist_ok=True)
    far = '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    low = '<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    files = {
        "far_corner.xlsx": workbook(out / "far_corner.xlsx", sheet(_HEAD + far)),
        "far_corner_declared.xlsx": workbook(out / "far_corner_declared.xlsx", sheet(_HEAD, "A1:XFD1048576")),
        "last_row.xlsx": workbook(out / "last_row.xlsx", sheet(_HEAD + low)),
    }
    # a deflate bomb: ~1 MB packed, ~1 GB of blank space inside the sheet XML
    bomb = out / "bomb.xlsx"
    body = sheet(_HEAD).encode()
    split = body.index(b"</sheetData>")
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", _CT)
        z.writestr("_rels/.rels", _RELS)
        z.writestr("xl/workbook.xml", _WB)
        z.writestr("xl/_rels/workbook.xml.rels", _WB_RELS)
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            fh.write(body[:split])
            blank = b" " * (1 << 20)
            for _ in range(1000):
                fh.write(blank)
            fh.write(body[split:])
    files["bomb.xlsx"] = bomb
    return files


def main() -> None:
    import caselog
    import caselog.io  # the loader's imports (pandas ...) are not part of a refusal's time

    caselog.load  # noqa: B018 - resolve the lazy name before the clock starts
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/caselog_xlsx_limits")
    files = make_all(out)
    only = sys.argv[2:] or list(files)
    for name in only:
        path = files[name]
        t0 = time.perf_counter()
        try:
            log = caselog.load(path)
            outcome = f"loaded {log!r}"
        except caselog.CaselogError as exc:
            outcome = f"{type(exc).__name__}: {exc}"
        print(f"{name:26} {path.stat().st_size:>9,} bytes  {time.perf_counter() - t0:5.2f} s  {outcome[:160]}")


if __name__ == "__main__":
    main()
