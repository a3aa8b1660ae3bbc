"""Docstrings: the public surface documents itself, in Google style as mkdocstrings renders it.

Every public method of `CustomerClient` has a one-line summary, an `Args:` entry for each of its
parameters (an overloaded method: each parameter of each overload, in the implementation's
docstring), `Returns:` unless it returns None, and `Raises:`; the constructor's parameters are
documented on the class or on `__init__`. The other public classes have summaries, their fields
are documented, and their methods name their parameters. Sections are parsed as mkdocstrings'
Google parser reads them: a section title alone on an unindented line, one entry per line
indented once (`name: text`, continued on deeper-indented lines).
"""

from __future__ import annotations

import ast
import builtins
import inspect
import itertools
import re
import textwrap
import typing
from collections.abc import Callable, Iterator
from typing import Any

import attrs
import pytest

import ultracart_async as uc
from ultracart_async import _exceptions
from ultracart_async._client import CustomerClient
from ultracart_async._converter import UltraCartConverter
from ultracart_async._nulls import WithNulls, with_nulls
from ultracart_async._operation import Safety
from ultracart_async._operations import OPERATIONS
from ultracart_async._ratelimit import RateLimit
from ultracart_async._raw_response import RawResponse
from ultracart_async._retry import RetryEvent, RetryPolicy
from ultracart_async.pagination import CustomerIterator, CustomerPageIterator, PagerStats
from ultracart_async.testing import FakeRateLimit, FakeUltraCart, Fault, RecordedRequest

SECTION = re.compile(r"^([A-Z][A-Za-z ]*):$")
ENTRY = re.compile(r"^ {4}(\*{0,2}[A-Za-z_][A-Za-z0-9_.]*)(?: \([^)]*\))?:(?: |$)")
ENTRY_SECTIONS = frozenset({"Args", "Raises", "Attributes"})
KNOWN_SECTIONS = frozenset({*ENTRY_SECTIONS, "Returns", "Yields"})

# Public methods that cannot raise a documented error: closing is idempotent and quiet.
NO_RAISES = frozenset({"aclose"})
# Errors a `Raises:` entry may name besides the library's own.
BUILTIN_ERRORS = frozenset(
    name
    for name, value in vars(builtins).items()
    if isinstance(value, type) and issubclass(value, BaseException)
)
LIBRARY_ERRORS = frozenset(_exceptions.__all__)
# Dunders documented like methods: the iteration and context-manager protocol of the pagers.
PROTOCOL_DUNDERS = frozenset({"__anext__", "__aenter__", "__aexit__"})


# -- parsing -------------------------------------------------------------------------------------


@attrs.frozen
class Doc:
    """A docstring split the way mkdocstrings' Google parser splits it."""

    text: str
    summary: str
    sections: dict[str, list[str]]  # entry names (Args, Raises, Attributes) or text lines

    def entries(self, section: str) -> set[str]:
        """Names of a section's entries, without the `*`/`**` of variadic parameters."""
        return {name.lstrip("*") for name in self.sections.get(section, [])}


def parse(obj: object) -> Doc:
    text = inspect.getdoc(obj) or ""
    lines = text.splitlines()
    summary = lines[0].strip() if lines and (len(lines) == 1 or not lines[1].strip()) else ""
    sections: dict[str, list[str]] = {}
    current: str | None = None
    for line in lines[1:]:
        title = SECTION.match(line)
        if title is not None and title.group(1) in KNOWN_SECTIONS:
            current = title.group(1)
            sections.setdefault(current, [])
            continue
        if current is None or not line.strip():
            continue
        if not line.startswith(" "):
            current = None  # an unindented line ends the section
            continue
        if current in ENTRY_SECTIONS:
            entry = ENTRY.match(line)
            if entry is not None:
                sections[current].append(entry.group(1))
            elif not line.startswith(" " * 8):
                sections[current].append(f"<malformed: {line.strip()}>")
        else:
            sections[current].append(line.strip())
    return Doc(text, summary, sections)


