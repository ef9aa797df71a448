"""The Settings sheet: known keys, one row each, values of the right kind."""

from __future__ import annotations

from typing import Any

from addin.core.contract import SETTINGS_BY_KEY, Col, SettingKind, norm
from addin.core.journey import Settings
from addin.core.rules import Rule
from addin.core.tables import Table, is_blank, to_number
from addin.core.validation.cells import quoted, rows_of
from addin.core.validation.findings import Findings, suggest


def read_settings(table: Table, found: Findings) -> Settings:
    """The settings given; a blank, unknown or bad value leaves its default."""
    values: dict[str, Any] = {}
    keys = [s.key for s in SETTINGS_BY_KEY.values()]
    known = ", ".join(keys)
    for r, rec in rows_of(table):
        key_text = rec.get(Col.KEY)
        if is_blank(key_text):
            continue
        spec = SETTINGS_BY_KEY.get(norm(key_text))
        cell = table.cell(r, Col.KEY)
        if spec is None:
            found.add(
                Rule.SETTING_UNKNOWN_KEY,
                table.sheet,
                cell,
                f"The setting '{key_text}' is not known; it is ignored.{suggest(str(key_text), keys)}",
                f"Known settings: {known}.",
            )
            continue
        if spec.key in values:
            found.add(
                Rule.SETTING_DUPLICATE_KEY,
                table.sheet,
                cell,
                f"The setting '{spec.key}' appears twice; the first one is used.",
                "Delete one of the two rows.",
            )
            continue
        value = rec.get(Col.VALUE)
        vcell = table.cell(r, Col.VALUE)
        if is_blank(value):
            continue
        if spec.kind is SettingKind.NUMBER:
            number = to_number(value)
            if number is None or (spec.minimum is not None and number < spec.minimum):
                least = f" of at least {spec.minimum:g}" if spec.minimum is not None else ""
                default = f"{spec.default:g}" if isinstance(spec.default, float) else "blank (automatic)"
                found.add(
                    Rule.SETTING_BAD_VALUE,
                    table.sheet,
                    vcell,
                    f"'{spec.key}' should be a number{least}, not {quoted(value)}. The default ({default}) is used.",
                    f"Type a number, or leave it blank for the default ({default}).",
                )
                continue
            values[spec.key] = number
        elif spec.kind is SettingKind.CHOICE:
            match = {norm(c): c for c in spec.choices}.get(norm(value))
            if match is None:
                found.add(
                    Rule.SETTING_BAD_VALUE,
                    table.sheet,
                    vcell,
                    f"'{spec.key}' is {quoted(value)}, which is not one of {', '.join(spec.choices)}. "
                    f"The default ({spec.default}) is used.{suggest(str(value), spec.choices)}",
                    f"Pick one of: {', '.join(spec.choices)}.",
                )
                continue
            values[spec.key] = match
        else:
            values[spec.key] = str(value)
    return Settings.from_mapping(values)
