"""Build the Excel front end: the `JourneyMap.xlam` add-in and the `journey-map.xlsm` template.

Both carry the same ribbon (`macros/customUI14.xml`) and the same VBA: the modules in
`macros/` plus, taken at build time from the installed xlwings package, its custom
add-in module (`xlwings_custom_addin.bas`, which provides `RunPython`) and the
`Dictionary` class it needs on macOS. The xlwings module's `PROJECT_NAME` is set to
`journeymap`, so xlwings reads its settings (the interpreter above all) from a
`journeymap.conf` sheet or file, never from another add-in's `xlwings.conf`:
`addin.excel.install` writes the user file. Rebuild after upgrading xlwings: the
module names the xlwings DLL of its own version.

Runs on any OS; Excel is not needed to build.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from addin.core.errors import AddinError
from addin.core.model import RawSheet
from addin.excel import blank, ooxml
from addin.excel.vba import (
    WORKBOOK_BASE,
    WORKSHEET_BASE,
    Module,
    build_vba_project,
    class_module,
    document_module,
    module_from_file,
    standard_module,
)

PROJECT_NAME = "JourneyMap"
CONFIG_NAME = "journeymap"
"""xlwings' PROJECT_NAME inside the add-in: settings live in `journeymap.conf` (sheet or file)."""
ADDIN_FILE = "JourneyMap.xlam"
TEMPLATE_FILE = "journey-map.xlsm"
CONFIG_SHEET = f"{CONFIG_NAME}.conf"
CONFIG_SETTINGS: tuple[tuple[str, str], ...] = (
    # Do not put the user's workbook folder on sys.path: a stray pandas.py next to a
    # workbook must not shadow the add-in's imports.
    ("ADD_WORKBOOK_TO_PYTHONPATH", "false"),
)
_XLWINGS_PROJECT_LINE = 'Public Const PROJECT_NAME As String = "myaddin"'


class BuildError(AddinError):
    """The add-in cannot be built (macros or the xlwings VBA sources missing, ...)."""


def macros_dir() -> Path:
    """The folder of the ribbon's VBA sources and customUI14.xml (repository `macros/`)."""
    package = Path(__file__).resolve().parents[1]
    for candidate in (package.parent / "macros", package / "resources" / "macros"):
        if (candidate / "customUI14.xml").is_file():
            return candidate
    raise BuildError(
        "The ribbon sources (macros/customUI14.xml) were not found next to the addin package. "
        "Build from a checkout of the repository."
    )


def xlwings_dir() -> Path:
    """The installed xlwings package folder (holds the VBA sources the add-in embeds)."""
    import xlwings  # lazy: only a build needs it

    return Path(xlwings.__file__).resolve().parent


def xlwings_modules() -> list[Module]:
    """xlwings' custom add-in module (as module `xlwings`) and its `Dictionary` class."""
    folder = xlwings_dir()
    bas = folder / "xlwings_custom_addin.bas"
    cls = folder / "addin" / "Dictionary.cls"
    for path in (bas, cls):
        if not path.is_file():
            raise BuildError(f"The installed xlwings has no {path.name} ({path}); reinstall xlwings.")
    text = bas.read_bytes().decode("cp1252")
    if text.count(_XLWINGS_PROJECT_LINE) != 1:
        raise BuildError(
            f"{bas.name} of this xlwings version has no line {_XLWINGS_PROJECT_LINE!r}; "
            "the build needs updating for it."
        )
    text = text.replace(_XLWINGS_PROJECT_LINE, f'Public Const PROJECT_NAME As String = "{CONFIG_NAME}"')
    return [standard_module(text, "xlwings"), class_module(cls.read_bytes().decode("cp1252"), "Dictionary")]


def ribbon_modules(folder: Path | None = None) -> list[Module]:
    """The modules of `macros/` (*.bas and *.cls), in file-name order."""
    folder = folder or macros_dir()
    files = sorted([*folder.glob("*.bas"), *folder.glob("*.cls")])
    return [module_from_file(path) for path in files]


def code_modules() -> list[Module]:
    """Every non-document module the add-in and the template carry."""
    return [*ribbon_modules(), *xlwings_modules()]


def vba_project(names: ooxml.CodeNames, modules: Sequence[Module]) -> bytes:
    """A vbaProject.bin with document modules for `names` and the code `modules`."""
    docs = [document_module(names.workbook, WORKBOOK_BASE)]
    docs += [document_module(name, WORKSHEET_BASE) for name in names.sheets]
    return build_vba_project(PROJECT_NAME, [*docs, *modules])


def custom_ui() -> bytes:
    """The ribbon definition (customUI14.xml) as bytes."""
    return (macros_dir() / "customUI14.xml").read_bytes()


def _macro_enabled(package: bytes, modules: Sequence[Module], addin: bool) -> bytes:
    names = ooxml.code_names(package)
    out, final = ooxml.add_macros(package, vba_project(names, modules), custom_ui(), addin=addin)
    assert final == names
    return out


def addin_bytes(modules: Sequence[Module] | None = None) -> bytes:
    """The .xlam: one settings sheet for xlwings, the VBA project and the ribbon."""
    sheet = RawSheet(CONFIG_SHEET, [[k, v] for k, v in CONFIG_SETTINGS])
    base = ooxml.minimal_workbook(
        [sheet],
        title="Journey Map",
        description="Journey Map ribbon: validate a customer journey workbook, refresh its heatmap, "
        "priorities and dashboard.",
    )
    return _macro_enabled(base, modules if modules is not None else code_modules(), addin=True)


def template_bytes(modules: Sequence[Module] | None = None, template: Path | None = None) -> bytes:
    """The .xlsm: the blank template with the VBA project and ribbon.

    The template is `template` when given, else `templates/journey-map.xlsx`, else the one
    `addin.authoring.template` builds.
    """
    base = template.read_bytes() if template is not None else blank.template_bytes()
    return _macro_enabled(base, modules if modules is not None else code_modules(), addin=False)


def _write_atomic(path: Path, data: bytes) -> None:
    """Temporary file in the same folder, then replace; permissions as for any new file (umask)."""
    from addin.adapters.xlsx_file import atomic_path

    with atomic_path(path) as tmp:
        tmp.write_bytes(data)


def build(out_dir: Path | str, template_dir: Path | str | None = None) -> tuple[Path, Path]:
    """Write `JourneyMap.xlam` to `out_dir` and `journey-map.xlsm` to `template_dir` (default: out_dir).

    Returns (xlam_path, xlsm_path). Each file is written to a temporary file in the same
    folder first and then moved into place, so a failed build leaves no half-written file.
    """
    out = Path(out_dir)
    templates = Path(template_dir) if template_dir is not None else out
    modules = code_modules()
    xlam = out / ADDIN_FILE
    xlsm = templates / TEMPLATE_FILE
    _write_atomic(xlam, addin_bytes(modules))
    _write_atomic(xlsm, template_bytes(modules))
    return xlam, xlsm
