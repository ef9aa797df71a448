"""Check request bodies, query parameters and field masks against Google's published Sheets v4 schema.

The schema is the discovery document that google-api-python-client ships
(`googleapiclient/discovery_cache/documents/sheets.v4.json`), so the fake
server rejects exactly what Google's own description of the API does not
allow: an unknown field, a value of the wrong JSON type or an unknown enum
value. Messages and paths imitate Google's ("Unknown name ... at
'requests[0].add_sheet': Cannot find field.").

Deliberate choices, stricter than Google where that catches our bugs earlier:
int32 fields take JSON numbers only (Google also takes "5"); enums take their
names only (Google also takes the number). int64/uint64 take a number or a
decimal string, as Google does.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import Any

_INT32 = (-(2**31), 2**31 - 1)
_UINT32 = (0, 2**32 - 1)
_INT64_TEXT = re.compile(r"^-?\d+$")


class SchemaViolation(ValueError):
    """A request that Google would answer with 400 INVALID_ARGUMENT."""

    def __init__(self, message: str, path: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.path = path


def snake(name: str) -> str:
    """Google reports field paths in the proto's snake_case: addSheet -> add_sheet."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def discovery_path() -> Path:
    """Where the installed google-api-python-client keeps the Sheets v4 discovery document."""
    import googleapiclient

    return Path(googleapiclient.__file__).parent / "discovery_cache" / "documents" / "sheets.v4.json"


@dataclass(frozen=True)
class Method:
    """One REST method of the discovery document."""

    id: str
    http_method: str
    path: str
    request_schema: str | None
    parameters: Mapping[str, Any]


