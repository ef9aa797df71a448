"""Build a `vbaProject.bin` from VBA source text, following MS-OVBA.

The project holds source code only: each module stream is the compressed source
(MS-OVBA 2.4.1) at offset 0, with no compiled p-code, and `_VBA_PROJECT` declares
version 0xFFFF, so Excel compiles the modules from source when it opens the file.
The streams (PROJECT, PROJECTwm, VBA/dir, VBA/_VBA_PROJECT, one per module) are
packed by `addin.excel.cfb`.

Sources are the text of `.bas` (standard module) and `.cls` (class module) files as
the VBA editor exports them. `Attribute VB_Name = "..."` names the module (the file
name is used when it is missing, and the line is then added, since a stored module
always starts with it); a `.cls` export header (VERSION / BEGIN ... END) is dropped
and the attributes the editor adds on import (VB_Base, VB_TemplateDerived,
VB_Customizable) are added.
"""

from __future__ import annotations

import re
import struct
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from addin.core.errors import PackingError
from addin.excel.cfb import write_cfb

CODEPAGE = 1252
ENCODING = "cp1252"

# The workbook and worksheet object types that document modules derive from (Excel's type library).
WORKBOOK_BASE = "0{00020819-0000-0000-C000-000000000046}"
WORKSHEET_BASE = "0{00020820-0000-0000-C000-000000000046}"
CLASS_BASE = "0{FCFB3D2A-A0FA-1068-A738-08002B3371B5}"

# References every Excel project carries: OLE Automation, and the Office library
# (where IRibbonControl lives). Excel resolves registered references by GUID and version.
REFERENCES: tuple[tuple[str, str], ...] = (
    (
        "stdole",
        r"*\G{00020430-0000-0000-C000-000000000046}#2.0#0#C:\Windows\System32\stdole2.tlb#OLE Automation",
    ),
    (
        "Office",
        r"*\G{2DF8D04C-5BFA-101B-BDE5-00AA0044DE52}#2.0#0#"
        r"C:\Program Files\Common Files\Microsoft Shared\OFFICE16\MSO.DLL"
        r"#Microsoft Office 16.0 Object Library",
    ),
)

_VB_NAME = re.compile(r'^Attribute\s+VB_Name\s*=\s*"([^"]*)"\s*$', re.IGNORECASE)
_IDENTIFIER = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,30}$")


class VbaError(PackingError):
    """A VBA source cannot be packed (bad module name, characters outside Windows-1252, ...)."""


class ModuleKind(StrEnum):
    """How a module is stored: procedural (.bas), class (.cls) or document (ThisWorkbook, a sheet)."""

    STANDARD = "standard"
    CLASS = "class"
    DOCUMENT = "document"


@dataclass(frozen=True)
class Module:
    """One VBA module: its name, kind and the source as stored (CRLF lines, attributes first)."""

    name: str
    kind: ModuleKind
    source: str


def _lines(text: str) -> list[str]:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    while lines and lines[-1] == "":
        lines.pop()
    return lines


def _check_name(name: str) -> str:
    if not _IDENTIFIER.match(name):
        raise VbaError(
            f"{name!r} is not a valid VBA module name: use a letter, then letters, digits or _ (31 at most)."
        )
    return name


def _join(lines: Iterable[str]) -> str:
    return "".join(line + "\r\n" for line in lines)


def standard_module(text: str, default_name: str) -> Module:
    """A standard module from `.bas` text; its name comes from `Attribute VB_Name` or `default_name`."""
    lines = _lines(text)
    body_start = 0
    name = default_name
    for i, line in enumerate(lines):
        match = _VB_NAME.match(line.strip())
        if match:
            name, body_start = match.group(1), i + 1
            break
        if line.strip() and not line.lstrip().startswith("Attribute "):
            break
    body = [line for line in lines[body_start:]]
    return Module(_check_name(name), ModuleKind.STANDARD, _join([f'Attribute VB_Name = "{name}"', *body]))


