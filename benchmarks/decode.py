"""Decode benchmark: customers pages, seven decoders, GC on, decoded pages kept alive.

Run from the project root: `python benchmarks/decode.py` (or `nox -s bench`); `--quick` for a
short run without the official SDK.

The same JSON bytes are decoded by
- ultracart_async: `converter.loads(data, CustomersResponse)`;
- pydantic v2: models generated from the same spec at startup, `model_validate_json`;
- msgspec: Structs generated from the same spec at startup, `msgspec.json.Decoder.decode`;
- msgspec, our models: msgspec's decoder building this library's own attrs classes (a
  reference: what these models cost to build when no Python code runs per field);
- our models, empty: no decoding at all, only as many instances of our models as the page
  holds, every field None (with `orjson.loads only`, the floor of any decoder that parses with
  orjson and builds these classes);
- the official SDK (`ultracart-rest-sdk`): `json.loads` + `validate_and_convert_types`,
  exactly as its `ApiClient.deserialize` does;
- `orjson.loads` alone (parsing only, no models), as the floor.

Two pages of 200 customers: "pager" is what FakeUltraCart answers to `get_customers` with
`_expand=billing,shipping` (the page the pager and the CLI fetch), "dense" sets every field of
every customer (every `_expand` part, nested lists of two entries; `orders` and `quotes` are
left out because no customer endpoint returns them).

Measured as an application decodes: the cyclic garbage collector on and never forced, and the
last 8 decoded pages kept alive (as the pager holds them), so each decoder pays for the
collections its own allocations trigger. A run decodes a batch of pages back to back; its time
per page is the batch's mean, and the best run of `--repeat` is kept (runs interleave the
decoders, so load spikes hit all of them). A second table repeats it with the collector off
during each run (as `timeit` does), for reference.
"""

from __future__ import annotations

import argparse
import collections
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

import attrs
import orjson

from tools.generate_models import ModelDef, collect_models
from tools.spec import load_spec
from ultracart_async import Customer, CustomersResponse, converter

PAGE_SIZE = 200
LIST_LENGTH = 2  # entries in every nested list of the dense page
NOT_RETURNED = frozenset({"orders", "quotes"})  # Customer fields no customer endpoint returns
ALIVE = 8  # decoded pages kept alive, as the pager holds them
BATCH_SECONDS = 0.05  # a run decodes about this long (at least one page)

Decoder = Callable[[bytes], Any]
INTO_OURS = "msgspec, our models"
EMPTY = "our models, empty"


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


def pager_page() -> bytes:
    """The second page FakeUltraCart answers to `get_customers(_expand=billing,shipping)`."""
    import anyio
    import httpx

    from ultracart_async._constants import API_VERSION, HEADER_API_VERSION, HEADER_SIMPLE_KEY
    from ultracart_async.testing import FakeUltraCart

    fake = FakeUltraCart(customers=1000, seed=1)
    headers = {HEADER_SIMPLE_KEY: fake.simple_key, HEADER_API_VERSION: API_VERSION}
    params: dict[str, str | int] = {"_limit": PAGE_SIZE, "_offset": PAGE_SIZE}
    params["_expand"] = "billing,shipping"

    async def fetch() -> bytes:
        transport = fake.transport()
        async with httpx.AsyncClient(transport=transport, base_url=fake.base_url) as client:
            response = await client.get("/customer/customers", params=params, headers=headers)
            response.raise_for_status()
            return response.content

    return anyio.run(fetch)


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


def decoders(spec: Mapping[str, Any], *, sdk: bool = True) -> dict[str, Decoder]:
    """Name -> function decoding a customers page (the official SDK's only if `sdk`)."""
    models, _ = collect_models(spec)
    found: dict[str, Decoder] = {"orjson.loads only": orjson.loads}

    def ours(data: bytes) -> Any:
        return converter.loads(data, CustomersResponse)

    found["ultracart_async"] = ours
    found[EMPTY] = EmptyModels()

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
    # msgspec's C decoder building our own attrs classes (it reads attrs fields natively, but
    # not their JSON renames, which a customers page never reaches): what building these
    # models costs when nothing is done in Python.
    found[INTO_OURS] = msgspec.json.Decoder(CustomersResponse).decode
    if sdk:
        found["official SDK"] = official_sdk_decoder()
    return found


class EmptyModels:
    """Builds as many model instances as decoding the page builds, every field None, and
    parses nothing: the cost of the instances alone (allocating them, setting their fields,
    the collections they trigger), which any decoder into these classes pays."""

    def __init__(self) -> None:
        self._classes: dict[bytes, list[type]] = {}

    def __call__(self, data: bytes) -> list[Any]:
        classes = self._classes.get(data)
        if classes is None:
            classes = self._classes[data] = []
            _collect_classes(converter.loads(data, CustomersResponse), classes)
        return [cls() for cls in classes]


def _collect_classes(obj: Any, into: list[type]) -> None:
    """The classes of `obj` and of every model inside it, depth first."""
    if isinstance(obj, list):
        for item in obj:
            _collect_classes(item, into)
    elif attrs.has(type(obj)):
        into.append(type(obj))
        for field in attrs.fields(type(obj)):
            _collect_classes(getattr(obj, field.name), into)


