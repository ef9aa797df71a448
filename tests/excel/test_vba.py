"""The MS-OVBA pieces: compression, PROJECT-stream encryption, module parsing, a project olevba reads."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import olefile
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from oletools.olevba import VBA_Parser, decompress_stream

from addin.excel import build
from addin.excel.vba import (
    ModuleKind,
    VbaError,
    build_vba_project,
    class_module,
    compress,
    decrypt,
    encrypt,
    standard_module,
)


def _decompress(data: bytes) -> bytes:
    return bytes(decompress_stream(bytearray(data)))


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=20000))
def test_compression_round_trips_through_olevba(data: bytes) -> None:
    assert _decompress(compress(data)) == data


@settings(max_examples=30, deadline=None)
@given(st.text(alphabet="ab \r\n'\"=()", max_size=15000))
def test_repetitive_text_round_trips_and_shrinks(text: str) -> None:
    data = text.encode("cp1252")
    packed = compress(data)
    assert _decompress(packed) == data
    if len(data) > 2000:
        assert len(packed) < len(data)


def test_xlwings_module_compresses_like_excel_does() -> None:
    source = (build.xlwings_dir() / "xlwings.bas").read_bytes()
    packed = compress(source)
    assert _decompress(packed) == source
    assert len(packed) < len(source) * 0.5


def test_encryption_reads_back_and_matches_excel() -> None:
    # The PROJECT stream of an add-in saved by Excel (shipped with xlwings) is the oracle.
    with zipfile.ZipFile(build.xlwings_dir() / "quickstart_addin_ribbon.xlam") as zf:
        ole = olefile.OleFileIO(io.BytesIO(zf.read("xl/vbaProject.bin")))
    project = ole.openstream("PROJECT").read().decode("cp1252")
    lines = [line for line in project.splitlines() if "=" in line and not line.startswith("&")]
    values = dict(line.split("=", 1) for line in lines)
    assert decrypt(values["CMG"].strip('"')) == b"\0\0\0\0"
    assert decrypt(values["DPB"].strip('"')) == b"\0"
    assert decrypt(values["GC"].strip('"')) == b"\xff"
    for seed in range(256):
        assert decrypt(encrypt("{00000000-1111-2222-3333-444444444444}", b"\xff", seed)) == b"\xff"


def test_standard_module_takes_its_name_from_the_attribute() -> None:
    module = standard_module('Attribute VB_Name = "Alpha"\nSub A()\nEnd Sub\n', "file_stem")
    assert module.name == "Alpha"
    assert module.kind is ModuleKind.STANDARD
    assert module.source == 'Attribute VB_Name = "Alpha"\r\nSub A()\r\nEnd Sub\r\n'


def test_standard_module_without_attribute_gets_one_from_the_file_name() -> None:
    module = standard_module("Sub A()\r\nEnd Sub", "Beta")
    assert module.source.startswith('Attribute VB_Name = "Beta"\r\nSub A()')


def test_class_module_drops_the_export_header_and_adds_the_stored_attributes() -> None:
    text = (
        "VERSION 1.0 CLASS\nBEGIN\n  MultiUse = -1  'True\nEND\n"
        'Attribute VB_Name = "Thing"\nAttribute VB_Exposed = True\nPublic X As Long\n'
    )
    module = class_module(text, "ignored")
    lines = module.source.split("\r\n")
    assert module.name == "Thing"
    assert lines[0] == 'Attribute VB_Name = "Thing"'
    assert lines[1].startswith('Attribute VB_Base = "0{FCFB3D2A')
    assert "Attribute VB_Exposed = True" in lines
    assert "VERSION 1.0 CLASS" not in module.source
    assert lines[-2] == "Public X As Long"


@pytest.mark.parametrize("name", ["1abc", "has space", "x" * 32, ""])
def test_invalid_module_names_are_refused(name: str) -> None:
    with pytest.raises(VbaError):
        standard_module(f'Attribute VB_Name = "{name}"\n', "x")


def test_duplicate_module_names_are_refused() -> None:
    a = standard_module("", "Same")
    with pytest.raises(VbaError):
        build_vba_project("P", [a, standard_module("", "SAME")])


def test_text_outside_windows_1252_is_refused() -> None:
    with pytest.raises(VbaError, match="Windows-1252"):
        build_vba_project("P", [standard_module("' \u4e2d\n", "M")])


def test_project_is_read_by_olevba(tmp_path: Path) -> None:
    modules = [
        standard_module('Sub Hello()\n    MsgBox "hi"\nEnd Sub\n', "Greeting"),
        class_module('Attribute VB_Name = "Box"\nPublic Value As Variant\n', "Box"),
    ]
    path = tmp_path / "vbaProject.bin"
    path.write_bytes(build_vba_project("Demo", modules))
    parser = VBA_Parser(str(path))
    found = {name: code for _, _, name, code in parser.extract_macros()}
    parser.close()
    assert set(found) == {"Greeting.bas", "Box.cls"}
    assert 'MsgBox "hi"' in found["Greeting.bas"]


def test_same_sources_give_the_same_file() -> None:
    modules = [standard_module("Sub A()\nEnd Sub\n", "M")]
    assert build_vba_project("P", modules) == build_vba_project("P", modules)
