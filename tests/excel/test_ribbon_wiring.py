"""Every button's onAction names a ribbon callback; every RunPython names a Python function that exists."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest
from lxml import etree

from addin.excel import build

UI = "{http://schemas.microsoft.com/office/2009/07/customui}"
_SUB = re.compile(r"^\s*(?:Public\s+)?Sub\s+(\w+)\s*\(\s*control\s+As\s+IRibbonControl\s*\)", re.I | re.M)
_RUNPYTHON = re.compile(r'RunPython\s*\(?\s*"([^"]*)"')


def _sources() -> dict[str, str]:
    return {p.stem: p.read_text(encoding="cp1252") for p in build.macros_dir().glob("*.bas")}


def _callbacks() -> set[str]:
    found = set()
    for module, text in _sources().items():
        for name in _SUB.findall(text):
            found |= {name, f"{module}.{name}"}
    return found


def _ui() -> etree._Element:
    return etree.parse(str(build.macros_dir() / "customUI14.xml")).getroot()


def test_ribbon_namespace_and_tab() -> None:
    root = _ui()
    assert root.tag == f"{UI}customUI"
    tabs = list(root.iter(f"{UI}tab"))
    assert [t.get("label") for t in tabs] == ["Journey Map"]
    labels = [b.get("label") for b in root.iter(f"{UI}button")]
    assert labels == ["Validate", "Refresh all", "New journey", "Open help"]


def test_every_button_has_an_icon_and_tips() -> None:
    for button in _ui().iter(f"{UI}button"):
        assert button.get("imageMso"), button.get("label")
        assert button.get("screentip") and len(button.get("supertip", "")) > 30, button.get("label")


def test_every_on_action_names_a_ribbon_callback() -> None:
    callbacks = _callbacks()
    actions = [el.get("onAction") for el in _ui().iter() if el.get("onAction")]
    assert len(actions) == 4
    for action in actions:
        assert action in callbacks, f"onAction={action!r} has no Sub {action}(control As IRibbonControl)"


def test_run_python_strings_are_constants_naming_existing_functions() -> None:
    commands = [c for text in _sources().values() for c in _RUNPYTHON.findall(text)]
    assert len(commands) == 4
    for text in _sources().values():
        for line in text.splitlines():
            if "RunPython" in line and not line.lstrip().startswith("'"):
                assert "&" not in line, f"a RunPython command is built from pieces: {line.strip()}"
    for command in commands:
        match = re.fullmatch(r"import ([\w.]+) as (\w+); \2\.(\w+)\(\)", command)
        assert match, f"unexpected RunPython command {command!r}"
        module = importlib.import_module(match.group(1))
        assert callable(getattr(module, match.group(3))), command


@pytest.mark.parametrize("path", sorted(Path(build.macros_dir()).glob("*.bas")), ids=lambda p: p.name)
def test_sources_are_windows_1252(path: Path) -> None:
    path.read_bytes().decode("cp1252")
