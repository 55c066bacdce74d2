"""A throwaway SCIM server over the protocol core: a stdlib WSGI app storing dicts in memory.

It exists so scim2-tester can drive the core exactly as it drives a real server, and it shows
how thin the web adapter is meant to be: parse, one core call, render. The real endpoint keeps
Identity Store rows instead of dicts and pushes filters down with `filters_sql`.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs

from idplane.platform.errors import ApiError, Conflict, NotFound, ScimEnvelope
from idplane.scim.filters import parse_filter
from idplane.scim.listing import list_response, page, page_of, parse_sort, sort_resources
from idplane.scim.patch import apply_patch, operations_of
from idplane.scim.projection import project
from idplane.scim.schemas import Catalog
from idplane.scim.values import get, normalize_resource
from tests.scim.unit.filtering import filter_resources

ENDPOINTS = {"Users": ("User", "userName"), "Groups": ("Group", "displayName")}


class MemoryScim:
    def __init__(self, catalog: Catalog, base_url: str):
        self.catalog, self.base = catalog, base_url.rstrip("/")
        self.prefix = "/" + self.base.split("://", 1)[1].split("/", 1)[1]
        self.store: dict[str, dict[str, dict[str, Any]]] = {name: {} for name in ENDPOINTS}

    def __call__(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        size = int(environ.get("CONTENT_LENGTH") or 0)
        raw = environ["wsgi.input"].read(size) if size else b""
        query = {k: v[-1] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
        path = environ["PATH_INFO"].removeprefix(self.prefix).strip("/")
        try:
            body = json.loads(raw) if raw else None
            status, payload = self.route(environ["REQUEST_METHOD"], path.split("/"), query, body)
        except ApiError as error:
            rendered = ScimEnvelope().render(error, "test")
            status, payload = rendered.status, rendered.body
        start_response(f"{status} -", [("Content-Type", "application/scim+json")])
        return [] if payload is None else [json.dumps(payload).encode()]

    def route(self, method: str, parts: list[str], query: dict, body: Any) -> tuple[int, Any]:
        head, rest = parts[0], parts[1:]
        if head in ("ServiceProviderConfig", "Schemas", "ResourceTypes") and method != "GET":
            raise ApiError(f"{method} is not allowed here.", status=405)
        if head == "ServiceProviderConfig" and not rest:
            return 200, self.catalog.service_provider_config(self.base)
        if head in ("Schemas", "ResourceTypes") and len(rest) <= 1:
            return 200, self.discovery(head, rest)
        if head == ".search":
            raise ApiError("Searching every resource type at once is not supported.", status=501)
        if head not in ENDPOINTS or len(rest) > 1:
            raise NotFound(f"No such endpoint: {'/'.join(parts)}")
        if not rest:
            if method == "GET":
                return 200, self.list(head, query)
            if method == "POST":
                return 201, self.create(head, body, query)
        elif method == "GET":
            return 200, self.shown(head, self.find(head, rest[0]), query)
        elif method == "PUT":
            return 200, self.replace(head, rest[0], body, query)
        elif method == "PATCH":
            return 200, self.patch(head, rest[0], body, query)
        elif method == "DELETE":
            self.find(head, rest[0])
            del self.store[head][rest[0]]
            return 204, None
        raise ApiError(f"{method} is not allowed here.", status=405)

    def discovery(self, head: str, rest: list[str]) -> dict[str, Any]:
        if head == "Schemas":
            docs = self.catalog.schema_documents(self.base)
            one = self.catalog.schema_document
        else:
            docs = self.catalog.resource_type_documents(self.base)
            one = self.catalog.resource_type_document
        return one(rest[0], self.base) if rest else list_response(docs, len(docs), 1)

    def schema(self, head: str):
        return self.catalog.resource(ENDPOINTS[head][0])

    def find(self, head: str, rid: str) -> dict[str, Any]:
        if rid not in self.store[head]:
            raise NotFound(f"{ENDPOINTS[head][0]} {rid} not found.")
        return self.store[head][rid]

    def shown(self, head: str, resource: dict, query: dict) -> dict[str, Any]:
        schema = self.schema(head)
        return project(resource, schema, query.get("attributes"), query.get("excludedAttributes"))

    def list(self, head: str, query: dict) -> dict[str, Any]:
        schema = self.schema(head)
        expr = parse_filter(query["filter"], schema) if "filter" in query else None
        found = filter_resources(expr, list(self.store[head].values()))
        found = sort_resources(
            found, parse_sort(query.get("sortBy"), query.get("sortOrder"), schema)
        )
        window = page(query.get("startIndex"), query.get("count"), self.catalog.max_results)
        shown = [self.shown(head, r, query) for r in page_of(found, window)]
        return list_response(shown, len(found), window.start_index)

    def create(self, head: str, body: Any, query: dict) -> dict[str, Any]:
        resource = normalize_resource(body, self.schema(head))
        rid = str(uuid.uuid4())
        self.check_unique(head, resource, rid)
        now = _now()
        resource.update(id=rid, meta={"resourceType": ENDPOINTS[head][0], "created": now})
        self.stamp(head, resource, now)
        return self.shown(head, resource, query)

    def replace(self, head: str, rid: str, body: Any, query: dict) -> dict[str, Any]:
        old = self.find(head, rid)
        resource = normalize_resource(body, self.schema(head))
        self.check_unique(head, resource, rid)
        resource.update(id=rid, meta=dict(old["meta"]))
        self.stamp(head, resource, _now())
        return self.shown(head, resource, query)

    def patch(self, head: str, rid: str, body: Any, query: dict) -> dict[str, Any]:
        result = apply_patch(self.find(head, rid), operations_of(body), self.schema(head))
        if result.changed:
            self.check_unique(head, result.resource, rid)
            self.stamp(head, result.resource, _now())
        return self.shown(head, result.resource, query)

    def check_unique(self, head: str, resource: dict, rid: str) -> None:
        key = ENDPOINTS[head][1]
        wanted = str(get(resource, key)).lower()
        for other in self.store[head].values():
            if other["id"] != rid and str(other[key]).lower() == wanted:
                raise Conflict(f"{key} {wanted} is taken.", scim_type="uniqueness")

    def stamp(self, head: str, resource: dict, now: str) -> None:
        rid = resource["id"]
        resource["meta"].update(
            lastModified=now,
            location=f"{self.base}/{head}/{rid}",
            version=f'W/"{uuid.uuid4().hex}"',
        )
        self.store[head][rid] = resource


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
