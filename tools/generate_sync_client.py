"""Generate `ultracart_async/sync/_client.py` (`SyncCustomerClient`) from `CustomerClient`.

Run from the project root: `python -m tools.generate_sync_client [--output FILE] [--check]`.

It reads the async class's source (its AST, so annotations and defaults are copied exactly as
written) and writes one blocking member per public member of the async class:

- `async def name(...) -> T` becomes `def name(...) -> T`, which runs the coroutine on the
  client's event loop and waits for it (`SyncFacade._run`);
- `def name(...) -> X` (pagers, `with_options`) is called on the loop's thread
  (`SyncFacade._run_sync`); `@property` reads through;
- `@typing.overload` stubs are copied as blocking stubs and the implementation forwards its
  parameters as declared (`*args`/`**kwargs` included); generic methods keep their type
  variables, imported from the async module;
- a return type that is exactly a name in the twin table (`CustomerIterator`, the mirrored
  classes, `Self`) is wrapped in its blocking twin. A mirrored class without `__init__` (a
  view such as `with_raw_response`'s) gets its own generated twin class; with `Derived`, its
  operations may be class attributes wrapping the client's methods
  (`get_customer = _RawOperation(CustomerClient.get_customer)`).

Lifecycle (`__init__`, `aclose`, `__aenter__`, `__aexit__`, `__repr__`) comes from
`SyncClientBase`; the generated `__init__` takes the async constructor's parameters.

It refuses, naming the member, what it cannot mirror faithfully: async generators, static and
class methods, setters and other decorators, other dunders, twin types anywhere but as the
whole return type (a parameter, `list[CustomerIterator]`), a return type that is an async
view of the client's own module without a Mirror (it would hand awaitables to blocking code),
and public attributes it cannot find in the source. Names used by signatures are imported from
where the async module imports them (relative imports made absolute; never the package face,
which re-exports the sync client: that would be an import circle).

The output is formatted with ruff (import sorting, then `ruff format`) using the project's
configuration, as the lint check formats it; a test regenerates it and asserts no diff.
"""

from __future__ import annotations

import argparse
import ast
import builtins
import contextlib
import copy
import importlib.util
import inspect
import subprocess
import sys
import textwrap
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Generic, Literal

from tools.spec import PROJECT_ROOT

__all__ = ["Derived", "Mirror", "Target", "UnsupportedError", "client_target", "main", "render"]

PACKAGE = "ultracart_async"
FACADE_MODULE = "ultracart_async.sync._facade"
# Provided by SyncClientBase for a root class (close/with/repr), never generated.
LIFECYCLE = frozenset({"aclose", "__aenter__", "__aexit__", "__repr__"})
# Async idioms in docstrings, and their blocking spelling.
DOC_REWRITES = (
    ("async for", "for"),
    ("async with", "with"),
    ("async iterator", "iterator"),
    ("async context manager", "context manager"),
    ("await ", ""),
    ("aclose()", "close()"),
    ("`CustomerIterator`", "`SyncCustomerIterator`"),
    ("`CustomerPageIterator`", "`SyncCustomerPageIterator`"),
)

Function = ast.FunctionDef | ast.AsyncFunctionDef


class UnsupportedError(Exception):
    """The async class has a member the generator cannot mirror faithfully."""


@dataclass(frozen=True)
class Derived:
    """A view whose operations are another class's methods, each answer wrapped.

    `WithRawResponse` declares `get_customer = _RawOperation(CustomerClient.get_customer)`;
    with `Derived(CustomerClient, "RawResponse")` each such class attribute becomes a blocking
    method with `CustomerClient.get_customer`'s parameters (overloads included), answering
    `RawResponse[<its answer>]`.
    """

    source: type
    wrapper: str


@dataclass(frozen=True)
class Mirror:
    """One async class and the blocking twin to generate for it."""

    source: type
    name: str
    doc: str
    root: bool = False  # owns the event loop: constructor and lifecycle (SyncClientBase)
    derived: Derived | None = None


