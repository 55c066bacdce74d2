"""The field rules of Huawei's OpenID Connect identity provider configuration.

`access_mode` decides which fields exist: `program` (programmatic access only) takes the
issuer, client id and signing key; `program_console` (programmatic and console access) also
needs the browser-flow fields, which `program` must not carry ("not selectable"). Lengths and
the scope grammar are Huawei's: 1-10 space-separated scopes of [A-Za-z0-9_], one of them
`openid`, at most 255 characters.
"""

from __future__ import annotations

import re
from typing import Any, NoReturn

from idplane.platform import jsonbody
from idplane.platform.errors import Invalid

PARAM_INVALID = "IAM.0007"
ACCESS_MODES = ("program", "program_console")
CONSOLE_FIELDS = ("authorization_endpoint", "scope", "response_type", "response_mode")
FIELDS = ("access_mode", "idp_url", "client_id", "signing_key", *CONSOLE_FIELDS)
RESPONSE_MODES = ("form_post", "fragment")
SCOPE_TOKEN = re.compile(r"^[A-Za-z0-9_]+$")
URL = re.compile(r"^https?://[^\s]+$")
MAX_SIGNING_KEY = 30000


def check_create(spec: dict[str, Any]) -> dict[str, Any]:
    """The complete configuration to store, from a create request's fields."""
    return _check({key: spec.get(key) for key in FIELDS}, given=spec)


def check_update(stored: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """The configuration after applying an update's fields to the stored one. Moving to
    `program` drops the stored console fields; naming any of them in the same request is an
    error."""
    merged = {**stored, **{k: v for k, v in changes.items() if v is not None}}
    if merged.get("access_mode") == "program":
        for key in CONSOLE_FIELDS:
            if changes.get(key) is None:
                merged[key] = None
    return _check(merged, given=changes)


def _check(config: dict[str, Any], given: dict[str, Any]) -> dict[str, Any]:
    mode = config.get("access_mode")
    if mode not in ACCESS_MODES:
        _fail("access_mode", f"must be one of {', '.join(ACCESS_MODES)}")
    _length(config, "idp_url", 10, 255, url=True)
    _length(config, "client_id", 5, 255)
    _signing_key(config.get("signing_key"))
    if mode == "program":
        extra = [key for key in CONSOLE_FIELDS if given.get(key) is not None]
        if extra:
            _fail(extra[0], "can only be set when access_mode is program_console")
        return {**config, **dict.fromkeys(CONSOLE_FIELDS)}
    _length(config, "authorization_endpoint", 10, 255, url=True)
    _scope(config.get("scope"))
    if config.get("response_type") != "id_token":
        _fail("response_type", "must be id_token")
    if config.get("response_mode") not in RESPONSE_MODES:
        _fail("response_mode", f"must be one of {', '.join(RESPONSE_MODES)}")
    return config


def _length(config: dict[str, Any], key: str, low: int, high: int, url: bool = False) -> None:
    value = config.get(key)
    if value is None:
        _fail(key, "is required")
    if not low <= len(value) <= high:
        _fail(key, f"must be {low} to {high} characters long")
    if url and not URL.match(value):
        _fail(key, "must be an http(s) URL")


def _scope(scope: str | None) -> None:
    if scope is None:
        _fail("scope", "is required")
    values = scope.split(" ")
    if len(scope) > 255 or not 1 <= len(values) <= 10:
        _fail("scope", "must be 1 to 10 space-separated values, at most 255 characters")
    if not all(SCOPE_TOKEN.match(value) for value in values):
        _fail("scope", "values may contain only letters, digits and underscores")
    if "openid" not in values:
        _fail("scope", "must include openid")


def _signing_key(key: str | None) -> None:
    if key is None:
        _fail("signing_key", "is required")
    if not 10 <= len(key) <= MAX_SIGNING_KEY:
        _fail("signing_key", f"must be 10 to {MAX_SIGNING_KEY} characters long")
    try:
        document = jsonbody.loads(key)
    except ValueError:
        _fail("signing_key", "must be a JSON Web Key Set")
    keys = document.get("keys") if isinstance(document, dict) else None
    if not isinstance(keys, list) or not keys:
        _fail("signing_key", "must be a JSON Web Key Set with at least one key")
    if not all(isinstance(jwk, dict) and isinstance(jwk.get("kty"), str) for jwk in keys):
        _fail("signing_key", "every key of the set needs a kty")


def _fail(key: str, problem: str) -> NoReturn:
    raise Invalid(f"openid_connect_config.{key} {problem}.", PARAM_INVALID)
