"""A workbook whose sheet list contradicts itself is refused before anything is written.

Made by code: the online-shop example with its workbook.xml (or its relationships) edited, the way a
hand-made or half-repaired file can look. Without the check, a sheet named like an output sheet that
shares the Journey sheet's part made `regenerate` drop the Journey part and report success.
"""

from __future__ import annotations

import hashlib
import re
import zipfile
from pathlib import Path

import pytest

from addin.frontends.cli import main

SHEET = '<sheet xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
WS_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"


def edited(source: Path, dest: Path, workbook: str | None = None, rels: str | None = None) -> Path:
    """A copy of `source` with workbook.xml / its relationships changed by the given functions' output."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "xl/workbook.xml" and workbook is not None:
                data = workbook.encode()
            if info.filename == "xl/_rels/workbook.xml.rels" and rels is not None:
                data = rels.encode()
            zout.writestr(info, data)
    return dest


def text(path: Path, part: str) -> str:
    with zipfile.ZipFile(path) as zf:
        return zf.read(part).decode()


def journey_rid(path: Path) -> str:
    m = re.search(r'name="Journey"[^>]*r:id="(rId\d+)"', text(path, "xl/workbook.xml"))
    assert m
    return m.group(1)


def with_extra_sheet(shop: Path, name: str, rid: str) -> str:
    return text(shop, "xl/workbook.xml").replace(
        "</sheets>", f'{SHEET}name="{name}" sheetId="99" state="visible" r:id="{rid}"/></sheets>'
    )


def cases(shop: Path, folder: Path) -> dict[str, Path]:
    rid = journey_rid(shop)
    rels = text(shop, "xl/_rels/workbook.xml.rels")
    target = re.search(rf'Target="([^"]+)" Id="{rid}"', rels)
    assert target
    return {
        "shared r:id": edited(shop, folder / "shared-rid.xlsx", workbook=with_extra_sheet(shop, "Heatmap", rid)),
        "shared part": edited(
            shop,
            folder / "shared-part.xlsx",
            workbook=with_extra_sheet(shop, "Heatmap", "rId77"),
            rels=rels.replace(
                "</Relationships>",
                f'<Relationship Type="{WS_TYPE}" Target="{target.group(1)}" Id="rId77"/></Relationships>',
            ),
        ),
        "dangling r:id": edited(shop, folder / "dangling.xlsx", workbook=with_extra_sheet(shop, "Heatmap", "rId404")),
        "duplicate id": edited(
            shop,
            folder / "duplicate-id.xlsx",
            rels=rels.replace(
                "</Relationships>", f'<Relationship Type="{WS_TYPE}" Target="x.xml" Id="{rid}"/></Relationships>'
            ),
        ),
        "same name": edited(shop, folder / "same-name.xlsx", workbook=with_extra_sheet(shop, "JOURNEY", "rId404")),
    }


@pytest.mark.parametrize("case", ["shared r:id", "shared part", "dangling r:id", "duplicate id", "same name"])
def test_an_inconsistent_sheet_list_is_refused_and_left_alone(
    shop: Path, tmp_path: Path, case: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = cases(shop, tmp_path)[case]
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    assert main(["regenerate", str(path)]) == 2
    err = capsys.readouterr().err
    assert "is inconsistent inside" in err and "Traceback" not in err and "Unexpected" not in err
    assert len(err.strip().splitlines()) == 1
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".~addin-")] == []
    # `check` and `regenerate` agree on what is usable
    assert main(["check", str(path)]) == 2
    assert "is inconsistent inside" in capsys.readouterr().err


def test_the_splice_refuses_it_too(shop: Path, tmp_path: Path) -> None:
    """The package splice checks for itself, whoever calls it."""
    from addin.adapters import ooxml
    from addin.adapters.xlsx_file import render_donor
    from addin.adapters.xlsx_reader import read_workbook
    from addin.core.pipeline import run

    path = cases(shop, tmp_path)["shared r:id"]
    donor = render_donor(run(read_workbook(shop)).outputs)
    with pytest.raises(ooxml.PackageError, match="share one relationship id"):
        ooxml.replace_sheets(path, donor, ["Validation", "Heatmap", "Priorities", "Dashboard"], tmp_path / "out.xlsx")