def class_module(text: str, default_name: str) -> Module:
    """A class module from `.cls` text as the VBA editor exports it."""
    lines = _lines(text)
    if lines and lines[0].strip().upper().startswith("VERSION "):
        end = next((i for i, line in enumerate(lines) if line.strip().upper() == "END"), None)
        if end is None:
            raise VbaError(f"{default_name}: the class header (VERSION ... BEGIN ... END) has no END line.")
        lines = lines[end + 1 :]
    attrs: dict[str, str] = {}
    i = 0
    while i < len(lines) and re.match(r"^Attribute\s+VB_\w+\s*=", lines[i]):
        key, value = lines[i].split("=", 1)
        attrs[key.split()[1]] = value.strip()
        i += 1
    name = attrs.pop("VB_Name", f'"{default_name}"').strip('"')
    head = {
        "VB_Base": f'"{CLASS_BASE}"',
        "VB_GlobalNameSpace": "False",
        "VB_Creatable": "False",
        "VB_PredeclaredId": "False",
        "VB_Exposed": "False",
        "VB_TemplateDerived": "False",
        "VB_Customizable": "False",
    }
    head.update({k: v for k, v in attrs.items() if k in head})
    extra = [f"Attribute {k} = {v}" for k, v in attrs.items() if k not in head]
    out = [f'Attribute VB_Name = "{_check_name(name)}"']
    out += [f"Attribute {k} = {v}" for k, v in head.items()]
    return Module(name, ModuleKind.CLASS, _join([*out, *extra, *lines[i:]]))


def document_module(name: str, base: str) -> Module:
    """An empty document module (ThisWorkbook or a worksheet) deriving from `base`."""
    attrs = [
        f'Attribute VB_Name = "{_check_name(name)}"',
        f'Attribute VB_Base = "{base}"',
        "Attribute VB_GlobalNameSpace = False",
        "Attribute VB_Creatable = False",
        "Attribute VB_PredeclaredId = True",
        "Attribute VB_Exposed = True",
        "Attribute VB_TemplateDerived = False",
        "Attribute VB_Customizable = True",
    ]
    return Module(name, ModuleKind.DOCUMENT, _join(attrs))


def module_from_file(path: Path, text: str | None = None) -> Module:
    """A module from a `.bas` or `.cls` file (its text may be given, e.g. after editing)."""
    if text is None:
        text = path.read_bytes().decode(ENCODING)
    if path.suffix.lower() == ".cls":
        return class_module(text, path.stem)
    if path.suffix.lower() == ".bas":
        return standard_module(text, path.stem)
    raise VbaError(f"{path.name}: only .bas and .cls files are VBA modules.")


# ---------------------------------------------------------------- MS-OVBA 2.4.1 compression

_CHUNK = 4096


def _copy_token_help(difference: int) -> tuple[int, int]:
    """(bit count of the offset, maximum length) for a position `difference` bytes into a chunk."""
    bit_count = max((difference - 1).bit_length(), 4)
    return bit_count, (0xFFFF >> bit_count) + 3


def _compress_chunk(data: bytes, start: int, end: int) -> bytes:
    out = bytearray()
    heads: dict[bytes, list[int]] = {}
    pos = start
    while pos < end:
        flag_at = len(out)
        out.append(0)
        flags = 0
        for bit in range(8):
            if pos >= end:
                break
            bit_count, max_len = _copy_token_help(pos - start)
            best_len, best_off = 0, 0
            key = data[pos : pos + 3]
            if len(key) == 3 and pos + 3 <= end:
                for cand in reversed(heads.get(key, ())[-64:]):
                    limit = min(max_len, end - pos)
                    length = 3
                    while length < limit and data[cand + length] == data[pos + length]:
                        length += 1
                    if length > best_len:
                        best_len, best_off = length, pos - cand
                        if length == limit:
                            break
            if best_len >= 3:
                token = ((best_off - 1) << (16 - bit_count)) | (best_len - 3)
                out += struct.pack("<H", token)
                flags |= 1 << bit
                step = best_len
            else:
                out.append(data[pos])
                step = 1
            for p in range(pos, pos + step):
                if p + 3 <= end:
                    heads.setdefault(data[p : p + 3], []).append(p)
            pos += step
        out[flag_at] = flags
    return bytes(out)


