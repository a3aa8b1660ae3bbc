"""Email verification tokens and magic login links: issued, remembered, checked."""

from __future__ import annotations

import hashlib

from ._customers import CustomerRecords
from ._errors import bad_request
from ._types import JSON


class Tokens:
    """Issues reproducible tokens (seed and running serial) and checks verification tokens."""

    def __init__(self, customers: CustomerRecords) -> None:
        self._customers = customers
        self._verification: dict[str, str] = {}

    def _token(self, *parts: object) -> str:
        serial = self._customers.serial.next()
        text = "|".join(str(p) for p in (self._customers.seeder.seed, serial, *parts))
        return hashlib.sha256(text.encode()).hexdigest()[:32]

    def email_verification_token(self, body: JSON) -> str:
        email = body.get("email")
        if not isinstance(email, str) or "@" not in email:
            raise bad_request("A valid email address is required.", "email_required")
        password = body.get("password")
        if password is not None and not isinstance(password, str):
            raise bad_request("password must be a string")
        token = self._token("verify", email)
        self._verification[token] = email
        return token

    def validate_email_verification_token(self, body: JSON) -> None:
        """Accept a token once; 400 `invalid_token` for unknown or used ones."""
        token = body.get("token")
        if not isinstance(token, str) or self._verification.pop(token, None) is None:
            raise bad_request(
                "The email verification token is invalid or expired.", "invalid_token"
            )

    def magic_link(self, oid: int, storefront_host_name: str) -> str:
        self._customers.get(oid)
        host = storefront_host_name.strip()
        if not host or "/" in host or " " in host:
            raise bad_request("storefront_host_name must be a host name")
        return f"https://{host}/catalog/magic-login?token={self._token('magic', oid, host)}"