def parameter_names(function: Callable[..., Any]) -> list[str]:
    """Every parameter a caller may pass: for an overloaded function, those of each overload
    plus the implementation's named ones (its `*args`/`**kwargs` only carry the overloads')."""
    overloads = typing.get_overloads(function)
    names: list[str] = []
    for signature in [inspect.signature(f) for f in overloads] + [inspect.signature(function)]:
        for param in signature.parameters.values():
            variadic = param.kind in {param.VAR_POSITIONAL, param.VAR_KEYWORD}
            if param.name in {"self", "cls"} or (overloads and variadic):
                continue
            if param.name not in names:
                names.append(param.name)
    return names


def returns_none(function: Callable[..., Any]) -> bool:
    annotation = inspect.signature(function).return_annotation
    return annotation in {None, "None"}  # annotations are strings (postponed evaluation)


def members(cls: type, *, dunders: frozenset[str] = frozenset()) -> Iterator[tuple[str, Any]]:
    """The public methods and properties a class defines itself (not inherited ones)."""
    for name, value in vars(cls).items():
        if (name.startswith("_") and name not in dunders) or isinstance(value, type):
            continue
        if isinstance(value, property | staticmethod | classmethod) or callable(value):
            yield name, value


# -- checks ----------------------------------------------------------------------------------------


def summary_problems(where: str, doc: Doc) -> list[str]:
    if not doc.text:
        return [f"{where}: no docstring"]
    if not doc.summary:
        return [f"{where}: no one-line summary (a first line, then a blank line)"]
    return []


def args_problems(where: str, doc: Doc, expected: list[str]) -> list[str]:
    documented = doc.entries("Args")
    problems = [f"{where}: `Args:` lacks {name!r}" for name in expected if name not in documented]
    problems += [
        f"{where}: `Args:` names {name!r}, not a parameter" for name in documented - set(expected)
    ]
    return problems


def raises_problems(where: str, doc: Doc) -> list[str]:
    names = doc.sections.get("Raises", [])
    known = LIBRARY_ERRORS | BUILTIN_ERRORS
    return [
        f"{where}: `Raises:` names unknown error {name!r}" for name in names if name not in known
    ]


def method_problems(
    where: str, function: Callable[..., Any], *, raises: bool, args_doc: Doc | None = None
) -> list[str]:
    """Summary, an `Args:` entry per parameter, `Returns:` unless None, `Raises:` if asked."""
    doc = parse(function)
    problems = summary_problems(where, doc)
    if problems:
        return problems
    args_doc = args_doc or doc
    problems += args_problems(where, args_doc, parameter_names(function))
    if not returns_none(function) and not (
        doc.sections.get("Returns") or doc.sections.get("Yields")
    ):
        problems.append(f"{where}: no `Returns:` (or `Yields:`) section")
    if raises and not doc.sections.get("Raises"):
        problems.append(f"{where}: no `Raises:` section")
    return problems + raises_problems(where, doc)


def constructor_problems(cls: type) -> list[str]:
    """Every constructor parameter named in `Args:` of the class or of `__init__`."""
    init = vars(cls)["__init__"]  # the class's own constructor
    documented = {*parse(cls).entries("Args"), *parse(init).entries("Args")}
    return [
        f"{cls.__name__}: constructor parameter {name!r} is not in `Args:` (class or __init__)"
        for name in parameter_names(init)
        if name not in documented
    ]