def compress(data: bytes) -> bytes:
    """MS-OVBA 2.4.1 compressed container of `data`."""
    out = bytearray(b"\x01")
    for start in range(0, len(data), _CHUNK):
        end = min(start + _CHUNK, len(data))
        packed = _compress_chunk(data, start, end)
        if len(packed) <= _CHUNK:
            out += struct.pack("<H", 0xB000 | (len(packed) + 2 - 3)) + packed
        elif end - start == _CHUNK:
            out += struct.pack("<H", 0x3000 | (_CHUNK + 2 - 3)) + data[start:end]
        else:  # pragma: no cover - needs a short, incompressible last chunk of ~3.7 kB
            raise VbaError("This source cannot be compressed in the MS-OVBA format; add a few comment lines.")
    return bytes(out)


# ---------------------------------------------------------------- MS-OVBA 2.4.3 data encryption


def encrypt(project_id: str, data: bytes, seed: int) -> str:
    """MS-OVBA 2.4.3.2 'encryption' of a PROJECT stream value (CMG, DPB, GC), as hex text."""
    version = 2
    proj_key = sum(project_id.encode(ENCODING)) & 0xFF
    out = bytearray([seed, seed ^ version, seed ^ proj_key])
    unencrypted_1, encrypted_1, encrypted_2 = proj_key, seed ^ proj_key, seed ^ version
    ignored_length = (seed & 6) // 2
    payload = bytes([0] * ignored_length) + struct.pack("<I", len(data)) + data
    for byte in payload:
        enc = byte ^ ((encrypted_2 + unencrypted_1) & 0xFF)
        out.append(enc)
        encrypted_2, encrypted_1, unencrypted_1 = encrypted_1, enc, byte
    return out.hex().upper()


def decrypt(text: str) -> bytes:
    """Inverse of `encrypt` (used by the tests to read back CMG, DPB and GC)."""
    raw = bytes.fromhex(text)
    seed, version_enc, proj_key_enc = raw[0], raw[1], raw[2]
    proj_key = seed ^ proj_key_enc
    unencrypted_1, encrypted_1, encrypted_2 = proj_key, proj_key_enc, version_enc
    ignored_length = (seed & 6) // 2
    plain = bytearray()
    for enc in raw[3:]:
        byte = enc ^ ((encrypted_2 + unencrypted_1) & 0xFF)
        plain.append(byte)
        encrypted_2, encrypted_1, unencrypted_1 = encrypted_1, enc, byte
    body = plain[ignored_length:]
    (length,) = struct.unpack_from("<I", body)
    return bytes(body[4 : 4 + length])


# ---------------------------------------------------------------- streams


def _mbcs(text: str) -> bytes:
    try:
        return text.encode(ENCODING)
    except UnicodeEncodeError as exc:
        raise VbaError(f"{text[:40]!r}... has a character that Windows-1252 VBA source cannot hold.") from exc


def _rec(record_id: int, data: bytes) -> bytes:
    return struct.pack("<HI", record_id, len(data)) + data


