"""Generate `ultracart_async/models/` (attrs classes) from the Customer API OpenAPI spec.

Run from the project root: `python -m tools.generate_models [--output DIR] [--spec FILE]`.
The output is deterministic and already formatted the way `ruff format` would format it,
so regenerating an unchanged spec gives no diff.
"""

from __future__ import annotations

import argparse
import json
import keyword
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tools.spec import PROJECT_ROOT, SPEC_PATH, load_spec

__all__ = ["FieldDef", "ModelDef", "collect_models", "main", "python_name", "render", "write"]

DEFAULT_OUTPUT = PROJECT_ROOT / "ultracart_async" / "models"
GENERATOR = "tools/generate_models.py"
REF_PREFIX = "#/components/schemas/"
MODELS_MODULE = "_models"

# Names a field may not take: they would shadow what the generated class body refers to.
RESERVED_NAMES = frozenset({"attrs", "Literal", "str", "int", "float", "bool", "list", "None"})

# Fields whose values are credentials: left out of the generated repr.
HIDDEN_IN_REPR = frozenset({"password", "token"})

LINE_LENGTH = 100  # ruff's line-length for this project

SCALARS = {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}


@dataclass(frozen=True)
class FieldDef:
    """One property of a schema, as it will be emitted."""

    name: str  # Python attribute name
    json_name: str  # key in the JSON document
    annotation: str  # without the trailing `| None`
    enum_alias: str | None  # Literal alias of the known values, when the spec lists them


@dataclass(frozen=True)
class ModelDef:
    """One schema of the spec, as it will be emitted."""

    name: str
    fields: tuple[FieldDef, ...]


@dataclass(frozen=True)
class EnumDef:
    """Known values of an enum-typed string property."""

    alias: str
    values: tuple[str, ...]
    where: str  # "Schema.property", for the comment


def python_name(json_name: str) -> str:
    """The snake_case attribute name for a JSON property name (keywords get a trailing `_`)."""
    name = re.sub(r"[^0-9A-Za-z_]", "_", json_name)
    name = re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name)
    name = re.sub(r"(?<=[A-Z])([A-Z][a-z])", r"_\1", name)
    name = name.lower()
    if not name or name[0].isdigit():
        name = f"f_{name}"
    if keyword.iskeyword(name) or name in RESERVED_NAMES:
        name = f"{name}_"
    return name


def _camel(snake: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in snake.split("_") if part)


def _ref_name(ref: str) -> str:
    if not ref.startswith(REF_PREFIX):
        raise ValueError(f"unsupported $ref {ref!r}")
    return ref[len(REF_PREFIX) :]


def _annotation(prop: Mapping[str, Any], where: str, schemas: Mapping[str, Any]) -> str:
    if "$ref" in prop:
        target = _ref_name(prop["$ref"])
        if target not in schemas:
            raise ValueError(f"{where}: $ref to unknown schema {target!r}")
        return target
    kind = prop.get("type")
    if kind == "array":
        return f"list[{_annotation(prop['items'], where + '[]', schemas)}]"
    if kind in SCALARS:
        return SCALARS[kind]
    raise ValueError(f"{where}: unsupported property {dict(prop)!r}")


def collect_models(spec: Mapping[str, Any]) -> tuple[list[ModelDef], list[EnumDef]]:
    """Every schema of the spec (sorted by name) and the enum aliases they use."""
    schemas: Mapping[str, Any] = spec["components"]["schemas"]
    models: list[ModelDef] = []
    enums: list[EnumDef] = []
    taken = set(schemas)
    for schema_name in sorted(schemas):
        schema = schemas[schema_name]
        if schema.get("type", "object") != "object":
            raise ValueError(f"{schema_name}: only object schemas are supported")
        fields: list[FieldDef] = []
        seen: set[str] = set()
        for json_name in sorted(schema.get("properties", {})):
            prop = schema["properties"][json_name]
            where = f"{schema_name}.{json_name}"
            name = python_name(json_name)
            while name in seen:
                name = f"{name}_"
            seen.add(name)
            enum_alias = None
            if "enum" in prop:
                if prop.get("type") != "string":
                    raise ValueError(f"{where}: only string enums are supported")
                enum_alias = f"{schema_name}{_camel(name)}"
                if enum_alias in taken:
                    raise ValueError(f"{where}: enum alias {enum_alias} collides")
                taken.add(enum_alias)
                enums.append(EnumDef(enum_alias, tuple(str(v) for v in prop["enum"]), where))
            fields.append(FieldDef(name, json_name, _annotation(prop, where, schemas), enum_alias))
        models.append(ModelDef(schema_name, tuple(fields)))
    return models, enums


def _header(spec: Mapping[str, Any]) -> str:
    info = spec.get("info", {})
    version = info.get("version", "unknown")
    derived = info.get("x-derived-from")
    source = f"spec version {version}" + (f", derived from {derived}" if derived else "")
    return (
        f"# Generated by {GENERATOR} from customer-openapi.json\n"
        f"# ({source}).\n"
        "# Do not edit by hand: change the generator and run `python -m tools.generate_models`.\n"
    )