@dataclass(frozen=True)
class Target:
    """What to generate, and where."""

    mirrors: tuple[Mirror, ...]
    output: Path
    docstring: str
    # Hand-written blocking twins: async class name -> (twin name, module of the twin).
    twins: Mapping[str, tuple[str, str]] = field(default_factory=dict)

    def twin_names(self, mirror: Mirror) -> dict[str, str]:
        names = {name: twin for name, (twin, _) in self.twins.items()}
        names.update({m.source.__name__: m.name for m in self.mirrors})
        names["Self"] = mirror.name
        return names


@dataclass
class _Member:
    name: str
    owner: type  # the class whose source defines it (its module binds the signature's names)
    defs: list[Function] = field(default_factory=list)
    wrapper: str | None = None  # a Derived operation: its answer is wrapped in this


@dataclass
class _Output:
    """What the classes emitted so far need imported."""

    names: dict[str, type] = field(default_factory=dict)  # name -> class whose module binds it
    local: set[str] = field(default_factory=set)  # names the output defines or imports itself
    imports: set[str] = field(default_factory=set)  # import lines (runtime)


def _source_tree(cls: type) -> ast.ClassDef:
    module = sys.modules[cls.__module__]
    for node in ast.parse(inspect.getsource(module)).body:
        if isinstance(node, ast.ClassDef) and node.name == cls.__qualname__:
            return node
    raise UnsupportedError(f"{cls.__qualname__}: class not found at the top of {cls.__module__}")


def _members(cls: type, derived: Derived | None = None) -> list[_Member]:
    """Every function defined in the class and its bases, the most derived definition first,
    and with `derived`, every class attribute made from one of `derived.source`'s methods."""
    found: dict[str, _Member] = {}
    for klass in cls.__mro__:
        if klass in (object, Generic):
            continue
        for node in _source_tree(klass).body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                member = found.setdefault(node.name, _Member(node.name, klass))
                if member.owner is klass:
                    member.defs.append(node)
            elif derived is not None and klass is cls:
                operation = _derived_operation(node, derived)
                if operation is not None:
                    found.setdefault(operation.name, operation)
    missing = sorted(name for name in dir(cls) if not name.startswith("_") and name not in found)
    if missing:
        raise UnsupportedError(f"{cls.__name__}: public attributes not defined by a def: {missing}")
    return list(found.values())


def _derived_operation(node: ast.stmt, derived: Derived) -> _Member | None:
    """`name = Wrapper(Source.method)` in a class body: the operation `name`, as `method`."""
    if not (
        isinstance(node, ast.Assign)
        and len(node.targets) == 1
        and isinstance(node.targets[0], ast.Name)
        and isinstance(node.value, ast.Call)
        and node.value.args
        and isinstance(method := node.value.args[0], ast.Attribute)
        and isinstance(method.value, ast.Name)
        and method.value.id == derived.source.__name__
    ):
        return None
    name = node.targets[0].id
    source = {m.name: m for m in _members(derived.source)}.get(method.attr)
    if source is None:
        raise UnsupportedError(f"{name}: {derived.source.__name__}.{method.attr} not found")
    return _Member(name, source.owner, source.defs, derived.wrapper)


def _async_view(value: object, module: str) -> bool:
    """A class of the async module itself whose members are awaited (a view such as
    `WithRawResponse`): handing it to blocking code unmirrored would be wrong."""
    if not isinstance(value, type) or value.__module__ != module:
        return False
    for klass in value.__mro__[:-1]:
        for name, attribute in vars(klass).items():
            if name in ("__aenter__", "__aiter__", "__anext__"):
                return True
            descriptor = type(attribute).__module__ == module and hasattr(attribute, "__get__")
            if not name.startswith("_") and (inspect.iscoroutinefunction(attribute) or descriptor):
                return True
    return False


def _decorators(node: Function) -> list[str]:
    return [ast.unparse(d) for d in node.decorator_list]


