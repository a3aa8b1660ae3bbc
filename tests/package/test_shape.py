"""The package's shape: imports point one way, public names stay, every error is exported."""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
from collections.abc import Iterator
from pathlib import Path

import ultracart_async as uc
import ultracart_async.testing as uc_testing

PACKAGE = Path(uc.__file__).resolve().parent
ISSUE_REFERENCE = re.compile(r"\b(issue|ticket)s?\s*#?\d+", re.IGNORECASE)

# Names users may rely on. Adding a name is fine; removing or renaming one fails here.
PUBLIC = frozenset(
    [
        "__version__",
        "UltraCartError",
        "InvalidInputError",
        "ClientClosedError",
        "DecodeError",
        "ResponseDecodeError",
        "APIError",
        "APIStatusError",
        "BadRequestError",
        "AuthenticationError",
        "PermissionDeniedError",
        "NotFoundError",
        "ApplicationDisabledError",
        "RateLimitError",
        "ServerError",
        "APIConnectionError",
        "APITimeoutError",
        "NotSentError",
        "NotSentTimeoutError",
        "WriteOutcomeUnknownError",
        "PaginationError",
        "models",
        "converter",
        "UltraCartConverter",
        "with_nulls",
        "WithNulls",
        "AdjustInternalCertificateRequest",
        "AdjustInternalCertificateResponse",
        "AdjustLoyaltyPointsRequest",
        "AdjustLoyaltyPointsResponse",
        "BaseResponse",
        "Customer",
        "CustomerEditorValues",
        "CustomerEmailListChanges",
        "CustomerEmailSuppressionRequest",
        "CustomerEmailSuppressionResponse",
        "CustomerLoyaltyResponse",
        "CustomerMagicLinkResponse",
        "CustomerMergeRequest",
        "CustomerQuery",
        "CustomerResponse",
        "CustomersResponse",
        "CustomerStoreCreditAddRequest",
        "CustomerStoreCreditResponse",
        "CustomerWishListItem",
        "CustomerWishListItemResponse",
        "CustomerWishListItemsResponse",
        "DataTablesServerSideResponse",
        "EmailListsResponse",
        "EmailVerifyTokenRequest",
        "EmailVerifyTokenResponse",
        "EmailVerifyTokenValidateRequest",
        "EmailVerifyTokenValidateResponse",
        "Error",
        "ErrorResponse",
        "LookupRequest",
        "LookupResponse",
        "QuickBooksOnlineCustomersResponse",
        "ResponseMetadata",
        "ResultSet",
        "CustomerClient",
        "RetryEvent",
        "RetryPolicy",
        "RateLimit",
        "DEFAULT_TIMEOUT",
        "CustomerIterator",
        "CustomerPageIterator",
        "PagerStats",
    ]
)
PUBLIC_TESTING = frozenset(
    [
        "FakeUltraCart",
        "FakeTransport",
        "FakeRateLimit",
        "Fault",
        "FaultKind",
        "FAULT_KINDS",
        "RecordedRequest",
        "OPERATIONS",
        "WRITE_OPERATIONS",
    ]
)


def test_public_names_of_the_package_stay() -> None:
    assert set(uc.__all__) >= PUBLIC, sorted(PUBLIC - set(uc.__all__))
    for name in uc.__all__:
        assert hasattr(uc, name), name


def test_public_names_of_the_testing_package_stay() -> None:
    assert set(uc_testing.__all__) >= PUBLIC_TESTING, sorted(
        PUBLIC_TESTING - set(uc_testing.__all__)
    )
    for name in uc_testing.__all__:
        assert hasattr(uc_testing, name), name


def _modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _imported(module: str, path: Path, known: set[str]) -> Iterator[str]:
    """Every package module `module` imports, lazily or under TYPE_CHECKING included."""
    is_package = path.name == "__init__.py"
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = module.split(".") if is_package else module.split(".")[:-1]
            base = base[: len(base) - node.level + 1] if node.level else []
            origin = ".".join([*base, node.module] if node.module else base)
            targets = [origin, *(f"{origin}.{alias.name}" for alias in node.names)]
        else:
            continue
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != module:
                yield target


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    graph = {}
    for module, path in modules.items():
        edges = set(_imported(module, path, set(modules)))
        if path.name == "__init__.py":  # a package's face re-exports its own submodules
            edges = {e for e in edges if not e.startswith(module + ".")}
        graph[module] = edges
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while (member := stack.pop()) != node:
                group.append(member)
            if group:
                groups.append(sorted([node, *group]))

    for node in graph:
        if node not in index:
            visit(node)
    return groups


def _area(module: str) -> str:
    head = module.split(".")[1] if "." in module else ""
    return head if head in {"cli", "testing"} else "core"


def test_no_import_circles() -> None:
    assert _cycles(_graph()) == []


def test_the_cycle_finder_finds_a_circle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_core_never_imports_the_cli_or_the_testing_package() -> None:
    wrong = [
        f"{module} -> {target}"
        for module, targets in _graph().items()
        if _area(module) == "core"
        for target in targets
        if _area(target) != "core"
    ]
    assert wrong == []


def test_pagination_uses_no_client_internals() -> None:
    graph = _graph()
    for module, targets in graph.items():
        if module.startswith("ultracart_async.pagination"):
            assert "ultracart_async._client" not in targets, module
            assert "ultracart_async" not in targets, module


def _all_subclasses(cls: type[Exception]) -> Iterator[type[Exception]]:
    subclasses: list[type[Exception]] = cls.__subclasses__()
    for sub in subclasses:
        yield sub
        yield from _all_subclasses(sub)


def test_every_error_of_the_package_is_exported() -> None:
    for info in pkgutil.walk_packages(uc.__path__, "ultracart_async."):
        importlib.import_module(info.name)
    errors = {
        cls
        for cls in _all_subclasses(uc.UltraCartError)
        if cls.__module__.startswith("ultracart_async")
    }
    assert len(errors) >= 19
    for cls in errors:
        assert getattr(uc, cls.__name__, None) is cls, f"{cls.__module__}.{cls.__name__}"


def test_no_comment_refers_to_an_issue() -> None:
    for path in _modules().values():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            assert not ISSUE_REFERENCE.search(line), f"{path.name}:{number}: {line.strip()}"


def test_models_report_the_public_module() -> None:
    assert uc.Customer.__module__ == "ultracart_async.models"
    assert repr(type(uc.Customer())) == "<class 'ultracart_async.models.Customer'>"
