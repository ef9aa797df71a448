"""`Results` as JSON, and the JSON Schema it follows (published as docs/results.schema.json).

Both are derived from the dataclasses' type hints, so the schema cannot drift from the model: a test
compares the committed schema with `schema()`. Fields are written under their Python names; enums as
their values; tuples as arrays; None as null.
"""

from __future__ import annotations

import dataclasses
import json
import math
import types
import typing
from enum import Enum
from typing import Any

from addin.core import results as model
from addin.core.model import Finding

DRAFT = "https://json-schema.org/draft/2020-12/schema"


def to_dict(value: Any) -> Any:
    """A results value as plain JSON data."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_dict(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple | list):
        return [to_dict(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def dumps(result: model.Results, indent: int | None = 1) -> str:
    return json.dumps(to_dict(result), indent=indent, ensure_ascii=False, allow_nan=False)


# ---------------------------------------------------------------- schema


def schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one results document."""
    defs: dict[str, Any] = {}
    root = _object(model.Results, defs)
    root.pop("description", None)
    return {
        "$schema": DRAFT,
        "title": "Journey Map results",
        "description": (
            "The whole outcome of one run of the Journey Map add-in over one workbook (python -m addin results), "
            f"schema_version {model.SCHEMA_VERSION}. Generated from addin/core/results.py; do not edit by hand."
        ),
        **root,
        "$defs": dict(sorted(defs.items())),
    }


def schema_text() -> str:
    return json.dumps(schema(), indent=2, ensure_ascii=False) + "\n"


def _object(cls: type, defs: dict[str, Any]) -> dict[str, Any]:
    hints = typing.get_type_hints(cls)
    props = {}
    for f in dataclasses.fields(cls):
        prop = _type(hints[f.name], defs)
        doc = _field_doc(cls, f.name)
        if doc:
            prop = {**prop, "description": doc}
        props[f.name] = prop
    if cls is model.Results:
        props["schema_version"] = {**props["schema_version"], "const": model.SCHEMA_VERSION}
    out: dict[str, Any] = {
        "type": "object",
        "properties": props,
        "required": list(props),
        "additionalProperties": False,
    }
    if cls.__doc__:
        out = {"description": " ".join(cls.__doc__.split()), **out}
    return out


def _type(hint: Any, defs: dict[str, Any]) -> dict[str, Any]:
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in args if a is not type(None)]
        inner = _type(options[0], defs) if len(options) == 1 else {"anyOf": [_type(a, defs) for a in options]}
        return {"anyOf": [inner, {"type": "null"}]}
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return {"type": "array", "items": _type(args[0], defs)}
        return {
            "type": "array",
            "prefixItems": [_type(a, defs) for a in args],
            "items": False,
            "minItems": len(args),
        }
    if isinstance(hint, type) and issubclass(hint, Enum):
        doc = " ".join((hint.__doc__ or "").split())
        defs.setdefault(hint.__name__, {"description": doc, "enum": [m.value for m in hint]})
        return {"$ref": f"#/$defs/{hint.__name__}"}
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        if hint.__name__ not in defs:
            defs[hint.__name__] = {}
            defs[hint.__name__] = _object(hint, defs)
        return {"$ref": f"#/$defs/{hint.__name__}"}
    simple = {str: "string", bool: "boolean", int: "integer", float: "number"}
    if hint in simple:
        return {"type": simple[hint]}
    raise TypeError(f"no JSON Schema for {hint!r}")


def _field_doc(cls: type, name: str) -> str:
    """The docstring written under a field in the class body, if any."""
    return _FIELD_DOCS.get((cls.__name__, name), "")


def _collect_field_docs() -> dict[tuple[str, str], str]:
    import ast
    import inspect
    import itertools

    out: dict[tuple[str, str], str] = {}
    for module in (model,):
        tree = ast.parse(inspect.getsource(module))
        for node in tree.body:
            if not isinstance(node, ast.ClassDef):
                continue
            body = node.body
            for first, second in itertools.pairwise(body):
                if (
                    isinstance(first, ast.AnnAssign)
                    and isinstance(first.target, ast.Name)
                    and isinstance(second, ast.Expr)
                    and isinstance(second.value, ast.Constant)
                    and isinstance(second.value.value, str)
                ):
                    out[(node.name, first.target.id)] = " ".join(second.value.value.split())
    return out


_FIELD_DOCS = _collect_field_docs()

__all__ = ["Finding", "dumps", "schema", "schema_text", "to_dict"]

if __name__ == "__main__":  # python -m addin.core.results_json > docs/results.schema.json
    print(schema_text(), end="")