class Discovery:
    """The Sheets v4 discovery document, with validators for bodies, query parameters and field masks."""

    def __init__(self, document: Mapping[str, Any]) -> None:
        self.document = document
        self.schemas: Mapping[str, Any] = document["schemas"]
        self.common_parameters: Mapping[str, Any] = document.get("parameters", {})
        self.methods: dict[str, Method] = {}
        self._collect(document.get("resources", {}), "sheets")

    def _collect(self, resources: Mapping[str, Any], prefix: str) -> None:
        for name, resource in resources.items():
            for method_name, spec in resource.get("methods", {}).items():
                method_id = spec.get("id", f"{prefix}.{name}.{method_name}")
                request = spec.get("request", {}).get("$ref")
                self.methods[method_id] = Method(
                    method_id,
                    spec["httpMethod"],
                    spec.get("flatPath") or spec["path"],
                    request,
                    spec.get("parameters", {}),
                )
            self._collect(resource.get("resources", {}), f"{prefix}.{name}")

    # ------------------------------------------------------------ bodies

    def validate_body(self, schema_name: str, body: Any) -> None:
        """Raise SchemaViolation unless `body` is a valid instance of schema `schema_name`."""
        if schema_name not in self.schemas:
            raise KeyError(schema_name)
        self._check({"$ref": schema_name}, body, "")

    def _check(self, spec: Mapping[str, Any], value: Any, path: str) -> None:
        if value is None:
            return  # JSON null means "default" for a proto3 field
        ref = spec.get("$ref")
        if ref is not None:
            spec = self.schemas[ref]
        kind = spec.get("type")
        if kind == "any" or (kind is None and ref is None):
            return
        if kind == "object":
            self._check_object(spec, value, path)
        elif kind == "array":
            if not isinstance(value, list):
                raise self._invalid(path, spec, value)
            for index, item in enumerate(value):
                self._check(spec.get("items", {}), item, f"{path}[{index}]")
        elif kind == "string":
            self._check_string(spec, value, path)
        elif kind == "integer":
            self._check_integer(spec, value, path)
        elif kind == "number":
            ok = isinstance(value, int | float) and not isinstance(value, bool)
            ok = ok or value in ("NaN", "Infinity", "-Infinity")
            if not ok:
                raise self._invalid(path, spec, value)
        elif kind == "boolean":
            if not isinstance(value, bool):
                raise self._invalid(path, spec, value)
        else:  # pragma: no cover - the document has no other types
            raise SchemaViolation(f"Unsupported schema type {kind!r}", path)

    def _check_object(self, spec: Mapping[str, Any], value: Any, path: str) -> None:
        if not isinstance(value, dict):
            raise SchemaViolation(
                f"Invalid JSON payload received. Expected an object at '{path or 'request'}', "
                f"got {json.dumps(value)[:60]}.",
                path,
            )
        properties: Mapping[str, Any] = spec.get("properties", {})
        extra = spec.get("additionalProperties")
        for key, item in value.items():
            if key in properties:
                self._check(properties[key], item, _join(path, snake(key)))
            elif extra is not None:
                self._check(extra, item, f"{path}[{key}]")
            else:
                where = f" at '{path}'" if path else ""
                raise SchemaViolation(
                    f'Invalid JSON payload received. Unknown name "{key}"{where}: Cannot find field.',
                    _join(path, key),
                )

    def _check_string(self, spec: Mapping[str, Any], value: Any, path: str) -> None:
        fmt = spec.get("format")
        if fmt in ("int64", "uint64"):
            if isinstance(value, bool) or not (
                isinstance(value, int) or (isinstance(value, str) and _INT64_TEXT.match(value))
            ):
                raise self._invalid(path, spec, value)
            return
        if not isinstance(value, str):
            raise self._invalid(path, spec, value)
        enum = spec.get("enum")
        if enum is not None and value not in enum:
            raise SchemaViolation(f"Invalid value at '{path}' ({self._type_name(spec)}), \"{value}\"", path)

    def _check_integer(self, spec: Mapping[str, Any], value: Any, path: str) -> None:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self._invalid(path, spec, value)
        if isinstance(value, float) and (not math.isfinite(value) or not value.is_integer()):
            raise self._invalid(path, spec, value)
        low, high = _UINT32 if spec.get("format") == "uint32" else _INT32
        if not low <= int(value) <= high:
            raise self._invalid(path, spec, value)

    def _type_name(self, spec: Mapping[str, Any]) -> str:
        if "enum" in spec:
            return "TYPE_ENUM"
        fmt = spec.get("format")
        kind = spec.get("type", "object")
        names = {
            ("integer", "int32"): "TYPE_INT32",
            ("integer", "uint32"): "TYPE_UINT32",
            ("string", "int64"): "TYPE_INT64",
            ("string", "uint64"): "TYPE_UINT64",
            ("number", "double"): "TYPE_DOUBLE",
            ("number", "float"): "TYPE_FLOAT",
        }
        return names.get((kind, fmt), f"TYPE_{kind.upper()}" if kind != "boolean" else "TYPE_BOOL")

    def _invalid(self, path: str, spec: Mapping[str, Any], value: Any) -> SchemaViolation:
        shown = json.dumps(value)[:60]
        return SchemaViolation(f"Invalid value at '{path}' ({self._type_name(spec)}), {shown}", path)

    # ------------------------------------------------------------ query parameters

    def validate_query(self, method_id: str, query: Mapping[str, list[str]]) -> None:
        """Raise SchemaViolation for an unknown query parameter, a repeated single one or a bad value."""
        method = self.methods[method_id]
        for name, values in query.items():
            spec = method.parameters.get(name) or self.common_parameters.get(name)
            if spec is None or spec.get("location", "query") != "query":
                raise SchemaViolation(
                    f'Invalid JSON payload received. Unknown name "{name}": Cannot bind query parameter. '
                    f"Field '{name}' could not be found in request message.",
                    name,
                )
            if len(values) > 1 and not spec.get("repeated"):
                raise SchemaViolation(f"Invalid value at '{snake(name)}': more than one value given", name)
            for raw in values:
                self._check_query_value(name, spec, raw)

    def _check_query_value(self, name: str, spec: Mapping[str, Any], raw: str) -> None:
        kind = spec.get("type", "string")
        bad = False
        if kind == "boolean":
            bad = raw not in ("true", "false", "True", "False", "1", "0")
        elif kind == "integer":
            bad = not re.fullmatch(r"-?\d+", raw)
        elif "enum" in spec:
            bad = raw not in spec["enum"]
        if bad:
            raise SchemaViolation(f"Invalid value at '{snake(name)}' ({self._type_name(spec)}), \"{raw}\"", name)

    # ------------------------------------------------------------ field masks

    @cached_property
    def mask_roots(self) -> dict[str, MaskRoot]:
        """Per batchUpdate request kind with a `fields` member: the message its mask is relative to."""
        return mask_roots(self)

    def validate_request_mask(self, kind: str, body: Mapping[str, Any], where: str = "fields") -> dict[str, Any]:
        """Check the `fields` of one batchUpdate request against its root; the parsed mask ({} if it has none).

        A request kind whose mask is required (every one, or only when `only_if` is
        set) and has none is refused, as Google refuses it.
        """
        root = self.mask_roots.get(kind)
        if root is None:
            return {}
        mask = body.get("fields")
        if root.only_if is not None and not present(body, root.only_if):
            return {}
        if not mask:
            raise SchemaViolation("At least one field must be updated, but 'fields' is empty.", where)
        self.validate_field_mask(root.schema, mask, where)
        return parse_field_mask(mask)

    def validate_field_mask(self, schema_name: str, mask: str, where: str = "fields") -> None:
        """Raise SchemaViolation unless every path of `mask` names a field of `schema_name` ("*" = all)."""
        try:
            tree = parse_field_mask(mask)
        except ValueError as exc:
            raise SchemaViolation(f"Invalid field mask '{mask}' at '{where}': {exc}", where) from exc
        self._check_mask(self.schemas[schema_name], tree, where, mask)

    def _check_mask(self, spec: Mapping[str, Any], tree: Mapping[str, Any], where: str, mask: str) -> None:
        while "$ref" in spec or spec.get("type") == "array":
            spec = self.schemas[spec["$ref"]] if "$ref" in spec else spec.get("items", {})
        for name, sub in tree.items():
            if name == "*":
                continue
            properties = spec.get("properties", {})
            match = next((p for p in properties if p == name or snake(p) == name), None)
            if match is None:
                raise SchemaViolation(
                    f"Invalid field mask '{mask}' at '{where}': field '{name}' not found in "
                    f"{spec.get('id', 'message')}.",
                    where,
                )
            if sub:
                self._check_mask(properties[match], sub, where, mask)


