"""Install the Journey Map add-in for the current user, as `xlwings addin install` does for its own.

Three steps: build `JourneyMap.xlam` fresh (so its xlwings module matches the installed
xlwings), copy it into Excel's per-user startup folder (XLSTART), and point it at this
Python interpreter by writing `INTERPRETER_WIN` / `INTERPRETER_MAC` to the add-in's own
xlwings settings file, `journeymap.conf` (xlwings' `xlwings.conf` is left alone). On
macOS, xlwings' AppleScript that RunPython needs is copied too, as `xlwings runpython
install` does.

Startup folder: the one a running Excel reports (`app.startup_path`, what xlwings uses),
else the default: Windows `%APPDATA%\\Microsoft\\Excel\\XLSTART`; macOS
`~/Library/Group Containers/UBF8T346G9.Office/User Content.localized/Startup.localized/Excel`.
Excel is not available on Linux: there, only `--dry-run` works and describes the steps.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePath, PurePosixPath, PureWindowsPath

from addin.core.errors import AddinError
from addin.excel.build import ADDIN_FILE, CONFIG_NAME

MAC_STARTUP = "Library/Group Containers/UBF8T346G9.Office/User Content.localized/Startup.localized/Excel"
MAC_SANDBOX_HOME = "Library/Containers/com.microsoft.Excel/Data"
MAC_SCRIPTS = "Library/Application Scripts/com.microsoft.Excel"


class ExcelNotAvailable(AddinError):
    """Excel does not run on this operating system, so nothing can be installed."""


class InstallFailed(AddinError):
    """A file could not be written (most often: Excel has the add-in open)."""


@dataclass(frozen=True)
class InstallPlan:
    """Where each piece goes on one platform."""

    platform: str  # "windows" or "macos"
    addin_path: PurePath
    config_path: PurePath
    config_key: str
    interpreter: str
    applescript: tuple[PurePath, PurePath] | None = None  # (source, destination), macOS only

    def describe(self) -> list[str]:
        """The steps, as sentences."""
        lines = [
            f"Build {ADDIN_FILE} with the ribbon and the VBA of the installed xlwings.",
            f"Copy it to Excel's startup folder: {self.addin_path}",
            f"Set {self.config_key} = {self.interpreter} in {self.config_path}",
        ]
        if self.applescript is not None:
            lines.append(f"Copy xlwings' AppleScript for RunPython to {self.applescript[1]}")
        lines.append("Then quit Excel completely and start it again: the 'Journey Map' tab appears.")
        return lines


def _platform(name: str) -> str:
    if name.startswith("win"):
        return "windows"
    if name == "darwin":
        return "macos"
    return "linux"


def running_excel_startup_path() -> str | None:
    """The startup folder a running Excel reports, or None when none runs (Excel is never started)."""
    try:
        import xlwings as xw

        app = xw.apps.active if xw.apps.count else None
        return str(app.startup_path) if app is not None else None
    except Exception:  # no Excel, no COM/AppleScript: use the default folder
        return None


def plan(
    platform: str,
    home: Path,
    env: Mapping[str, str],
    interpreter: str,
    startup_path: str | None = None,
) -> InstallPlan:
    """The install plan for `platform` ("windows" or "macos") and this user's folders.

    Paths are concrete (writable) on their own platform and pure (for describing) elsewhere.
    """
    key = "INTERPRETER_WIN" if platform == "windows" else "INTERPRETER_MAC"
    native = _platform(sys.platform) == platform
    if platform == "windows":
        win: type[PurePath] = Path if native else PureWindowsPath
        appdata = env.get("APPDATA") or str(win(str(home), "AppData", "Roaming"))
        profile = env.get("USERPROFILE") or str(home)
        startup = startup_path or str(win(appdata, "Microsoft", "Excel", "XLSTART"))
        return InstallPlan(
            platform,
            win(startup, ADDIN_FILE),
            win(profile, f".{CONFIG_NAME}", f"{CONFIG_NAME}.conf"),
            key,
            interpreter,
        )
    if platform == "macos":
        import xlwings

        from addin.excel.build import xlwings_dir

        mac: type[PurePath] = Path if native or sys.platform != "win32" else PurePosixPath
        script = f"xlwings-{xlwings.__version__}.applescript"
        folder = mac(startup_path) if startup_path else mac(home, MAC_STARTUP)
        return InstallPlan(
            platform,
            folder / ADDIN_FILE,
            mac(home, MAC_SANDBOX_HOME, f"{CONFIG_NAME}.conf"),
            key,
            interpreter,
            (xlwings_dir() / script, mac(home, MAC_SCRIPTS, script)),
        )
    raise ValueError(f"no install plan for {platform!r}")


def set_config(path: Path, key: str, value: str) -> None:
    """Set `key` in an xlwings-style settings file ('"KEY","VALUE"' lines), keeping the other keys."""
    lines: list[str] = []
    if path.is_file():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() and line.split(",", 1)[0].strip().strip('"').upper() != key.upper():
                lines.append(line)
    lines.append(f'"{key}","{value}"')
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _write(path: Path, data: bytes) -> None:
    from addin.adapters.xlsx_file import atomic_path

    try:
        with atomic_path(path) as tmp:
            tmp.write_bytes(data)
    except PermissionError as exc:
        raise InstallFailed(
            f"Could not write {path}: Excel probably has the add-in open. Quit Excel and run the install again.",
            path=str(path),
        ) from exc


def carry_out(steps: InstallPlan, addin: bytes) -> None:
    """Write the add-in, the interpreter setting and (macOS) the AppleScript."""
    _write(Path(steps.addin_path), addin)
    set_config(Path(steps.config_path), steps.config_key, steps.interpreter)
    if steps.applescript is not None:
        source, target = steps.applescript
        _write(Path(target), Path(source).read_bytes())


def install(
    dry_run: bool,
    *,
    platform: str | None = None,
    home: Path | None = None,
    env: Mapping[str, str] | None = None,
    interpreter: str | None = None,
    startup_path: Callable[[], str | None] = running_excel_startup_path,
) -> str:
    """Install the add-in for the current user (or, with `dry_run`, only say how); returns the report.

    The keyword arguments default to this machine (platform, home folder, environment,
    interpreter) and exist so the Windows and macOS steps can be exercised anywhere.
    Raises `ExcelNotAvailable` on Linux unless `dry_run`.
    """
    system = _platform(platform or sys.platform)
    home = home or Path.home()
    env = os.environ if env is None else env
    interpreter = interpreter or sys.executable
    if system == "linux":
        if not dry_run:
            raise ExcelNotAvailable(
                "Excel is not available on Linux, so the add-in cannot be installed here. "
                "Run 'python -m addin excel install' on Windows or macOS (with Excel installed), "
                "or 'python -m addin excel install --dry-run' to see the steps."
            )
        out = ["Excel is not available on Linux; nothing was changed. On Windows or macOS the install would:"]
        who = "the Python that runs the install"
        win_env = {"APPDATA": "%APPDATA%", "USERPROFILE": "%USERPROFILE%"}
        for title, steps in (
            ("Windows", plan("windows", Path("%USERPROFILE%"), win_env, who)),
            ("macOS", plan("macos", Path("~"), {}, who)),
        ):
            out.append(f"{title}:")
            out += [f"  - {line}" for line in steps.describe()]
        return "\n".join(out)
    steps = plan(system, home, env, interpreter, None if dry_run else startup_path())
    if dry_run:
        lines = [f"  - {line}" for line in steps.describe()]
        return "\n".join(["Dry run: nothing was changed. The install would:", *lines])
    from addin.excel.build import addin_bytes

    carry_out(steps, addin_bytes())
    done = [f"Installed {ADDIN_FILE} at {steps.addin_path}"]
    done.append(f"Python for the ribbon: {interpreter} ({steps.config_key} in {steps.config_path})")
    if steps.applescript is not None:
        done.append(f"RunPython enabled: {steps.applescript[1]}")
    done.append("Quit Excel completely and start it again: the 'Journey Map' tab appears.")
    return "\n".join(done)
