"""Policy `Condition` blocks, evaluated against a request's condition keys.

`{"StringEquals": {"g:PrincipalAccount": ["..."]}}`: every operator must hold, and within an
operator every key. Operators as IAM documents them (String*, Number*, Date*, Bool, IpAddress,
Null, IsNullOrEmpty), with `ForAnyValue:`/`ForAllValues:` prefixes and an `IfExists` suffix.
Keys compare case-insensitively; values of the request are tuples of strings.

A condition this module cannot judge (an unknown operator, or a key idplane never supplies)
is reported as `None`, so the caller can fail closed: such an Allow grants nothing and such a
Deny denies.
"""

from __future__ import annotations

import fnmatch
import ipaddress
import re
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

Values = tuple[str, ...]

# Keys idplane supplies (lower case); `.../` entries are prefixes for tag keys.
KNOWN_KEYS = (
    "g:currenttime",
    "g:epochtime",
    "g:principalaccount",
    "g:domainid",
    "g:domainname",
    "g:principalurn",
    "g:principalid",
    "g:principaltype",
    "g:principalisrootuser",
    "g:userid",
    "g:username",
    "g:sourceidentity",
    "g:mfapresent",
    "g:sourceip",
    "g:securetransport",
    "g:tagkeys",
    "g:requesttag/",
    "g:principaltag/",
    "g:sourceaccount",
    "g:sourceurn",
    "sts:externalid",
    "sts:sourceidentity",
    "sts:agencysessionname",
    "sts:transitivetagkeys",
)


def is_known(key: str) -> bool:
    key = key.lower()
    return any(key == k or (k.endswith("/") and key.startswith(k)) for k in KNOWN_KEYS)


def _number(text: str) -> float:
    return float(text)


def _date(text: str) -> datetime:
    if re.fullmatch(r"\d+(\.\d+)?", text):
        return datetime.fromtimestamp(float(text), UTC)
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _ip(value: str, network: str) -> bool:
    return ipaddress.ip_address(value) in ipaddress.ip_network(network, strict=False)


def _cmp(convert: Callable[[str], Any], test: Callable[[Any, Any], bool]):
    return lambda value, wanted: test(convert(value), convert(wanted))


# name (lower case) -> (test(request value, condition value), negated)
OPERATORS: dict[str, tuple[Callable[[str, str], bool], bool]] = {
    "stringequals": (lambda v, w: v == w, False),
    "stringnotequals": (lambda v, w: v == w, True),
    "stringequalsignorecase": (lambda v, w: v.lower() == w.lower(), False),
    "stringnotequalsignorecase": (lambda v, w: v.lower() == w.lower(), True),
    "stringlike": (lambda v, w: fnmatch.fnmatchcase(v, w), False),
    "stringnotlike": (lambda v, w: fnmatch.fnmatchcase(v, w), True),
    "stringmatch": (lambda v, w: re.fullmatch(w, v) is not None, False),
    "stringnotmatch": (lambda v, w: re.fullmatch(w, v) is not None, True),
    "stringstartwith": (lambda v, w: v.startswith(w), False),
    "stringendwith": (lambda v, w: v.endswith(w), False),
    "numberequals": (_cmp(_number, lambda a, b: a == b), False),
    "numbernotequals": (_cmp(_number, lambda a, b: a == b), True),
    "numberlessthan": (_cmp(_number, lambda a, b: a < b), False),
    "numberlessthanequals": (_cmp(_number, lambda a, b: a <= b), False),
    "numbergreaterthan": (_cmp(_number, lambda a, b: a > b), False),
    "numbergreaterthanequals": (_cmp(_number, lambda a, b: a >= b), False),
    "dateequals": (_cmp(_date, lambda a, b: a == b), False),
    "datenotequals": (_cmp(_date, lambda a, b: a == b), True),
    "datelessthan": (_cmp(_date, lambda a, b: a < b), False),
    "datelessthanequals": (_cmp(_date, lambda a, b: a <= b), False),
    "dategreaterthan": (_cmp(_date, lambda a, b: a > b), False),
    "dategreaterthanequals": (_cmp(_date, lambda a, b: a >= b), False),
    "bool": (lambda v, w: v.lower() == w.lower(), False),
    "ipaddress": (_ip, False),
    "notipaddress": (_ip, True),
}


def conditions_hold(block: Mapping[str, object], context: Mapping[str, Values]) -> bool | None:
    """True/False, or None when some part cannot be judged (see the module docstring)."""
    verdict: bool | None = True
    for operator, keys in block.items():
        if not isinstance(keys, Mapping):
            return None
        for key, wanted in keys.items():
            result = _holds(str(operator), str(key), _as_values(wanted), context)
            if result is False:
                return False
            if result is None:
                verdict = None
    return verdict


def _holds(operator: str, key: str, wanted: Values, context: Mapping[str, Values]) -> bool | None:
    name = operator.lower()
    qualifier = ""
    if ":" in name:
        qualifier, name = name.split(":", 1)
    if_exists = name.endswith("ifexists")
    name = name.removesuffix("ifexists")
    present = context.get(key.lower())
    if name in ("null", "isnullorempty"):
        absent = not present or (name == "isnullorempty" and all(v == "" for v in present))
        return absent == (wanted[:1] == ("true",))
    if name not in OPERATORS or qualifier not in ("", "foranyvalue", "forallvalues"):
        return None
    if present is None:
        if not is_known(key):
            return None
        return if_exists or (qualifier == "forallvalues")
    test, negated = OPERATORS[name]
    try:
        hits = [any(test(value, w) for w in wanted) for value in present]
    except (ValueError, TypeError, re.error):
        return False
    if qualifier == "forallvalues":
        return all(not h for h in hits) if negated else all(hits)
    return not any(hits) if negated else any(hits)


def _as_values(wanted: object) -> Values:
    items = wanted if isinstance(wanted, list | tuple) else [wanted]
    return tuple(str(v).lower() if isinstance(v, bool) else str(v) for v in items)