def _dir_stream(project_name: str, modules: Sequence[Module]) -> bytes:
    name = _mbcs(project_name)
    out = bytearray()
    out += _rec(0x0001, struct.pack("<I", 1))  # SYSKIND: 32-bit Windows; Excel recompiles anyway
    out += _rec(0x0002, struct.pack("<I", 0x0409))  # LCID
    out += _rec(0x0014, struct.pack("<I", 0x0409))  # LCIDINVOKE
    out += _rec(0x0003, struct.pack("<H", CODEPAGE))
    out += _rec(0x0004, name)
    out += _rec(0x0005, b"") + _rec(0x0040, b"")  # docstring, and its Unicode form
    out += _rec(0x0006, b"") + _rec(0x003D, b"")  # help file 1 and 2
    out += _rec(0x0007, struct.pack("<I", 0))  # help context
    out += _rec(0x0008, struct.pack("<I", 0))  # lib flags
    out += struct.pack("<HIIH", 0x0009, 4, 1, 0)  # version: Reserved=4, major, minor
    out += _rec(0x000C, b"") + _rec(0x003C, b"")  # constants
    for ref_name, libid in REFERENCES:
        out += _rec(0x0016, _mbcs(ref_name)) + _rec(0x003E, ref_name.encode("utf-16-le"))
        lib = _mbcs(libid)
        out += _rec(0x000D, struct.pack("<I", len(lib)) + lib + struct.pack("<IH", 0, 0))
    out += _rec(0x000F, struct.pack("<H", len(modules)))
    out += _rec(0x0013, struct.pack("<H", 0xFFFF))  # project cookie
    for module in modules:
        mname = _mbcs(module.name)
        uname = module.name.encode("utf-16-le")
        out += _rec(0x0019, mname) + _rec(0x0047, uname)
        out += _rec(0x001A, mname) + _rec(0x0032, uname)  # stream name = module name
        out += _rec(0x001C, b"") + _rec(0x0048, b"")  # docstring
        out += _rec(0x0031, struct.pack("<I", 0))  # source starts at offset 0: no p-code
        out += _rec(0x001E, struct.pack("<I", 0))  # help context
        out += _rec(0x002C, struct.pack("<H", 0xFFFF))  # module cookie
        out += _rec(0x0021 if module.kind is ModuleKind.STANDARD else 0x0022, b"")
        out += _rec(0x002B, b"")  # module terminator
    out += _rec(0x0010, b"")  # end of the dir stream
    return bytes(out)


def _project_stream(project_name: str, project_id: str, modules: Sequence[Module], seed: int) -> bytes:
    lines = [f'ID="{project_id}"']
    for module in modules:
        if module.kind is ModuleKind.DOCUMENT:
            lines.append(f"Document={module.name}/&H00000000")
        elif module.kind is ModuleKind.CLASS:
            lines.append(f"Class={module.name}")
        else:
            lines.append(f"Module={module.name}")
    lines += [f'Name="{project_name}"', 'HelpContextID="0"', 'VersionCompatible32="393222000"']
    cmg = encrypt(project_id, struct.pack("<I", 0), seed)  # not protected
    dpb = encrypt(project_id, bytes([0]), (seed + 1) & 0xFF)  # no password
    gc = encrypt(project_id, bytes([0xFF]), (seed + 2) & 0xFF)  # visible
    lines += [f'CMG="{cmg}"', f'DPB="{dpb}"', f'GC="{gc}"']
    lines += ["", "[Host Extender Info]", "&H00000001={3832D640-CF90-11CF-8E43-00A0C911005A};VBE;&H00000000"]
    return _mbcs(_join(lines))


def _projectwm(modules: Sequence[Module]) -> bytes:
    out = bytearray()
    for module in modules:
        out += _mbcs(module.name) + b"\0" + module.name.encode("utf-16-le") + b"\0\0"
    return bytes(out + b"\0\0")


def build_vba_project(project_name: str, modules: Sequence[Module]) -> bytes:
    """The bytes of a `vbaProject.bin` holding `modules` as source only.

    The project ID is derived from the project and module names, so the same sources
    always give the same file.
    """
    _check_name(project_name)
    names = [m.name.casefold() for m in modules]
    if len(set(names)) != len(names):
        raise VbaError("Two modules have the same name (VBA names ignore case).")
    key = project_name + "|" + "|".join(m.name for m in modules)
    project_id = "{" + str(uuid.uuid5(uuid.NAMESPACE_URL, "urn:journey-map:vba:" + key)).upper() + "}"
    seed = sum(key.encode()) & 0xFF
    streams = {
        "PROJECT": _project_stream(project_name, project_id, modules, seed),
        "PROJECTwm": _projectwm(modules),
        "VBA/_VBA_PROJECT": bytes([0xCC, 0x61, 0xFF, 0xFF, 0x00, 0x01, 0x00]),
        "VBA/dir": compress(_dir_stream(project_name, modules)),
    }
    for module in modules:
        streams[f"VBA/{module.name}"] = compress(_mbcs(module.source))
    return write_cfb(streams)