_ROOT_IMPLIED = re.compile(r"[Tt]he root [`'\"]?([A-Za-z_][\w.]*)[`'\"]? is implied")
_ROOT_IS = re.compile(r"[Tt]he root is the ([A-Za-z_]\w*)")
_FIELDS_OF = re.compile(r"[Tt]he fields of ([A-Z]\w*) that")
_ONLY_IF = re.compile(r"[Uu]sed only if ([A-Za-z_][\w.]*) is set")


@dataclass(frozen=True)
class MaskRoot:
    """What the `fields` mask of one batchUpdate request kind is relative to, as the document says.

    `schema` is the message the mask's paths start in (OverlayPosition for
    updateEmbeddedObjectPosition); `path` is where that message sits in the
    request body (("newPosition", "overlayPosition")), empty when the document
    names only the message (updateCells: "The root is the CellData");
    `only_if` is the body path whose presence makes the mask required.
    """

    kind: str
    schema: str
    path: tuple[str, ...]
    only_if: tuple[str, ...] | None


def mask_roots(doc: Discovery) -> dict[str, MaskRoot]:
    """The mask root of every batchUpdate request kind that has a `fields` member, read from its description."""
    roots = {}
    for kind, spec in doc.schemas["Request"]["properties"].items():
        request = doc.schemas[spec["$ref"]]
        fields = request.get("properties", {}).get("fields")
        if fields is not None:
            roots[kind] = _mask_root(doc, kind, request, str(fields.get("description", "")))
    return roots


