"""`attributes` / `excludedAttributes` (RFC 7644 section 3.4.2.5) applied to a resource dict.

Names are comma-separated, case-insensitive, may name a sub-attribute (`name.givenName`,
`emails.value`), be URN-qualified, or name a whole extension by its URN. Each attribute's
`returned` rule wins over the request: `always` (id, schemas) cannot be left out, `never` is
never shown, `request` only when asked for by name. Names the schema does not know are ignored,
as a client may ask for attributes a service provider does not have.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from idplane.platform.errors import Invalid
from idplane.scim.schemas import Attribute, ResourceSchema

Selection = set[tuple[str | None, str | None, str | None]]  # (extension, attribute, sub), lower


def project(
    resource: dict[str, Any],
    schema: ResourceSchema,
    attributes: str | list[str] | None = None,
    excluded_attributes: str | list[str] | None = None,
) -> dict[str, Any]:
    """A copy of `resource` holding what the client asked to see."""
    wanted = selection(attributes, schema)
    unwanted = selection(excluded_attributes, schema)
    if wanted is not None and unwanted is not None:
        raise Invalid(
            "attributes and excludedAttributes cannot be used together.", scim_type="invalidValue"
        )
    return _Projector(schema, wanted, unwanted or set()).container(resource, None)


def selection(names: str | list[str] | None, schema: ResourceSchema) -> Selection | None:
    """The parsed parameter, or None when it is absent or empty."""
    if names is None:
        return None
    items = names if isinstance(names, list) else [names]
    out: Selection = set()
    for part in (p.strip() for item in items for p in str(item).split(",")):
        if not part:
            continue
        extension = schema.extension_urn(part)
        if extension is not None:
            out.add((extension, None, None))
            continue
        try:
            ref = schema.resolve(part, "invalidValue")
        except Invalid:
            continue
        sub = ref.sub.name.lower() if ref.sub else None
        out.add((ref.extension, ref.attribute.name.lower(), sub))
    return out or None


class _Projector:
    def __init__(self, schema: ResourceSchema, wanted: Selection | None, unwanted: Selection):
        self.schema, self.wanted, self.unwanted = schema, wanted, unwanted

    def container(self, holder: dict[str, Any], extension: str | None) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in holder.items():
            if extension is None and key.lower() == "schemas":
                out[key] = value
                continue
            nested = self.schema.extension_urn(key) if extension is None else None
            if nested is not None:
                kept = self.extension(nested, value)
            else:
                attribute = self.schema.attribute(key, extension)
                kept = (
                    self.attribute(attribute, value, extension)
                    if attribute is not None
                    else (value if self.wanted is None else None)
                )
            if kept is not None:
                out[key] = kept
        return out

    def extension(self, urn: str, value: Any) -> dict[str, Any] | None:
        if not isinstance(value, dict) or (urn, None, None) in self.unwanted:
            return None
        return self.container(value, urn) or None

    def attribute(self, attribute: Attribute, value: Any, extension: str | None) -> Any:
        if attribute.returned == "never":
            return None
        if attribute.returned == "always":
            return value
        name = attribute.name.lower()
        if self.wanted is not None:
            if (extension, None, None) in self.wanted or (extension, name, None) in self.wanted:
                return _subs(attribute, value, lambda sub: sub is None or sub.returned != "never")
            asked = {s for e, n, s in self.wanted if e == extension and n == name and s}
            if not asked:
                return None
            return _subs(attribute, value, lambda sub: _shown(sub, asked, requesting=True))
        if attribute.returned == "request" or (extension, name, None) in self.unwanted:
            return None
        hidden = {s for e, n, s in self.unwanted if e == extension and n == name and s}
        return _subs(attribute, value, lambda sub: _shown(sub, hidden, requesting=False))


def _shown(sub: Attribute | None, names: set[str], requesting: bool) -> bool:
    """Whether a sub-attribute appears; `names` are the ones asked for (or excluded)."""
    if sub is None:  # a key the schema does not define: only when not picking sub-attributes
        return not requesting
    if sub.returned in ("always", "never"):
        return sub.returned == "always"
    named = sub.name.lower() in names
    if requesting:
        return named
    return not named and sub.returned == "default"


def _subs(attribute: Attribute, value: Any, keep: Callable[[Attribute | None], bool]) -> Any:
    if not attribute.is_complex:
        return value

    def one(element: Any) -> Any:
        if not isinstance(element, dict):
            return element
        out = {}
        for key, item in element.items():
            if keep(attribute.sub(key)):
                out[key] = item
        return out or None

    if isinstance(value, list):
        kept = [e for e in (one(e) for e in value) if e is not None]
        return kept or None
    return one(value)