def _kind(member: _Member) -> Literal["property", "async", "sync"]:
    *stubs, impl = member.defs
    where = f"{member.owner.__name__}.{member.name}"
    for stub in stubs:
        if _decorators(stub) not in (["overload"], ["typing.overload"]):
            raise UnsupportedError(f"{where}: defined twice without @overload")
    decorators = _decorators(impl)
    if decorators == ["property"] and not stubs:
        return "property"
    if decorators:
        raise UnsupportedError(f"{where}: decorator {decorators} has no blocking equivalent here")
    if isinstance(impl, ast.AsyncFunctionDef):
        if any(isinstance(n, ast.Yield | ast.YieldFrom) for n in ast.walk(impl)):
            raise UnsupportedError(f"{where}: an async generator has no blocking twin here")
        return "async"
    return "sync"


def _expr(source: str) -> ast.expr:
    return ast.parse(source, mode="eval").body


def _names(node: ast.AST | None) -> Iterator[str]:
    if node is None:
        return
    for sub in ast.walk(node):
        if isinstance(sub, ast.Name):
            yield sub.id
        elif isinstance(sub, ast.Constant) and isinstance(sub.value, str):
            with contextlib.suppress(SyntaxError):  # a quoted annotation
                yield from _names(_expr(sub.value))


