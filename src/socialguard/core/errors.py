"""One error family for the whole project (STYLE.md habit 7).

Services raise ``ApplicationError`` with a code; views turn it into a message, the API into
``{"code", "message", "detail"}``, the CLI into a one-line error and a non-zero exit.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any


class ErrorCode(StrEnum):
    INVALID = "invalid"
    NOT_FOUND = "not_found"
    FORBIDDEN = "forbidden"
    CONFLICT = "conflict"
    POLICY_PARSE = "policy_parse"
    ALREADY_DONE = "already_done"
    AUDIT_CHAIN_BROKEN = "audit_chain_broken"


class ApplicationError(Exception):
    def __init__(
        self, message: str, *, code: ErrorCode = ErrorCode.INVALID, detail: Any = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.detail = detail

    def as_dict(self) -> dict[str, Any]:
        return {"code": str(self.code), "message": self.message, "detail": self.detail}
