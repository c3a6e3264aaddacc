"""One way to fail: every domain error is a PortalError with a code, a status and a field.

Messages are looked up by code in the request's language (core.messages)."""
from __future__ import annotations


class PortalError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, code: str | None = None, field: str | None = None, extra: dict | None = None,
                 **params: object) -> None:
        self.code = code or type(self).code
        self.field = field
        self.params = params
        self.extra = extra or {}  # further data for the client, e.g. the next free times
        super().__init__(self.code if field is None else f"{self.code} ({field})")


class Invalid(PortalError):
    status = 422
    code = "invalid"


class BadRequest(PortalError):
    status = 400
    code = "bad_request"


class Unauthenticated(PortalError):
    status = 401
    code = "unauthenticated"


class Forbidden(PortalError):
    status = 403
    code = "forbidden"


class StepUpRequired(PortalError):
    status = 403
    code = "step_up_required"


class ConsentRequired(PortalError):
    status = 403
    code = "consent_required"


class NotFound(PortalError):
    status = 404
    code = "not_found"


class Conflict(PortalError):
    status = 409
    code = "conflict"


class TooLarge(PortalError):
    status = 413
    code = "too_large"


class UnsupportedMedia(PortalError):
    status = 415
    code = "unsupported_media"


class TooManyRequests(PortalError):
    status = 429
    code = "rate_limited"