class _Builder:
    """Blocking functions for one mirror's members."""

    def __init__(self, target: Target, mirror: Mirror, out: _Output) -> None:
        self.target = target
        self.mirror = mirror
        self.out = out
        self.twins = target.twin_names(mirror)

    def annotation(
        self, node: ast.expr | None, where: str, owner: type, *, whole: bool
    ) -> ast.expr | None:
        """The annotation with a whole-type twin swapped in; twins elsewhere are refused, and
        so is a return type that is an unmirrored async view of the async module."""
        if node is None:
            return None
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            node = _expr(node.value)
        if whole and isinstance(node, ast.Name) and node.id in self.twins:
            return ast.Name(self.twins[node.id], ast.Load())
        names = set(_names(node))
        twins = sorted(names & set(self.twins))
        if twins:
            raise UnsupportedError(
                f"{where}: {ast.unparse(node)} uses {twins[0]}, which has a blocking twin; "
                "only a whole return type can be swapped for it"
            )
        namespace = vars(sys.modules[owner.__module__])
        views = sorted(n for n in names if _async_view(namespace.get(n), owner.__module__))
        if whole and views:
            raise UnsupportedError(
                f"{where}: returns {views[0]}, an async view of {owner.__module__}; add a "
                "Mirror for it (with Derived(...) if its operations are wrapped methods)"
            )
        return node

    def signature(
        self, node: Function, where: str, member: _Member
    ) -> tuple[ast.arguments, ast.expr | None]:
        owner = member.owner
        args = copy.deepcopy(node.args)
        params = [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]
        for param in params:
            if param is not None:
                param.annotation = self.annotation(param.annotation, where, owner, whole=False)
                self.need(param.annotation, owner)
        for default in [*args.defaults, *args.kw_defaults]:
            self.need(default, owner)
        returns = self.annotation(node.returns, where, owner, whole=True)
        self.need(returns, owner)
        if member.wrapper is not None:
            if isinstance(returns, ast.Name) and returns.id in self.out.local:
                raise UnsupportedError(f"{where}: a blocking twin cannot be wrapped")
            inner = returns if returns is not None else ast.Constant(None)
            returns = ast.Subscript(ast.Name(member.wrapper, ast.Load()), inner, ast.Load())
            self.need(returns, self.mirror.source)
        return args, returns

    def need(self, node: ast.AST | None, owner: type) -> None:
        for name in _names(node):
            if name not in self.twins and not hasattr(builtins, name):
                self.out.names.setdefault(name, owner)

    def forward(self, args: ast.arguments) -> str:
        """The call's arguments: each parameter passed the way it was declared."""
        positional = [a.arg for a in [*args.posonlyargs, *args.args][1:]]  # without self
        parts = positional[:]
        if args.vararg is not None:
            parts.append(f"*{args.vararg.arg}")
        parts += [f"{a.arg}={a.arg}" for a in args.kwonlyargs]
        if args.kwarg is not None:
            parts.append(f"**{args.kwarg.arg}")
        return ", ".join(parts)

    def function(
        self, name: str, args: ast.arguments, returns: ast.expr | None, body: list[ast.stmt]
    ) -> ast.FunctionDef:
        node = ast.parse(f"def {name}(self): pass").body[0]
        assert isinstance(node, ast.FunctionDef)
        node.args, node.returns, node.body = args, returns, body
        return node

    def docstring(self, member: _Member) -> list[ast.stmt]:
        text = next((d for d in map(ast.get_docstring, reversed(member.defs)) if d), None)
        if text is None:
            return []
        for old, new in DOC_REWRITES:
            text = text.replace(old, new)
        return [ast.Expr(ast.Constant(_indented(text, 8)))]

    def members(self) -> list[ast.stmt]:
        body: list[ast.stmt] = []
        for member in _members(self.mirror.source, self.mirror.derived):
            body.extend(self.member(member))
        return body

    def member(self, member: _Member) -> list[ast.stmt]:
        name = member.name
        where = f"{member.owner.__name__}.{name}"
        if name == "__init__":
            return [self.constructor(member)] if self.mirror.root else []
        if (self.mirror.root and name in LIFECYCLE) or name == "__repr__":
            return []
        if name.startswith("__") and name.endswith("__"):
            raise UnsupportedError(f"{where}: no rule for this special method")
        if name.startswith("_"):
            return []
        kind = _kind(member)
        *stubs, impl = member.defs
        nodes: list[ast.stmt] = []
        for stub in stubs:
            args, returns = self.signature(stub, where, member)
            stub_node = self.function(name, args, returns, [ast.Expr(ast.Constant(...))])
            stub_node.decorator_list = [ast.Name("overload", ast.Load())]
            self.out.imports.add("from typing import overload")
            nodes.append(stub_node)
        args, returns = self.signature(impl, where, member)
        call = f"self._target.{name}({self.forward(args)})"
        inner = {
            "property": f"self._target.{name}",
            "async": f'self._run("{name}", lambda: {call})',
            "sync": f'self._run_sync("{name}", lambda: {call})',
        }[kind]
        twin = (
            returns.id if isinstance(returns, ast.Name) and returns.id in self.out.local else None
        )
        if twin is not None:
            inner = f"{twin}._adopt(self._runner, {inner})"
        is_none = isinstance(returns, ast.Constant) and returns.value is None
        statement = inner if is_none else f"return {inner}"
        node = self.function(
            name, args, returns, [*self.docstring(member), *ast.parse(statement).body]
        )
        if kind == "property":
            node.decorator_list = [ast.Name("property", ast.Load())]
        return [*nodes, node]

    def constructor(self, member: _Member) -> ast.FunctionDef:
        where = f"{self.mirror.source.__name__}.__init__"
        (impl,) = member.defs
        args, _ = self.signature(impl, where, member)
        source = self.mirror.source.__name__
        self.out.imports.add(f"from {self.mirror.source.__module__} import {source}")
        self.out.local.add(source)
        statement = (
            f'super().__init__("{self.mirror.name}()", lambda: {source}({self.forward(args)}))'
        )
        return self.function(
            "__init__", args, _expr("None"), [*self.docstring(member), *ast.parse(statement).body]
        )


def _indented(text: str, indent: int) -> str:
    """A cleaned docstring laid out for a body indented by `indent` spaces."""
    first, *rest = text.splitlines()
    if not rest:
        return first
    pad = " " * indent
    return "\n".join([first, *(pad + line if line else "" for line in rest), pad])


