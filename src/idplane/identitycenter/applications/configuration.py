"""The rules of an application instance's SAML settings, beyond their shape (which the wire
models check): bindings, name-id and attribute formats from the SAML 2.0 specification, URLs,
ISO-8601 durations, `${user:...}` attribute sources. Each function takes the settings as plain
data and returns them as they are stored, or raises 400 IIC.400 naming the field."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from idplane.instances import errors
from idplane.platform.errors import Invalid

SAML = "urn:oasis:names:tc:SAML"
BINDINGS = {
    f"{SAML}:2.0:bindings:{name}"
    for name in (
        "HTTP-POST",
        "HTTP-Redirect",
        "HTTP-Artifact",
        "HTTP-POST-SimpleSign",
        "PAOS",
        "SOAP",
    )
}
NAME_ID_FORMATS = {
    f"{SAML}:1.1:nameid-format:{name}"
    for name in ("unspecified", "emailAddress", "X509SubjectName", "WindowsDomainQualifiedName")
} | {
    f"{SAML}:2.0:nameid-format:{name}"
    for name in ("persistent", "transient", "entity", "kerberos", "encrypted")
}
ATTRIBUTE_NAME_FORMATS = {
    f"{SAML}:2.0:attrname-format:{name}" for name in ("basic", "uri", "unspecified")
}
# What `${user:...}` may name in an attribute source.
USER_ATTRIBUTES = {
    "subject",
    "email",
    "name",
    "givenName",
    "familyName",
    "preferredUsername",
    "groups",
    "AD_GUID",
}
INCLUDE = {"YES", "NO"}
SUBJECT_INCLUDE = {"REQUIRED", "YES", "NO"}
DEFAULT_CERTIFICATE_TTL = "P5Y"
MIN_SESSION, MAX_SESSION = timedelta(minutes=15), timedelta(hours=12)
_REFERENCE = datetime(2001, 1, 1)

_DATE_DURATION = re.compile(r"^P(?:(\d{1,4})Y)?(?:(\d{1,5})M)?(?:(\d{1,6})D)?$")
_TIME_DURATION = re.compile(r"^PT(?:(\d{1,3})H)?(?:(\d{1,5})M)?(?:(\d{1,6})S)?$")
_PLACEHOLDER = re.compile(r"\$\{([^}]*)\}")


def invalid(field: str, problem: str) -> Invalid:
    return errors.invalid(f"{field} {problem}")


def service_provider_config(config: dict[str, Any]) -> dict[str, Any]:
    if not config["audience"].strip():
        raise invalid("service_provider_config.audience", "must not be empty")
    consumers = config["consumers"]
    if not consumers:
        raise invalid("service_provider_config.consumers", "must name at least one consumer")
    for index, consumer in enumerate(consumers):
        where = f"service_provider_config.consumers[{index}]"
        _check_binding(f"{where}.binding", consumer["binding"])
        _check_url(f"{where}.location", consumer["location"])
    if sum(1 for consumer in consumers if consumer["default_value"]) != 1:
        raise invalid("service_provider_config.consumers", "must have exactly one default_value")
    if config.get("start_url"):
        _check_url("service_provider_config.start_url", config["start_url"])
    config.setdefault("require_request_signature", False)
    return config


def security_config(config: dict[str, Any]) -> dict[str, Any]:
    certificate_validity(config["ttl"])
    return config


def response_config(config: dict[str, Any]) -> dict[str, Any]:
    _check_session(config["ttl"])
    sources = {f"properties.{name}": value for name, value in config.get("properties", {}).items()}
    if config.get("subject") is not None:
        sources["subject"] = config["subject"]
    for where, details in sources.items():
        if not details["source"]:
            raise invalid(f"response_config.{where}.source", "must name at least one source")
        for value in details["source"]:
            _check_source(f"response_config.{where}.source", value)
    return config


def response_schema_config(config: dict[str, Any]) -> dict[str, Any]:
    subject = config["subject"]
    _one_of(
        "response_schema_config.subject.name_id_format", subject["name_id_format"], NAME_ID_FORMATS
    )
    _one_of("response_schema_config.subject.include", subject["include"], SUBJECT_INCLUDE)
    for name, details in config.get("properties", {}).items():
        where = f"response_schema_config.properties.{name}"
        _one_of(f"{where}.attr_name_format", details["attr_name_format"], ATTRIBUTE_NAME_FORMATS)
        _one_of(f"{where}.include", details["include"], INCLUDE)
    supported = config.get("supported_name_id_formats") or []
    for value in supported:
        _one_of("response_schema_config.supported_name_id_formats", value, NAME_ID_FORMATS)
    if supported and subject["name_id_format"] not in supported:
        raise invalid(
            "response_schema_config.subject.name_id_format",
            "must be one of supported_name_id_formats",
        )
    return config


def certificate_validity(ttl: str):
    """`P5Y`, `P9M`, `P1Y6M`, `P90D` -> a function giving the expiry of a certificate issued
    at a moment (months are calendar months). One day to ten years."""
    match = _DATE_DURATION.match(ttl or "")
    if not match or not any(match.groups()):
        raise invalid("security_config.ttl", "must be an ISO-8601 duration such as P1Y or P6M")
    years, months, days = (int(part or 0) for part in match.groups())
    if years > 10 or months > 120 or days > 3653:  # surely too long; spares the date maths
        raise invalid("security_config.ttl", "must be between one day and ten years")

    def expiry(issued: datetime) -> datetime:
        return _add_months(issued, years * 12 + months) + timedelta(days=days)

    # Measured from a fixed day, so the rule does not depend on when it is checked.
    span = expiry(_REFERENCE) - _REFERENCE
    if not timedelta(days=1) <= span <= _add_months(_REFERENCE, 120) - _REFERENCE:
        raise invalid("security_config.ttl", "must be between one day and ten years")
    return expiry


def _add_months(moment: datetime, months: int) -> datetime:
    year, month = divmod(moment.month - 1 + months, 12)
    year += moment.year
    day = min(moment.day, _days_in(year, month + 1))
    return moment.replace(year=year, month=month + 1, day=day)


def _days_in(year: int, month: int) -> int:
    following = datetime(year + month // 12, month % 12 + 1, 1)
    return (following - timedelta(days=1)).day


def _check_session(ttl: str) -> None:
    match = _TIME_DURATION.match(ttl or "")
    if not match or not any(match.groups()):
        raise invalid("response_config.ttl", "must be an ISO-8601 duration such as PT1H")
    hours, minutes, seconds = (int(part or 0) for part in match.groups())
    if not MIN_SESSION <= timedelta(hours=hours, minutes=minutes, seconds=seconds) <= MAX_SESSION:
        raise invalid("response_config.ttl", "must be between 15 minutes and 12 hours")


def _check_source(field: str, value: str) -> None:
    if not value.strip():
        raise invalid(field, "must not be empty")
    for name in _PLACEHOLDER.findall(value):
        kind, _, attribute = name.partition(":")
        if kind != "user" or attribute not in USER_ATTRIBUTES:
            known = ", ".join(f"${{user:{a}}}" for a in sorted(USER_ATTRIBUTES))
            raise invalid(field, f"names an unknown attribute ${{{name}}} (known: {known})")


def _check_binding(field: str, value: str) -> None:
    _one_of(field, value, BINDINGS)


def _check_url(field: str, value: str) -> None:
    try:
        parts = urlsplit(value)
    except ValueError:
        raise invalid(field, "must be an absolute http(s) URL") from None
    if parts.scheme not in ("https", "http") or not parts.netloc:
        raise invalid(field, "must be an absolute http(s) URL")


def _one_of(field: str, value: str, allowed: set[str]) -> None:
    if value not in allowed:
        raise invalid(field, f"must be one of {', '.join(sorted(allowed))}")
