"""HTTP routes of the SCIM endpoint `/{tenant_id}/scim/v2/`, a thin adapter over ScimService.

- Every request (discovery included) needs `Authorization: Bearer <token>` with a live token
  of that very tenant; anything else is 401 in the SCIM error envelope.
- Request bodies are JSON sent as `application/scim+json` or `application/json` (or without a
  Content-Type); malformed JSON is 400 `invalidSyntax`, another media type 415.
- Responses are `application/scim+json`. A single resource carries `ETag` (its
  `meta.version`), a creation `Location` too. `If-Match` on PUT/PATCH/DELETE (412 on a
  mismatch), `If-None-Match` on GET (304 when it still matches).
- Query parameter names are matched case-insensitively (`startindex`, `sortBy`...).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response

from idplane.identitystore.provisioning.service import ScimTenant
from idplane.platform import jsonbody
from idplane.platform.auth.caller import Caller, CredentialKind
from idplane.platform.errors import ApiError, Invalid, ScimEnvelope, Unsupported
from idplane.platform.routing import api_router
from idplane.platform.web import empty
from idplane.scim.endpoint.kinds import etag, matches_etag
from idplane.scim.endpoint.query import ListRequest, View
from idplane.scim.endpoint.service import ScimService, Shown
from idplane.scim.values import get

BASE = "/{tenant_id}/scim/v2"
SCIM_JSON = "application/scim+json"
JSON_TYPES = (SCIM_JSON, "application/json")
SEARCH_REQUEST = "urn:ietf:params:scim:api:messages:2.0:SearchRequest"


class ScimJSON(JSONResponse):
    media_type = SCIM_JSON


async def json_body(request: Request) -> Any:
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media and media not in JSON_TYPES:
        raise Unsupported(f"Send the body as {SCIM_JSON} or application/json, not {media}.")
    raw = await request.body()
    try:
        return jsonbody.loads(raw)
    except ValueError as error:
        reason = getattr(error, "reason", None) or "it does not parse"
        scim_type = "invalidValue" if getattr(error, "bad_value", False) else "invalidSyntax"
        raise Invalid(
            f"The request body is not valid JSON: {reason}.", scim_type=scim_type
        ) from None


def create_router(service: ScimService) -> APIRouter:
    router = api_router(envelope=ScimEnvelope(), tags=["scim"])

    def tenant(tenant_id: str, request: Request) -> ScimTenant:
        found = service.authenticate(tenant_id, _bearer(request.headers.get("authorization")))
        request.state.caller = _caller(found)
        return found

    auth, parsed = Depends(tenant), Depends(json_body)  # authentication first, then the body

    @router.get(f"{BASE}/ServiceProviderConfig")
    def service_provider_config(t: ScimTenant = auth) -> Response:
        return ScimJSON(service.service_provider_config(t))

    @router.get(f"{BASE}/Schemas")
    def list_schemas(t: ScimTenant = auth) -> Response:
        return ScimJSON(service.list_schemas(t))

    @router.get(f"{BASE}/Schemas/{{schema_id}}")
    def get_schema(schema_id: str, t: ScimTenant = auth) -> Response:
        return ScimJSON(service.get_schema(t, schema_id))

    @router.get(f"{BASE}/ResourceTypes")
    def list_resource_types(t: ScimTenant = auth) -> Response:
        return ScimJSON(service.list_resource_types(t))

    @router.get(f"{BASE}/ResourceTypes/{{type_id}}")
    def get_resource_type(type_id: str, t: ScimTenant = auth) -> Response:
        return ScimJSON(service.get_resource_type(t, type_id))

    @router.post(f"{BASE}/.search")
    def search_everything(t: ScimTenant = auth) -> Response:
        raise ApiError("Search across resource types is not supported.", status=501)

    # Users ----------------------------------------------------------------------------------

    @router.post(f"{BASE}/Users")
    def create_user(request: Request, t: ScimTenant = auth, body: Any = parsed) -> Response:
        return _created(service.create_user(t, body, _view(request)))

    @router.get(f"{BASE}/Users")
    def list_users(request: Request, t: ScimTenant = auth) -> Response:
        return ScimJSON(service.list_users(t, _listing(request)))

    @router.post(f"{BASE}/Users/.search")
    def search_users(t: ScimTenant = auth, body: Any = parsed) -> Response:
        return ScimJSON(service.list_users(t, _search(body)))

    @router.get(f"{BASE}/Users/{{user_id}}")
    def get_user(user_id: str, request: Request, t: ScimTenant = auth) -> Response:
        return _fresh(service.get_user(t, user_id, _view(request)), request)

    @router.put(f"{BASE}/Users/{{user_id}}")
    def put_user(
        user_id: str, request: Request, t: ScimTenant = auth, body: Any = parsed
    ) -> Response:
        return _shown(service.put_user(t, user_id, body, _view(request), _if_match(request)))

    @router.patch(f"{BASE}/Users/{{user_id}}")
    def patch_user(
        user_id: str, request: Request, t: ScimTenant = auth, body: Any = parsed
    ) -> Response:
        return _shown(service.patch_user(t, user_id, body, _view(request), _if_match(request)))

    @router.delete(f"{BASE}/Users/{{user_id}}")
    def delete_user(user_id: str, request: Request, t: ScimTenant = auth) -> Response:
        service.delete_user(t, user_id, _if_match(request))
        return empty(204)

    # Groups ---------------------------------------------------------------------------------

    @router.post(f"{BASE}/Groups")
    def create_group(request: Request, t: ScimTenant = auth, body: Any = parsed) -> Response:
        return _created(service.create_group(t, body, _view(request)))

    @router.get(f"{BASE}/Groups")
    def list_groups(request: Request, t: ScimTenant = auth) -> Response:
        return ScimJSON(service.list_groups(t, _listing(request)))

    @router.post(f"{BASE}/Groups/.search")
    def search_groups(t: ScimTenant = auth, body: Any = parsed) -> Response:
        return ScimJSON(service.list_groups(t, _search(body)))

    @router.get(f"{BASE}/Groups/{{group_id}}")
    def get_group(group_id: str, request: Request, t: ScimTenant = auth) -> Response:
        return _fresh(service.get_group(t, group_id, _view(request)), request)

    @router.put(f"{BASE}/Groups/{{group_id}}")
    def put_group(
        group_id: str, request: Request, t: ScimTenant = auth, body: Any = parsed
    ) -> Response:
        return _shown(service.put_group(t, group_id, body, _view(request), _if_match(request)))

    @router.patch(f"{BASE}/Groups/{{group_id}}")
    def patch_group(
        group_id: str, request: Request, t: ScimTenant = auth, body: Any = parsed
    ) -> Response:
        return _shown(service.patch_group(t, group_id, body, _view(request), _if_match(request)))

    @router.delete(f"{BASE}/Groups/{{group_id}}")
    def delete_group(group_id: str, request: Request, t: ScimTenant = auth) -> Response:
        service.delete_group(t, group_id, _if_match(request))
        return empty(204)

    return router


def _bearer(header: str | None) -> str | None:
    scheme, _, token = (header or "").strip().partition(" ")
    if scheme.lower() != "bearer":
        return None
    return token.strip() or None


def _caller(tenant: ScimTenant) -> Caller:
    """Who the audit trail records: the tenant, in the account that owns the store."""
    return Caller(
        account_id=tenant.account_id,
        account_name="",
        user_id=None,
        user_name=None,
        is_root=False,
        kind=CredentialKind.SCIM_BEARER,
        credential_id=tenant.tenant_id,
    )


def _params(request: Request) -> dict[str, str]:
    return {key.lower(): value for key, value in request.query_params.items()}


def _view(request: Request) -> View:
    params = _params(request)
    return View(params.get("attributes"), params.get("excludedattributes"))


def _listing(request: Request) -> ListRequest:
    params = _params(request)
    return ListRequest(
        filter=params.get("filter"),
        start_index=params.get("startindex"),
        count=params.get("count"),
        sort_by=params.get("sortby"),
        sort_order=params.get("sortorder"),
        view=_view(request),
    )


def _search(body: Any) -> ListRequest:
    """A SearchRequest body (RFC 7644 3.4.3) as a list request."""
    declared = get(body, "schemas") if isinstance(body, dict) else None
    if not isinstance(declared, list) or SEARCH_REQUEST.lower() not in map(_lower, declared):
        raise Invalid(f"'schemas' must be [\"{SEARCH_REQUEST}\"].", scim_type="invalidSyntax")
    text = get(body, "filter")
    if text is not None and not isinstance(text, str):
        raise Invalid("'filter' must be a string.", scim_type="invalidFilter")
    return ListRequest(
        filter=text,
        start_index=get(body, "startIndex"),
        count=get(body, "count"),
        sort_by=get(body, "sortBy"),
        sort_order=get(body, "sortOrder"),
        view=View(get(body, "attributes"), get(body, "excludedAttributes")),
    )


def _lower(item: Any) -> str:
    return str(item).lower()


def _if_match(request: Request) -> str | None:
    return request.headers.get("if-match")


def _shown(shown: Shown, status: int = 200) -> Response:
    headers = {"ETag": etag(shown.version)}
    if status == 201:
        headers["Location"] = shown.location
    return ScimJSON(shown.body, status_code=status, headers=headers)


def _created(shown: Shown) -> Response:
    return _shown(shown, 201)


def _fresh(shown: Shown, request: Request) -> Response:
    """304 when the client's copy (If-None-Match) is still the current version."""
    cached = request.headers.get("if-none-match")
    if cached is not None and matches_etag(cached, shown.version):
        return Response(status_code=304, headers={"ETag": etag(shown.version)})
    return _shown(shown)