def official_sdk_decoder() -> Decoder:
    """What ultracart.ApiClient.deserialize does with a response body."""
    from ultracart import Configuration
    from ultracart.model.customers_response import CustomersResponse as SdkCustomersResponse
    from ultracart.model_utils import validate_and_convert_types

    configuration = Configuration()

    def official_sdk(data: bytes) -> Any:
        received = json.loads(data)
        return validate_and_convert_types(
            received, (SdkCustomersResponse,), ["received_data"], True, True, configuration
        )

    return official_sdk


# --- measuring ------------------------------------------------------------------------------


def run_batch(fn: Decoder, data: bytes, alive: collections.deque[Any], count: int) -> float:
    """Seconds per page for `count` decodes in a row, each result pushed into `alive`."""
    start = time.perf_counter()
    for _ in range(count):
        alive.append(fn(data))
    return (time.perf_counter() - start) / count


def best_times(
    found: dict[str, Decoder], data: bytes, repeat: int, sdk_repeat: int, *, gc_on: bool
) -> dict[str, float]:
    """Best time per page of each decoder; rounds interleave the decoders."""
    best = dict.fromkeys(found, float("inf"))
    batch: dict[str, int] = {}
    for name, fn in found.items():  # batch sizes from one untimed decode
        start = time.perf_counter()
        fn(data)
        batch[name] = max(1, round(BATCH_SECONDS / (time.perf_counter() - start)))
    for round_number in range(repeat):
        for name, fn in found.items():
            if name == "official SDK" and round_number >= sdk_repeat:
                continue
            alive: collections.deque[Any] = collections.deque(maxlen=ALIVE)
            for _ in range(ALIVE):  # the steady state: ALIVE pages already held
                alive.append(fn(data))
            if not gc_on:
                gc.disable()
            try:
                best[name] = min(best[name], run_batch(fn, data, alive, batch[name]))
            finally:
                gc.enable()
            del alive
    return best


MODES = {
    f"GC on, the last {ALIVE} pages alive (as in an application)": True,
    f"GC off during each run (timeit style), the last {ALIVE} pages alive": False,
}


def customer_count(name: str, decoded: Any) -> int:
    """How many customers a decoder produced (a sanity check that it decoded everything)."""
    if name == "orjson.loads only":
        return len(decoded["customers"])
    if name == EMPTY:
        return sum(type(obj) is Customer for obj in decoded)
    return len(decoded.customers)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--repeat", type=int, default=15, help="runs per decoder (best is kept)")
    parser.add_argument("--sdk-repeat", type=int, default=2, help="runs for the slow SDK")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--quick", action="store_true", help="5 runs, no official SDK, GC-on table only"
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.repeat, args.sdk_repeat = 5, 0

    spec = load_spec()
    builder = PageBuilder(spec, args.seed)
    pages = {"pager": pager_page(), "dense": builder.dense()}
    found = decoders(spec, sdk=args.sdk_repeat > 0)

    for page, data in pages.items():
        for name, fn in found.items():
            count = customer_count(name, fn(data))  # also warms up caches
            if count != PAGE_SIZE:
                raise SystemExit(f"{name} decoded {count} customers of {PAGE_SIZE}")
        if found[INTO_OURS](data) != converter.loads(data, CustomersResponse):
            raise SystemExit(f"{page} page: {INTO_OURS} and ultracart_async disagree")

    sdk = f" ({args.sdk_repeat} for the official SDK)" if "official SDK" in found else ""
    print(
        f"Python {sys.version.split()[0]}; time per page, best of {args.repeat} runs{sdk}; "
        "x = time / ultracart_async's time"
    )
    modes = list(MODES.items())[:1] if args.quick else MODES.items()
    for mode, gc_on in modes:
        results: dict[str, dict[str, float]] = {name: {} for name in found}
        for page, data in pages.items():
            best = best_times(found, data, args.repeat, args.sdk_repeat, gc_on=gc_on)
            for name, seconds in best.items():
                results[name][page] = seconds
        print_table(mode, pages, results)
    return 0


def print_table(mode: str, pages: dict[str, bytes], results: dict[str, dict[str, float]]) -> None:
    """One table of times and ratios, then each page's ratio to msgspec and to the SDK."""
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
        vs_msgspec = ours / results["msgspec"][page]
        line = f"  {page}: ours/msgspec {vs_msgspec:.2f}x"
        line += f", ours/pydantic {ours / results['pydantic v2'][page]:.2f}x"
        if "official SDK" in results:
            line += f", official SDK/ours {results['official SDK'][page] / ours:.1f}x"
        line += f", ours/orjson.loads only {ours / results['orjson.loads only'][page]:.2f}x"
        print(line)
        msgspec = results["msgspec"][page]
        into_ours = results[INTO_OURS][page] / msgspec
        floor = (results["orjson.loads only"][page] + results[EMPTY][page]) / msgspec
        print(
            f"  {page}, relative to msgspec: '{INTO_OURS}' {into_ours:.2f}x; "
            f"'orjson.loads only' + '{EMPTY}' {floor:.2f}x (the floor for orjson and these classes)"
        )


if __name__ == "__main__":
    sys.exit(main())