def _bindings(module: ModuleType) -> dict[str, tuple[str | UnsupportedError, bool]]:
    """Import line (or why not) and TYPE_CHECKING flag of each name `module` binds on top."""
    found: dict[str, tuple[str | UnsupportedError, bool]] = {}
    name = module.__name__
    package = (
        name
        if module.__file__ and module.__file__.endswith("__init__.py")
        else name.rpartition(".")[0]
    )

    def visit(stmt: ast.stmt, checking: bool) -> None:
        if isinstance(stmt, ast.Import):
            for alias in stmt.names:
                bound = alias.asname or alias.name.partition(".")[0]
                line: str | UnsupportedError = f"import {alias.name}" + (
                    f" as {alias.asname}" if alias.asname else ""
                )
                if alias.name == PACKAGE:
                    line = _face_error(bound)
                found.setdefault(bound, (line, checking))
        elif isinstance(stmt, ast.ImportFrom):
            base = stmt.module or ""
            if stmt.level:
                parts = package.split(".")
                parts = parts[: len(parts) - stmt.level + 1]
                base = ".".join([*parts, base] if base else parts)
            for alias in stmt.names:
                bound = alias.asname or alias.name
                found.setdefault(bound, (_from_import(base, alias.name, bound), checking))
        elif isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            found.setdefault(stmt.name, (f"from {name} import {stmt.name}", checking))
        elif isinstance(stmt, ast.Assign | ast.AnnAssign):
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            for target in targets:
                if isinstance(target, ast.Name):
                    found.setdefault(target.id, (f"from {name} import {target.id}", checking))
        elif isinstance(stmt, ast.If) and ast.unparse(stmt.test) in (
            "TYPE_CHECKING",
            "typing.TYPE_CHECKING",
        ):
            for inner in stmt.body:
                visit(inner, True)

    for stmt in ast.parse(inspect.getsource(module)).body:
        visit(stmt, False)
    return found


def _from_import(base: str, name: str, bound: str) -> str | UnsupportedError:
    """`from base import name`, or for the package face a submodule imported directly."""
    alias = f" as {bound}" if bound != name else ""
    if base != PACKAGE:
        return f"from {base} import {name}{alias}"
    if importlib.util.find_spec(f"{base}.{name}") is None:
        return _face_error(bound)
    return f"import {base}.{name} as {bound}"


def _face_error(bound: str) -> UnsupportedError:
    return UnsupportedError(
        f"{bound} comes from the package face {PACKAGE}, which re-exports the sync client "
        "(an import circle): import it from its defining module in the async module"
    )


def _import_lines(out: _Output) -> tuple[list[str], list[str]]:
    runtime, checking = set(out.imports), set[str]()
    cache: dict[str, dict[str, tuple[str | UnsupportedError, bool]]] = {}
    for name, owner in sorted(out.names.items()):
        if name in out.local:
            continue
        module = sys.modules[owner.__module__]
        bindings = cache.setdefault(module.__name__, _bindings(module))
        if name not in bindings:
            raise UnsupportedError(f"{name}: used by {owner.__name__}'s signatures but not found")
        line, type_checking = bindings[name]
        if isinstance(line, UnsupportedError):
            raise line
        (checking if type_checking else runtime).add(line)
    return sorted(runtime), sorted(checking - runtime)


def _class(target: Target, mirror: Mirror, out: _Output) -> str:
    body = _Builder(target, mirror, out).members()
    base = "SyncClientBase" if mirror.root else "SyncFacade"
    out.imports.add(f"from {FACADE_MODULE} import {base}")
    source = mirror.source.__name__
    out.imports.add(f"from {mirror.source.__module__} import {source}")
    out.local.add(source)
    node = ast.parse(f"class {mirror.name}({base}[{source}]): pass").body[0]
    assert isinstance(node, ast.ClassDef)
    node.body = [ast.Expr(ast.Constant(_indented(mirror.doc, 4))), *body]
    return ast.unparse(node)