def field_docstrings(cls: type) -> set[str]:
    """Fields documented by a string literal right after their annotated assignment."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(cls)))
    body = tree.body[0].body  # type: ignore[attr-defined]
    return {
        node.target.id
        for node, after in itertools.pairwise(body)
        if isinstance(node, ast.AnnAssign)
        and isinstance(node.target, ast.Name)
        and isinstance(after, ast.Expr)
        and isinstance(after.value, ast.Constant)
        and isinstance(after.value.value, str)
    }


def field_names(cls: type) -> list[str]:
    if attrs.has(cls):
        return [field.name for field in attrs.fields(cls)]
    return list(cls.__dataclass_fields__)  # type: ignore[attr-defined]


# -- CustomerClient --------------------------------------------------------------------------------

CLIENT_MEMBERS = dict(members(CustomerClient))
CLIENT_METHODS = sorted(name for name, value in CLIENT_MEMBERS.items() if callable(value))
CLIENT_PROPERTIES = sorted(
    name for name, value in CLIENT_MEMBERS.items() if isinstance(value, property)
)


def test_the_client_surface_is_what_these_tests_walk() -> None:
    """Not vacuous: every operation, the pagers and the options are among the methods."""
    assert set(OPERATIONS) <= set(CLIENT_METHODS)
    iterators = {name for name in CLIENT_METHODS if name.startswith("iter_")}
    assert len(iterators) == 6
    assert {"aclose", "with_options"} <= set(CLIENT_METHODS)
    assert {"with_raw_response", "is_closed", "timeout"} <= set(CLIENT_PROPERTIES)
    assert len(parameter_names(CustomerClient.get_customers)) == 32


@pytest.mark.parametrize("name", CLIENT_METHODS)
def test_client_method_is_documented(name: str) -> None:
    method = getattr(CustomerClient, name)
    problems = method_problems(f"CustomerClient.{name}", method, raises=name not in NO_RAISES)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name", CLIENT_PROPERTIES)
def test_client_property_has_a_summary(name: str) -> None:
    problems = summary_problems(f"CustomerClient.{name}", parse(getattr(CustomerClient, name)))
    assert not problems, "\n".join(problems)


def test_client_constructor_is_documented() -> None:
    problems = summary_problems("CustomerClient", parse(CustomerClient))
    problems += constructor_problems(CustomerClient)
    if CustomerClient.__init__.__doc__:
        problems += raises_problems("CustomerClient.__init__", parse(CustomerClient.__init__))
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("operation", sorted(OPERATIONS))
def test_operation_docs_match_its_retry_safety(operation: str) -> None:
    """Writes whose outcome can be unknown say so; the others do not claim it."""
    raised = parse(getattr(CustomerClient, operation)).entries("Raises")
    assert {"InvalidInputError", "APIStatusError", "ClientClosedError"} <= raised
    may_be_unknown = OPERATIONS[operation].safety in {Safety.UNSAFE, Safety.IDEMPOTENT_DELETE}
    assert ("WriteOutcomeUnknownError" in raised) == may_be_unknown
    if may_be_unknown:
        assert f"`{operation}`" in parse(uc.WriteOutcomeUnknownError).text


# -- exceptions ------------------------------------------------------------------------------------


def _assigned_attributes() -> dict[str, set[str]]:
    """`self.<name> = ...` in each exception class's own `__init__`, by class name."""
    tree = ast.parse(inspect.getsource(_exceptions))
    found: dict[str, set[str]] = {}
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            found[node.name] = {
                target.attr
                for item in ast.walk(node)
                if isinstance(item, ast.Assign)
                for target in item.targets
                if isinstance(target, ast.Attribute)
                and isinstance(target.value, ast.Name)
                and target.value.id == "self"
                and not target.attr.startswith("_")
            }
    return found


@pytest.mark.parametrize("name", _exceptions.__all__)
def test_exception_says_when_and_lists_its_attributes(name: str) -> None:
    cls = getattr(_exceptions, name)
    doc = parse(cls)
    problems = summary_problems(name, doc)
    if not doc.text.strip().count("\n"):
        problems.append(f"{name}: only a summary; say when it is raised")
    assigned = _assigned_attributes()
    carried = set().union(*(assigned.get(base.__name__, set()) for base in cls.__mro__))
    problems += [
        f"{name}: `Attributes:` lacks {attribute!r}"
        for attribute in sorted(carried - doc.entries("Attributes"))
    ]
    problems += [
        f"{name}: `Attributes:` names {attribute!r}, which it does not carry"
        for attribute in sorted(doc.entries("Attributes") - carried)
    ]
    assert not problems, "\n".join(problems)


