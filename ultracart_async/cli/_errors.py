"""How the command fails: its exit codes, and the exit code and one-line message of each
expected failure (a bad argument, an UltraCart error, an unwritable output)."""

from __future__ import annotations

import enum

import ultracart_async as uc
from ultracart_async._constants import ENV_SIMPLE_KEY

__all__ = ["ExitCode", "UsageError", "describe_failure", "unwrap"]


class ExitCode(enum.IntEnum):
    """Exit status of `ultracart-customers`: one per kind of failure, so scripts can react."""

    OK = 0
    ERROR = 1  # any other UltraCart error (400, undecodable response, ...)
    USAGE = 2  # bad arguments, key file or query file
    RESUME_REFUSED = 3  # a checkpoint exists that this command must not continue (or touch)
    AUTHENTICATION = 4  # 401: the key is wrong, expired or revoked
    PERMISSION = 5  # 403: the key lacks the customer read permission
    APP_DISABLED = 6  # 410: the UltraCart application behind the key is disabled
    NETWORK = 7  # UltraCart unreachable: DNS, refused, reset, timeout (after retries)
    RATE_LIMITED = 8  # 429 after every retry
    SERVER = 9  # 5xx after every retry
    OUTPUT = 10  # the output could not be written: disk full, permission, missing directory
    INTERRUPTED = 130  # Ctrl-C (128 + SIGINT)


class UsageError(Exception):
    """A bad argument, key file or query file: exit code 2."""


def unwrap(exc: BaseException) -> BaseException:
    """The one meaningful exception inside (nested) single-member exception groups."""
    while True:
        members = getattr(exc, "exceptions", None)
        if not isinstance(members, tuple) or len(members) != 1:
            return exc
        exc = members[0]


def describe_failure(
    exc: BaseException, *, where: str, max_retries: int
) -> tuple[ExitCode, str] | None:
    """Exit code and message for an expected failure; None for a bug (traceback wanted).

    `where` names the server in network failures; `max_retries` says how hard the client tried.
    """
    tries = max_retries
    retries = f"after {tries} {'retry' if tries == 1 else 'retries'}" if tries else "(no retries)"
    request_id = getattr(exc, "request_id", None)
    ref = f" (request id {request_id})" if request_id else ""
    if isinstance(exc, uc.AuthenticationError):
        return ExitCode.AUTHENTICATION, (
            f"UltraCart rejected the key (401){ref}: check {ENV_SIMPLE_KEY} or --key-file"
        )
    if isinstance(exc, uc.PermissionDeniedError):
        return ExitCode.PERMISSION, (
            f"the key lacks permission to read customers (403){ref}: grant the customer "
            "read permission to its application"
        )
    if isinstance(exc, uc.ApplicationDisabledError):
        return ExitCode.APP_DISABLED, (
            f"the UltraCart application behind this key is disabled (410){ref}: re-enable it "
            "in UltraCart"
        )
    if isinstance(exc, uc.RateLimitError):
        return ExitCode.RATE_LIMITED, (
            f"still rate limited by UltraCart (429) {retries}{ref}: wait, or lower --concurrency"
        )
    if isinstance(exc, uc.ServerError):
        return ExitCode.SERVER, f"UltraCart server error {exc.status_code} {retries}{ref}: {exc}"
    if isinstance(exc, uc.APIStatusError):
        return ExitCode.ERROR, f"UltraCart answered {exc.status_code}{ref}: {exc}"
    if isinstance(exc, uc.APITimeoutError):
        return ExitCode.NETWORK, f"{where} did not answer in time {retries}: {exc}"
    if isinstance(exc, uc.APIConnectionError):
        return ExitCode.NETWORK, f"cannot reach {where} {retries}: {exc}"
    if isinstance(exc, (uc.ResponseDecodeError, uc.DecodeError)):
        return ExitCode.ERROR, f"could not decode UltraCart's answer{ref}: {exc}"
    if isinstance(exc, uc.InvalidInputError):
        return ExitCode.USAGE, str(exc)
    if isinstance(exc, uc.UltraCartError):
        return ExitCode.ERROR, str(exc)
    if isinstance(exc, OSError):
        name = f" {exc.filename}" if exc.filename else ""
        return ExitCode.OUTPUT, f"cannot write{name}: {exc.strerror or exc}"
    return None