def render(target: Target, *, header: str) -> str:
    """The formatted module for `target`."""
    out = _Output()
    out.local.update(m.name for m in target.mirrors)
    for twin, module in target.twins.values():
        out.local.add(twin)
        out.imports.add(f"from {module} import {twin}")
    classes = [_class(target, mirror, out) for mirror in target.mirrors]
    runtime, checking = _import_lines(out)
    names = ", ".join(f'"{m.name}"' for m in target.mirrors)
    parts = [
        header,
        f'"""{target.docstring}"""\n',
        "from __future__ import annotations\n",
        *runtime,
    ]
    if checking:
        parts += ["from typing import TYPE_CHECKING", "if TYPE_CHECKING:"]
        parts += [textwrap.indent(line, "    ") for line in checking]
    parts.append(f"__all__ = [{names}]\n")
    parts += classes
    return _ruff_format("\n".join(parts) + "\n", target.output)


def _ruff(args: list[str], source: str, path: Path) -> str:
    try:
        filename = str(path.resolve().relative_to(PROJECT_ROOT))
    except ValueError:
        filename = str(path)
    config = str(PROJECT_ROOT / "pyproject.toml")  # wherever the output goes
    command = [sys.executable, "-m", "ruff", *args, "--config", config]
    result = subprocess.run(  # noqa: S603 -- ruff from this interpreter's environment
        [*command, "--stdin-filename", filename, "-"],
        input=source,
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"ruff {' '.join(args)} failed:\n{result.stderr}")
    return result.stdout


def _ruff_format(source: str, path: Path) -> str:
    fixed = _ruff(["check", "--select", "I", "--fix", "--exit-zero", "--quiet"], source, path)
    return _ruff(["format", "--quiet"], fixed, path)


HEADER = """\
# Generated by tools/generate_sync_client.py from ultracart_async/_client.py (CustomerClient).
# Do not edit by hand: change the async client (or the generator) and run
# `python -m tools.generate_sync_client`.
"""

CLIENT_DOC = """\
Blocking client for UltraCart's Customer API: `CustomerClient`'s methods, without `await`.

```python
with uc.SyncCustomerClient(simple_key=KEY) as client:
    r = client.get_customer(56, expand="billing,shipping")
```

It runs one `CustomerClient` on an event loop in a background thread, so validation,
retries, rate limiting, errors and pagination are the async client's own. Share one client
between threads: their calls run concurrently. The constructor takes `CustomerClient`'s
options; `iter_*` return blocking iterators; `with_options` returns a blocking view.
Methods that send requests raise `SyncClientInEventLoopError` inside a running event loop.
Hooks (`on_retry`) run on the client's loop thread: they must not call the client.
"""


RAW_DOC = """\
`client.with_raw_response`: every operation, blocking, answering with a `RawResponse`.
"""


def client_target(output: Path | None = None) -> Target:
    """The committed target: `SyncCustomerClient` mirroring `CustomerClient` (and its raw-
    response view, `WithRawResponse`, once the async client has one)."""
    from ultracart_async import _client

    client = _client.CustomerClient
    mirrors = [Mirror(client, "SyncCustomerClient", CLIENT_DOC, root=True)]
    raw_view = getattr(_client, "WithRawResponse", None)
    if isinstance(raw_view, type):
        derived = Derived(client, "RawResponse")
        mirrors.append(Mirror(raw_view, "SyncWithRawResponse", RAW_DOC, derived=derived))
    iterators = f"{PACKAGE}.sync._iterators"
    return Target(
        mirrors=tuple(mirrors),
        output=output or PROJECT_ROOT / PACKAGE / "sync" / "_client.py",
        docstring="`SyncCustomerClient`: `CustomerClient`'s methods, blocking (generated).",
        twins={
            "CustomerIterator": ("SyncCustomerIterator", iterators),
            "CustomerPageIterator": ("SyncCustomerPageIterator", iterators),
        },
    )


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=None, help="module to write")
    parser.add_argument("--check", action="store_true", help="fail if the module is stale")
    args = parser.parse_args(argv)
    target = client_target(args.output)
    source = render(target, header=HEADER)
    if args.check:
        current = target.output.read_text(encoding="utf-8") if target.output.exists() else ""
        if current != source:
            print(f"{target.output} is stale: run `python -m tools.generate_sync_client`")
            return 1
        print(f"{target.output} is up to date")
        return 0
    target.output.write_text(source, encoding="utf-8")
    print(f"wrote {target.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