def _str_literal(value: str) -> str:
    # json.dumps gives a valid, double-quoted Python literal for any str, as ruff prefers.
    return json.dumps(value, ensure_ascii=False)


def _field_line(f: FieldDef) -> str:
    """One attribute, laid out exactly as `ruff format` lays it out."""
    annotation = f.annotation
    if f.enum_alias is not None:
        annotation = f"{f.enum_alias} | str"
    head = f"    {f.name}: {annotation} | None = "
    if f.name == f.json_name and f.name not in HIDDEN_IN_REPR:
        value = "None"
        if len(head) + len(value) <= LINE_LENGTH:
            return f"{head}{value}\n"
        return f"{head}(\n        {value}\n    )\n"
    args = "default=None"
    if f.name in HIDDEN_IN_REPR:
        args += ", repr=False"
    if f.name != f.json_name:
        args += f", metadata={{JSON_NAME: {_str_literal(f.json_name)}}}"
    if len(head) + len(args) + len("attrs.field()") <= LINE_LENGTH:
        return f"{head}attrs.field({args})\n"
    return f"{head}attrs.field(\n        {args}\n    )\n"


def _enum_alias(e: EnumDef) -> str:
    values = [_str_literal(v) for v in e.values]
    one_line = f"{e.alias} = Literal[{', '.join(values)}]"
    if len(values) == 1 and len(one_line) <= LINE_LENGTH:
        return f"{one_line}\n"
    # Several values: one per line with a trailing comma, which ruff keeps as is.
    return "".join([f"{e.alias} = Literal[\n", *(f"    {v},\n" for v in values), "]\n"])


def _import_order(name: str) -> tuple[int, str]:
    """The order ruff's isort sorts imported names in: CONSTANTS, then Classes, by lowercase."""
    return (0 if name.isupper() else 1, name.lower())


def render_models(spec: Mapping[str, Any]) -> str:
    """The source of `models/_models.py`."""
    models, enums = collect_models(spec)
    out = [
        _header(spec),
        '"""Attrs classes for every schema of the Customer API (generated)."""\n\n',
        "from __future__ import annotations\n\n",
        "from typing import Final, Literal\n\n",
        "import attrs\n\n",
        "from ultracart_async._model_repr import compact_repr\n\n",
        "__all__ = [\n",
        '    "JSON_NAME",\n',
        *(f'    "{e.alias}",\n' for e in enums),
        *(f'    "{m.name}",\n' for m in models),
        "]\n\n",
        "# Field metadata key: the JSON property name, where it differs from the attribute name.\n",
        'JSON_NAME: Final = "json"\n',
    ]
    for e in enums:
        out.append(f"\n# Known values of {e.where}; other values are kept as str.\n")
        out.append(_enum_alias(e))
    for m in models:
        out.append("\n\n@attrs.define(kw_only=True)\n")
        out.append(f"class {m.name}:\n")
        out.append(f'    """Spec schema `{m.name}` (all fields optional)."""\n\n')
        out.append("    __repr__ = compact_repr  # set fields only\n")
        if m.fields:
            out.append("\n")
        out.extend(_field_line(f) for f in m.fields)
    return "".join(out)


def render_init(spec: Mapping[str, Any]) -> str:
    """The source of `models/__init__.py`: every schema and enum alias under its name."""
    models, enums = collect_models(spec)
    names = sorted(
        ["JSON_NAME", *(e.alias for e in enums), *(m.name for m in models)], key=_import_order
    )
    return "".join(
        [
            _header(spec),
            '"""Every schema of the Customer API as an attrs class, under its spec name."""\n\n',
            "from __future__ import annotations\n\n",
            f"from .{MODELS_MODULE} import (\n",
            *(f"    {n},\n" for n in names),
            ")\n\n",
            "__all__ = [\n",
            *(f'    "{n}",\n' for n in names),
            "]\n\n",
            "# Defined in a private module; reprs and docs name the module users import.\n",
            "for _name in __all__:\n",
            "    _public = globals()[_name]\n",
            "    if isinstance(_public, type):\n",
            "        _public.__module__ = __name__\n",
        ]
    )


def render(spec: Mapping[str, Any]) -> dict[str, str]:
    """File name -> content of every generated file."""
    return {"__init__.py": render_init(spec), f"{MODELS_MODULE}.py": render_models(spec)}


def write(spec: Mapping[str, Any], output: Path) -> list[Path]:
    """Write the generated files into `output` (created if missing); returns the paths written."""
    output.mkdir(parents=True, exist_ok=True)
    written = []
    for name, content in sorted(render(spec).items()):
        path = output / name
        path.write_text(content, encoding="utf-8", newline="\n")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--spec", type=Path, default=None, help=f"default: {SPEC_PATH}")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="output directory")
    args = parser.parse_args(argv)
    spec = load_spec() if args.spec is None else json.loads(args.spec.read_text(encoding="utf-8"))
    for path in write(spec, args.output):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