def _mask_root(doc: Discovery, kind: str, request: Mapping[str, Any], text: str) -> MaskRoot:
    implied, named, fields_of = _ROOT_IMPLIED.search(text), _ROOT_IS.search(text), _FIELDS_OF.search(text)
    only_if = _ONLY_IF.search(text)
    path: tuple[str, ...] = ()
    if implied:
        path, schema = _walk(doc, request, implied.group(1).split("."))
    elif named and named.group(1) in doc.schemas:
        schema = named.group(1)
    else:
        raise ValueError(f"{kind}: the description of 'fields' names no root the fake can read: {text!r}")
    if fields_of and fields_of.group(1) in doc.schemas and fields_of.group(1) != schema:
        raise ValueError(f"{kind}: 'fields' says both {schema} and {fields_of.group(1)}")
    condition = tuple(only_if.group(1).split(".")) if only_if else None
    return MaskRoot(kind, schema, path, condition)


def _walk(doc: Discovery, message: Mapping[str, Any], names: list[str]) -> tuple[tuple[str, ...], str]:
    """Follow a dotted root through the request message: by field name, else by the field's message type."""
    path = []
    schema = str(message.get("id", ""))
    for name in names:
        properties = message.get("properties", {})
        match = name if name in properties else next((p for p, s in properties.items() if s.get("$ref") == name), None)
        if match is None or "$ref" not in properties[match]:
            raise ValueError(f"{schema}: the root '{'.'.join(names)}' names no message field")
        path.append(match)
        schema = properties[match]["$ref"]
        message = doc.schemas[schema]
    return tuple(path), schema


def present(body: Any, path: tuple[str, ...]) -> bool:
    """Whether the body sets the field at `path` (a message may be set but empty: {})."""
    for name in path:
        if not isinstance(body, Mapping) or body.get(name) is None:
            return False
        body = body[name]
    return True


def parse_field_mask(mask: str) -> dict[str, Any]:
    """Parse "a,b.c,d(e,f.g)" into a nested dict {a: {}, b: {c: {}}, d: {e: {}, f: {g: {}}}}."""
    pos = 0

    def parse_list(depth: int) -> dict[str, Any]:
        nonlocal pos
        out: dict[str, Any] = {}
        while True:
            start = pos
            while pos < len(mask) and mask[pos] not in ",()":
                pos += 1
            dotted = mask[start:pos].strip()
            if not dotted:
                raise ValueError("empty path")
            node = out
            parts = dotted.split(".")
            if any(not p or not re.fullmatch(r"[A-Za-z_*][A-Za-z0-9_]*|\*", p) for p in parts):
                raise ValueError(f"bad path '{dotted}'")
            for part in parts:
                node = node.setdefault(part, {})
            if pos < len(mask) and mask[pos] == "(":
                pos += 1
                node.update(parse_list(depth + 1))
                if pos >= len(mask) or mask[pos] != ")":
                    raise ValueError("unbalanced parentheses")
                pos += 1
            if pos >= len(mask):
                if depth:
                    raise ValueError("unbalanced parentheses")
                return out
            if mask[pos] == ")":
                if not depth:
                    raise ValueError("unbalanced parentheses")
                return out
            pos += 1  # the comma

    return parse_list(0)


def apply_field_mask(value: Any, tree: Mapping[str, Any]) -> Any:
    """Keep only the parts of a response that a `fields` mask asks for (lists are masked item by item)."""
    if not tree or "*" in tree:
        return value
    if isinstance(value, list):
        return [apply_field_mask(item, tree) for item in value]
    if not isinstance(value, dict):
        return value
    return {key: apply_field_mask(value[key], sub) for key, sub in tree.items() if key in value}


@cache
def load() -> Discovery:
    """The installed Sheets v4 discovery document, parsed once."""
    return Discovery(json.loads(discovery_path().read_text(encoding="utf-8")))
