"""`excel install`: Linux refuses in a sentence; the Windows and macOS steps are described and carried out."""

from __future__ import annotations

import zipfile
from pathlib import Path, PureWindowsPath

import pytest

from addin.excel import install as inst
from addin.excel.build import ADDIN_FILE


def test_dry_run_on_linux_describes_windows_and_macos(tmp_path: Path) -> None:
    text = inst.install(True, platform="linux", home=tmp_path)
    assert "Excel is not available on Linux" in text and "nothing was changed" in text
    assert r"%APPDATA%\Microsoft\Excel\XLSTART\JourneyMap.xlam" in text
    assert r"%USERPROFILE%\.journeymap\journeymap.conf" in text and "INTERPRETER_WIN" in text
    assert "Startup.localized/Excel/JourneyMap.xlam" in text and "INTERPRETER_MAC" in text
    assert "Application Scripts/com.microsoft.Excel/xlwings-" in text
    assert not any(tmp_path.iterdir()), "a dry run wrote something"


def test_install_on_linux_refuses_with_a_sentence(tmp_path: Path) -> None:
    with pytest.raises(inst.ExcelNotAvailable) as err:
        inst.install(False, platform="linux", home=tmp_path)
    assert err.value.exit_code == 2
    assert str(err.value).startswith("Excel is not available on Linux")
    assert not any(tmp_path.iterdir())


def test_windows_plan_uses_appdata_and_userprofile() -> None:
    steps = inst.plan(
        "windows",
        Path("C:/Users/ana"),
        {"APPDATA": r"C:\Users\ana\AppData\Roaming", "USERPROFILE": r"C:\Users\ana"},
        r"C:\Python311\python.exe",
    )
    assert (
        str(PureWindowsPath(str(steps.addin_path)))
        == rf"C:\Users\ana\AppData\Roaming\Microsoft\Excel\XLSTART\{ADDIN_FILE}"
    )
    assert str(PureWindowsPath(str(steps.config_path))) == r"C:\Users\ana\.journeymap\journeymap.conf"
    assert steps.config_key == "INTERPRETER_WIN" and steps.applescript is None


def test_windows_plan_prefers_the_folder_excel_reports() -> None:
    steps = inst.plan("windows", Path("C:/Users/ana"), {}, "py", startup_path=r"D:\Office\XLSTART")
    assert str(PureWindowsPath(str(steps.addin_path))) == rf"D:\Office\XLSTART\{ADDIN_FILE}"


def test_macos_install_writes_addin_interpreter_and_applescript(tmp_path: Path) -> None:
    text = inst.install(
        False, platform="darwin", home=tmp_path, interpreter="/opt/py/bin/python3", startup_path=lambda: None
    )
    addin = tmp_path / inst.MAC_STARTUP / ADDIN_FILE
    assert zipfile.ZipFile(addin).read("customUI/customUI14.xml").startswith(b"<?xml")
    conf = tmp_path / inst.MAC_SANDBOX_HOME / "journeymap.conf"
    assert conf.read_text() == '"INTERPRETER_MAC","/opt/py/bin/python3"\n'
    scripts = list((tmp_path / inst.MAC_SCRIPTS).glob("xlwings-*.applescript"))
    assert len(scripts) == 1
    assert str(addin) in text and "Quit Excel" in text


def test_macos_dry_run_changes_nothing(tmp_path: Path) -> None:
    text = inst.install(True, platform="darwin", home=tmp_path, startup_path=lambda: pytest.fail("asked Excel"))
    assert text.startswith("Dry run: nothing was changed.")
    assert not any(tmp_path.iterdir())


def test_set_config_keeps_other_keys(tmp_path: Path) -> None:
    conf = tmp_path / "journeymap.conf"
    conf.write_text('"PYTHONPATH","C:\\code"\n"INTERPRETER_WIN","old"\n')
    inst.set_config(conf, "INTERPRETER_WIN", r"C:\new\python.exe")
    assert conf.read_text().splitlines() == [
        '"PYTHONPATH","C:\\code"',
        '"INTERPRETER_WIN","C:\\new\\python.exe"',
    ]


def test_locked_addin_gives_a_sentence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def locked(src: str, dst: str) -> None:
        raise PermissionError(13, "in use")

    monkeypatch.setattr(inst.os, "replace", locked)
    steps = inst.InstallPlan("windows", tmp_path / ADDIN_FILE, tmp_path / "x.conf", "INTERPRETER_WIN", "py")
    with pytest.raises(inst.InstallFailed, match="Quit Excel"):
        inst.carry_out(steps, b"addin")
    assert not list(tmp_path.glob("*.tmp"))
