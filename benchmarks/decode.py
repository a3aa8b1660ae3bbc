"""Decode benchmark: one customers page, five decoders, best of N, one table.

Run from the project root: `python benchmarks/decode.py` (or `nox -s bench`).

The same JSON bytes are decoded by
- ultracart_async: `converter.loads(data, CustomersResponse)`;
- pydantic v2: models generated from the same spec at startup, `model_validate_json`;
- msgspec: Structs generated from the same spec at startup, `msgspec.json.Decoder.decode`;
- the official SDK (`ultracart-rest-sdk`): `json.loads` + `validate_and_convert_types`,
  exactly as its `ApiClient.deserialize` does;
- `orjson.loads` alone (parsing only, no models), as the floor.

Two pages of 200 customers: "dense" sets every field of every customer (every `_expand`
part, nested lists of two entries; `orders` and `quotes` are left out because no customer
endpoint returns them), "typical" has a few top-level fields plus billing, shipping and tags.
Timings are the best of N runs, each after a full collection, reported twice: with the cyclic
garbage collector off during each run (as `timeit` does) and on (as in an application).
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import re
import string
import sys
import time
import types
import warnings
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import orjson

from tools.generate_models import ModelDef, collect_models
from tools.spec import load_spec
from ultracart_async import CustomersResponse, converter

PAGE_SIZE = 200
LIST_LENGTH = 2  # entries in every nested list of the dense page
NOT_RETURNED = frozenset({"orders", "quotes"})  # Customer fields no customer endpoint returns
TYPICAL_FIELDS = (
    "customer_profile_oid",
    "email",
    "merchant_id",
    "signup_dts",
    "last_modified_dts",
    "last_modified_by",
    "tax_exempt",
    "no_coupons",
)
TYPICAL_LISTS = {"billing": 1, "shipping": 1, "tags": 2}

Decoder = Callable[[bytes], Any]


# --- the pages -----------------------------------------------------------------------------


class PageBuilder:
    """Fills schemas from the spec with deterministic, plausible values."""

    def __init__(self, spec: Mapping[str, Any], seed: int) -> None:
        self.schemas: Mapping[str, Any] = spec["components"]["schemas"]
        self.rng = random.Random(seed)

    def value(self, prop: Mapping[str, Any], name: str, stack: tuple[str, ...]) -> Any:
        """A value for one property (models filled completely, lists of LIST_LENGTH)."""
        if "$ref" in prop:
            return self.model(prop["$ref"].rsplit("/", 1)[-1], stack)
        kind = prop["type"]
        if kind == "array":
            items = [self.value(prop["items"], name, stack) for _ in range(LIST_LENGTH)]
            return [item for item in items if item is not None]
        if "enum" in prop:
            return self.rng.choice(prop["enum"])
        if kind == "integer":
            return self.rng.randrange(1, 2_000_000_000)
        if kind == "number":
            return round(self.rng.uniform(0, 5000), 2)
        if kind == "boolean":
            return self.rng.random() < 0.5
        return self.text(name, prop.get("maxLength"))

    def text(self, name: str, max_length: int | None) -> str:
        """A string that looks like what the field holds."""
        rng = self.rng
        if name.endswith(("_dts", "_date")):
            month, day, minute = rng.randint(1, 12), rng.randint(1, 28), rng.randint(10, 59)
            return f"2024-{month:02d}-{day:02d}T10:{minute}:00-05:00"
        if "email" in name:
            return f"{''.join(rng.choices(string.ascii_lowercase, k=8))}@example.com"
        limit = min(max_length or 24, 24)
        return "".join(rng.choices(string.ascii_letters + " ", k=rng.randint(1, limit)))

    def model(self, schema: str, stack: tuple[str, ...]) -> dict[str, Any] | None:
        """Every field of `schema` set (None where it would recurse into itself)."""
        if schema in stack:
            return None
        props = self.schemas[schema]["properties"]
        out = {}
        for name, prop in props.items():
            if schema == "Customer" and name in NOT_RETURNED:
                continue
            value = self.value(prop, name, (*stack, schema))
            if value is not None:
                out[name] = value
        return out

    def page(self, customers: list[dict[str, Any]]) -> bytes:
        """A customers response around `customers`, as UltraCart sends it."""
        result_set = {"count": len(customers), "limit": len(customers), "more": True}
        result_set |= {"next_offset": len(customers), "offset": 0, "total_records": 10_000}
        body = {"customers": customers, "metadata": {"result_set": result_set}, "success": True}
        return orjson.dumps(body)

    def dense(self) -> bytes:
        """200 customers with every field set."""
        return self.page([self.model("Customer", ()) or {} for _ in range(PAGE_SIZE)])

    def typical(self) -> bytes:
        """200 customers with a few fields plus billing, shipping and tags."""
        customer_props = self.schemas["Customer"]["properties"]
        customers = []
        for _ in range(PAGE_SIZE):
            customer = {name: self.value(customer_props[name], name, ()) for name in TYPICAL_FIELDS}
            for name, count in TYPICAL_LISTS.items():
                item_schema = customer_props[name]["items"]["$ref"].rsplit("/", 1)[-1]
                customer[name] = [self.model(item_schema, ("Customer",)) for _ in range(count)]
            customers.append(customer)
        return self.page(customers)


# --- the competitors, generated from the spec at runtime ------------------------------------


def _module(name: str, source: str) -> types.ModuleType:
    """Execute generated source as a real module (so forward references resolve)."""
    module = types.ModuleType(name)
    sys.modules[name] = module
    exec(compile(source, f"<{name}>", "exec"), module.__dict__)
    return module


PREFIX = "M_"  # generated class names get it, so that `Warning` and `Error` are not builtins


def _annotation(annotation: str, models: list[ModelDef]) -> str:
    names = {m.name for m in models}
    for name in sorted(names, key=len, reverse=True):
        annotation = re.sub(rf"\b{name}\b", PREFIX + name, annotation)
    return f"Optional[{annotation}]"


def pydantic_source(models: list[ModelDef]) -> str:
    """pydantic v2 models mirroring ours: all fields optional, JSON aliases, extras ignored."""
    lines = [
        "from __future__ import annotations",
        "from typing import Optional",
        "from pydantic import BaseModel, ConfigDict, Field",
    ]
    for m in models:
        lines.append(f"class {PREFIX}{m.name}(BaseModel):")
        lines.append('    model_config = ConfigDict(extra="ignore", populate_by_name=True)')
        for f in m.fields:
            alias = "" if f.name == f.json_name else f", alias={f.json_name!r}"
            lines.append(
                f"    {f.name}: {_annotation(f.annotation, models)} = Field(default=None{alias})"
            )
        if not m.fields:
            lines.append("    pass")
    return "\n".join(lines) + "\n"


def msgspec_source(models: list[ModelDef]) -> str:
    """msgspec Structs mirroring ours: all fields optional, renames, unknown fields ignored."""
    lines = [
        "from __future__ import annotations",
        "from typing import Optional",
        "import msgspec",
    ]
    for m in models:
        rename = {f.name: f.json_name for f in m.fields if f.name != f.json_name}
        lines.append(
            f"class {PREFIX}{m.name}(msgspec.Struct, kw_only=True, omit_defaults=True, "
            f"rename={rename!r}):"
        )
        lines.extend(f"    {f.name}: {_annotation(f.annotation, models)} = None" for f in m.fields)
        if not m.fields:
            lines.append("    pass")
    return "\n".join(lines) + "\n"


def decoders(spec: Mapping[str, Any]) -> dict[str, Decoder]:
    """Name -> function decoding a customers page."""
    models, _ = collect_models(spec)
    found: dict[str, Decoder] = {"orjson.loads only": orjson.loads}

    def ours(data: bytes) -> Any:
        return converter.loads(data, CustomersResponse)

    found["ultracart_async"] = ours

    import pydantic  # noqa: F401 - fail early and clearly when it is missing

    with warnings.catch_warnings():
        # A field named `register` shadows a BaseModel attribute; pydantic only warns.
        warnings.simplefilter("ignore", UserWarning)
        pyd = _module("_bench_pydantic_models", pydantic_source(models))
        pyd.M_CustomersResponse.model_rebuild()
    found["pydantic v2"] = pyd.M_CustomersResponse.model_validate_json

    import msgspec

    mss = _module("_bench_msgspec_models", msgspec_source(models))
    found["msgspec"] = msgspec.json.Decoder(mss.M_CustomersResponse).decode

    from ultracart import Configuration
    from ultracart.model.customers_response import CustomersResponse as SdkCustomersResponse
    from ultracart.model_utils import validate_and_convert_types

    configuration = Configuration()

    def official_sdk(data: bytes) -> Any:
        # What ultracart.ApiClient.deserialize does with a response body.
        received = json.loads(data)
        return validate_and_convert_types(
            received, (SdkCustomersResponse,), ["received_data"], True, True, configuration
        )

    found["official SDK"] = official_sdk
    return found


# --- measuring ------------------------------------------------------------------------------


def run_once(fn: Decoder, data: bytes, *, gc_on: bool) -> float:
    """One timed decode, in seconds, started after a full collection."""
    gc.collect()
    if not gc_on:
        gc.disable()
    try:
        start = time.perf_counter()
        fn(data)
        return time.perf_counter() - start
    finally:
        gc.enable()


def best_times(
    found: dict[str, Decoder], data: bytes, repeat: int, sdk_repeat: int, *, gc_on: bool
) -> dict[str, float]:
    """Best time of each decoder; rounds interleave the decoders, so load spikes hit all."""
    best = dict.fromkeys(found, float("inf"))
    for round_number in range(repeat):
        for name, fn in found.items():
            if name == "official SDK" and round_number >= sdk_repeat:
                continue
            best[name] = min(best[name], run_once(fn, data, gc_on=gc_on))
    return best


MODES = {
    "GC off during each run (timeit style)": False,
    "GC on (as in an application)": True,
}


def customer_count(name: str, decoded: Any) -> int:
    """How many customers a decoder produced (a sanity check that it decoded everything)."""
    if name == "orjson.loads only":
        return len(decoded["customers"])
    return len(decoded.customers)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--repeat", type=int, default=30, help="rounds (best is kept)")
    parser.add_argument("--sdk-repeat", type=int, default=3, help="runs for the slow SDK")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)

    spec = load_spec()
    builder = PageBuilder(spec, args.seed)
    pages = {"dense": builder.dense(), "typical": builder.typical()}
    found = decoders(spec)

    for data in pages.values():
        for name, fn in found.items():
            count = customer_count(name, fn(data))  # also warms up caches
            if count != PAGE_SIZE:
                raise SystemExit(f"{name} decoded {count} customers of {PAGE_SIZE}")

    print(
        f"Python {sys.version.split()[0]}; best of {args.repeat} runs "
        f"({args.sdk_repeat} for the official SDK); x = time / ultracart_async's time"
    )
    for mode, gc_on in MODES.items():
        results: dict[str, dict[str, float]] = {name: {} for name in found}
        for page, data in pages.items():
            best = best_times(found, data, args.repeat, args.sdk_repeat, gc_on=gc_on)
            for name, seconds in best.items():
                results[name][page] = seconds
        print_table(mode, pages, results)
    return 0


def print_table(mode: str, pages: dict[str, bytes], results: dict[str, dict[str, float]]) -> None:
    """One table of times and ratios, then the targets."""
    print(f"\n{mode}")
    header = f"{'decoder':<20}"
    for page, data in pages.items():
        header += f"  {page + f' page ({len(data) / 1e6:.2f} MB)':>26}"
    print(header)
    for name, times in results.items():
        row = f"{name:<20}"
        for page in pages:
            ratio = times[page] / results["ultracart_async"][page]
            row += f"  {times[page] * 1e3:>12.2f} ms {ratio:>8.2f}x"
        print(row)
    for page in pages:
        ours = results["ultracart_async"][page]
        vs_pydantic = ours / results["pydantic v2"][page]
        vs_msgspec = ours / results["msgspec"][page]
        sdk_speedup = results["official SDK"][page] / ours
        print(
            f"  {page}: ours/pydantic {vs_pydantic:.2f}x (target <= 1.0), "
            f"ours/msgspec {vs_msgspec:.2f}x (aim <= 3), "
            f"official SDK/ours {sdk_speedup:.1f}x (target >= 10)"
        )


if __name__ == "__main__":
    sys.exit(main())
