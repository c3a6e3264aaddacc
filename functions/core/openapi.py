"""Building blocks of the clinic APIs' OpenAPI 3.0 documents (booking and accounts): the one error
shape, the structured ids as patterns, the credential + X-Staff-Id security, and operations that
list every status the core can answer with. Pure data; each package composes its own document."""
from __future__ import annotations

ERROR = {"type": "object", "required": ["error", "message", "field"],
         "properties": {"error": {"type": "string"}, "message": {"type": "string"},
                        "field": {"type": "string", "nullable": True}}}

# Ids as the portal makes them, so generated values reach the logic instead of a 422 at the door.
ID = {"type": "string", "pattern": "^[A-Za-z0-9_-]{1,64}$"}  # clinic, staff, timebok, type, interval
PATIENT_ID = {"type": "string", "pattern": "^p(-[a-z0-9-]{1,40}|[0-9a-f]{16})$",
              "description": "opaque patient id: `p-kari` (demo) or `p` + 16 hex"}
REQUEST_ID = {"type": "string", "pattern": "^r[0-9a-f]{16}$", "description": "`r` + 16 hex"}
# A slot's start lies in the bookable years (2000-2099, as the server checks them); dates
# and instants elsewhere are `format: date`/`date-time` without bounds, so the range check is probed.
_UTC = "20[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]Z"
SLOT_ID = {"type": "string", "pattern": f"^[A-Za-z0-9_-]{{1,64}}~{_UTC}(~OB~[A-Za-z0-9_-]{{1,64}})?$",
           "description": "`<timebok id>~<start, ISO 8601 UTC>`, an overbooking adds `~OB~<appointment id>`"}
NATIONAL_ID = {"type": "string", "pattern": "^[0-9]{11}$",
               "description": "fødselsnummer or D-nummer (11 digits, checksums checked)"}
HHMM = {"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$"}
DAY = {"type": "string", "format": "date"}
INSTANT = {"type": "string", "format": "date-time"}
TEXT = {"type": "string"}
MAYBE_TEXT = {"type": "string", "nullable": True}

ERRORS = {400: "unreadable input (not JSON, not an object, a wrong type, nested too deep)",
          401: "missing or bad credential", 403: "unknown or inactive staff member (X-Staff-Id)",
          404: "not found, or not this clinic's", 409: "conflict", 413: "request body too large",
          415: "body is not application/json", 422: "invalid field (named in `field`)",
          429: "rate limited (per credential)", 503: "busy: try again after Retry-After seconds"}
READ = (401, 403, 404, 422, 429, 503)                    # a GET: no body, only the auth and its parameters
WRITE = (400, 401, 403, 404, 409, 413, 415, 422, 429, 503)  # a call with a JSON body


def obj(props: dict, required: tuple[str, ...] = ()) -> dict:
    """A request object: only these properties, the named ones required."""
    body: dict = {"type": "object", "additionalProperties": False, "properties": props}
    if required:
        body["required"] = list(required)
    return body


def record(props: dict) -> dict:
    """An answer object: every property always present, nothing else."""
    return obj(props, tuple(props))


def array(items: dict, **limits: int) -> dict:
    return {"type": "array", "items": items, **limits}


def op(summary: str, answer: dict, body: dict | None = None, params: tuple = (), ok: int = 200,
       errors: tuple[int, ...] | None = None) -> dict:
    codes = errors or (WRITE if body else READ)
    operation = {"summary": summary, "security": [{"clinicKey": [], "staff": []}],
                 "parameters": [dict(p) for p in params],  # own copies: a parameter may be reused
                 "responses": {str(ok): {"description": "OK", "content": {"application/json": {"schema": answer}}},
                               **{str(code): {"description": ERRORS[code],
                                              "content": {"application/json": {"schema": ERROR}}}
                                  for code in codes}}}
    if body:
        operation["requestBody"] = {"required": True, "content": {"application/json": {"schema": body}}}
    return operation


def path_param(name: str, schema: dict) -> dict:
    return {"name": name, "in": "path", "required": True, "schema": schema}


def query_param(name: str, schema: dict, required: bool = False) -> dict:
    return {"name": name, "in": "query", "required": required, "schema": schema}


def document(title: str, paths: dict) -> dict:
    return {
        "openapi": "3.0.3",
        "info": {"title": title, "version": "1.0",
                 "description": "Every call names a clinic credential (HTTP Basic: key id and secret) and the "
                                "acting staff member (X-Staff-Id). A credential reaches only its own clinic. "
                                "Errors are `{\"error\", \"message\", \"field\"}` in the Accept-Language."},
        "components": {"securitySchemes": {"clinicKey": {"type": "http", "scheme": "basic"},
                                           "staff": {"type": "apiKey", "in": "header", "name": "X-Staff-Id"}}},
        "paths": paths,
    }