# -- the other public classes ----------------------------------------------------------------------

# Classes whose methods are checked like the client's (summary, `Args:`, `Returns:`); `Raises:`
# is not required of them. Record-like classes have their fields checked instead.
CLASSES: list[tuple[type, frozenset[str]]] = [
    (RawResponse, frozenset()),
    (RetryPolicy, frozenset()),
    (RateLimit, frozenset()),
    (CustomerIterator, PROTOCOL_DUNDERS),
    (CustomerPageIterator, PROTOCOL_DUNDERS),
    (FakeUltraCart, frozenset()),
]
# Public classes that must at least have summaries (and their methods too).
SUMMARY_ONLY: list[type] = [UltraCartConverter, WithNulls]
RECORDS: list[type] = [
    RetryEvent,
    RetryPolicy,
    WithNulls,
    PagerStats,
    Fault,
    FakeRateLimit,
    RecordedRequest,
]


def _class_cases() -> Iterator[Any]:
    for cls, dunders in CLASSES:
        for name, value in members(cls, dunders=dunders):
            yield pytest.param(cls, name, value, id=f"{cls.__name__}.{name}")


@pytest.mark.parametrize(("cls", "name", "member"), list(_class_cases()))
def test_public_method_is_documented(cls: type, name: str, member: Any) -> None:
    where = f"{cls.__name__}.{name}"
    if isinstance(member, property):
        problems = summary_problems(where, parse(member))
    else:
        problems = method_problems(where, member, raises=False)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    "cls", [cls for cls, _ in CLASSES] + SUMMARY_ONLY + RECORDS, ids=lambda cls: cls.__name__
)
def test_public_class_has_a_summary(cls: type) -> None:
    problems = summary_problems(cls.__name__, parse(cls))
    for name, member in members(cls):
        problems += summary_problems(f"{cls.__name__}.{name}", parse(member))
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("cls", [RateLimit, FakeUltraCart], ids=lambda cls: cls.__name__)
def test_constructor_parameters_are_documented(cls: type) -> None:
    problems = constructor_problems(cls)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("cls", RECORDS, ids=lambda cls: cls.__name__)
def test_every_field_is_documented(cls: type) -> None:
    """In `Attributes:`, or as a docstring right after the field (PagerStats's style)."""
    documented = parse(cls).entries("Attributes") | field_docstrings(cls)
    missing = [name for name in field_names(cls) if name not in documented]
    assert not missing, f"{cls.__name__}: fields without documentation: {missing}"


def test_with_nulls_is_documented() -> None:
    problems = method_problems("with_nulls", with_nulls, raises=True)
    assert not problems, "\n".join(problems)


# -- the parser itself -----------------------------------------------------------------------------


def test_parser_reads_sections_as_mkdocstrings_does() -> None:
    def sample(a: int, *rest: int, **named: int) -> int:
        """Do it.

        Args:
            a: First,
                continued.
            *rest: More.
            **named: Named.

        Returns:
            A number.

        Raises:
            ValueError: When.
        """
        return a

    doc = parse(sample)
    assert doc.summary == "Do it."
    assert doc.entries("Args") == {"a", "rest", "named"}
    assert doc.entries("Raises") == {"ValueError"}
    assert doc.sections["Returns"] == ["A number."]
    assert not method_problems("sample", sample, raises=True)

    def undocumented(a: int, b: int) -> int:
        """Do it.

        Args:
            a: First.
        """
        return a + b

    problems = method_problems("undocumented", undocumented, raises=True)
    assert any("lacks 'b'" in p for p in problems)
    assert any("`Returns:`" in p for p in problems)
    assert any("`Raises:`" in p for p in problems)


def test_overloads_are_checked_against_the_implementations_docstring() -> None:
    names = parameter_names(CustomerClient.update_customer)
    assert names == ["customer_profile_oid", "customer", "expand"]
