"""A truthful OpenAPI document: the errors each operation really answers, in its path's
envelope (never FastAPI's 422, which the error handlers turn into the envelope's 400), the
security schemes it accepts (AK/SK signing, `X-Auth-Token`, SCIM bearer tokens), empty bodies
declared empty and SCIM's `application/scim+json`. Built once, when first asked for."""

from __future__ import annotations

import ast
import inspect
import textwrap
from collections.abc import Iterator
from functools import cache
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute, iter_route_contexts

from idplane.platform.auth.caller import CredentialKind
from idplane.platform.errors import Invalid, ScimEnvelope
from idplane.platform.routing import app_routes
from idplane.platform.web import EnvelopeRoutes

SCIM_MEDIA = "application/scim+json"
SCHEMES = {
    "AkSk": {
        "type": "apiKey",
        "in": "header",
        "name": "Authorization",
        "description": "SDK-HMAC-SHA256 signature with an access key (and X-Sdk-Date); "
        "temporary credentials add X-Security-Token. See the Huawei Cloud SDK signer.",
    },
    "XAuthToken": {
        "type": "apiKey",
        "in": "header",
        "name": "X-Auth-Token",
        "description": "A token from POST /v3/auth/tokens (X-Subject-Token).",
    },
    "ScimBearer": {
        "type": "http",
        "scheme": "bearer",
        "description": "A bearer token of the identity store's provisioning tenant.",
    },
}
SCHEME_OF_KIND = {
    CredentialKind.ACCESS_KEY: "AkSk",
    CredentialKind.TEMPORARY: "AkSk",
    CredentialKind.TOKEN: "XAuthToken",
}
DESCRIPTIONS = {
    400: "The request is malformed or breaks a documented constraint",
    401: "No valid credential",
    403: "The caller is not allowed to do this",
    404: "The resource does not exist",
    409: "The request conflicts with the resource's state",
    413: "The request body exceeds 1 MiB",
}


def install_truthful_openapi(app: FastAPI, envelopes: EnvelopeRoutes) -> None:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = get_openapi(
                title=app.title,
                version=app.version,
                description=app.description,
                routes=app_routes(app),
            )
            refine(document, app, envelopes)
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def refine(document: dict[str, Any], app: FastAPI, envelopes: EnvelopeRoutes) -> None:
    components = document.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    components["securitySchemes"] = SCHEMES
    for context in iter_route_contexts(app_routes(app)):
        route = context.original_route
        if not isinstance(route, APIRoute) or not route.include_in_schema:
            continue
        path = context.path or route.path
        # The route's router names its envelope; the path table answers for the others.
        envelope = getattr(route, "envelope", None) or envelopes.for_path(path)
        is_scim = isinstance(envelope, ScimEnvelope)
        error_schema = _envelope_schema(schemas, envelope)
        for method in context.methods or ():
            operation = document["paths"].get(path, {}).get(method.lower())
            if operation is None:
                continue
            security = _security(route.dependant, is_scim)
            if security:
                operation["security"] = security
            _declare_errors(operation, path, method, bool(security), error_schema, is_scim)
            if _answers_empty(route.endpoint):
                _drop_success_bodies(operation)
            if is_scim:
                _as_scim_media(operation)
    for unused in ("HTTPValidationError", "ValidationError"):
        schemas.pop(unused, None)


def _walk(dependant: Dependant) -> Iterator[Any]:
    for dependency in dependant.dependencies:
        yield dependency.call
        yield from _walk(dependency)


def _security(dependant: Dependant, is_scim: bool) -> list[dict[str, list]]:
    """One alternative per accepted scheme (OpenAPI: entries of the list are OR-ed)."""
    names: list[str] = []
    for call in _walk(dependant):
        for kind in getattr(call, "accepts", ()):
            name = SCHEME_OF_KIND.get(kind)
            if name and name not in names:
                names.append(name)
    if is_scim and any(getattr(call, "__name__", "") == "tenant" for call in _walk(dependant)):
        names.append("ScimBearer")
    return [{name: []} for name in names]


def _declare_errors(
    operation: dict[str, Any],
    path: str,
    method: str,
    authenticated: bool,
    error_schema: dict[str, str],
    is_scim: bool,
) -> None:
    responses = operation["responses"]
    responses.pop("422", None)
    statuses = []
    takes_input = bool(operation.get("parameters") or operation.get("requestBody"))
    if takes_input or method in ("POST", "DELETE"):  # a state precondition is a 400 too
        statuses.append(400)
    if authenticated:
        statuses += [401, 403]
    elif method == "POST" or takes_input:  # sign-in and portal operations check a credential
        statuses.append(401)
    if "{" in path or takes_input or authenticated:  # resources named in the query or body too
        statuses.append(404)
    if method in ("POST", "PUT", "PATCH"):
        statuses += [409, 413]
    media = SCIM_MEDIA if is_scim else "application/json"
    for status in statuses:
        responses.setdefault(
            str(status),
            {"description": DESCRIPTIONS[status], "content": {media: {"schema": error_schema}}},
        )


def _drop_success_bodies(operation: dict[str, Any]) -> None:
    for status, response in operation["responses"].items():
        if status.startswith("2"):
            response.pop("content", None)


def _as_scim_media(operation: dict[str, Any]) -> None:
    holders = [operation.get("requestBody", {})]
    holders += [r for s, r in operation["responses"].items() if s.startswith("2")]
    for holder in holders:
        content = holder.get("content")
        if content and "application/json" in content:
            content[SCIM_MEDIA] = content.pop("application/json")


@cache
def _answers_empty(endpoint: Any) -> bool:
    """True when every `return` of the handler is `empty(...)`: the operation has no body."""
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(endpoint)))
    except (OSError, TypeError, SyntaxError):
        return False
    returns = [node for node in ast.walk(tree) if isinstance(node, ast.Return)]
    return bool(returns) and all(
        isinstance(r.value, ast.Call)
        and isinstance(r.value.func, ast.Name)
        and r.value.func.id == "empty"
        for r in returns
    )


def _envelope_schema(schemas: dict[str, Any], envelope: Any) -> dict[str, str]:
    """The envelope's error body as a component schema, described from what it renders."""
    name = type(envelope).__name__.replace("Envelope", "") + "Error"
    if name not in schemas:
        sample = envelope.render(Invalid("The request is invalid.", "CODE.0000"), "0" * 32).body
        schemas[name] = {**_schema_of(sample), "title": name}
    return {"$ref": f"#/components/schemas/{name}"}


def _schema_of(value: Any) -> dict[str, Any]:
    if isinstance(value, dict):
        return {
            "type": "object",
            "properties": {key: _schema_of(item) for key, item in value.items()},
        }
    if isinstance(value, list):
        return {"type": "array", "items": _schema_of(value[0]) if value else {}}
    if isinstance(value, bool):
        return {"type": "boolean"}
    if isinstance(value, int):
        return {"type": "integer"}
    return {"type": "string"}
