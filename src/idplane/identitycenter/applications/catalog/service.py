"""The application catalog: application providers, the applications of the catalog and the
templates application instances are made from.

The catalog is data, not code: one JSON file per catalog application in `../data/` (its
provider, its display data, its templates with their default SAML settings), read once when
the server starts. Lists are paged by position (the catalog does not change while the server
runs). Reading it is an Identity Center operation like any other: management account or
delegated administrator only.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from idplane.instances.errors import not_found
from idplane.instances.gate import IdentityCenterGate
from idplane.platform.auth.caller import Caller
from idplane.platform.db import Store
from idplane.platform.paging import Page, PageRequest, encode_marker

DATA = Path(__file__).resolve().parent.parent / "data"
SETTINGS = (
    "security_config",
    "service_provider_config",
    "response_config",
    "response_schema_config",
)


def provider_urn(provider_id: str) -> str:
    return f"IdentityCenter:::applicationProvider:{provider_id}"


@dataclass(frozen=True)
class Provider:
    application_provider_id: str
    display_name: str
    description: str
    icon_url: str
    federation_protocol: str

    @property
    def urn(self) -> str:
        return provider_urn(self.application_provider_id)


@dataclass(frozen=True)
class CatalogApplication:
    application_id: str
    display_name: str
    description: str
    icon: str
    application_type: str
    provider: Provider

    def display(self) -> dict[str, Any]:
        """ApplicationTemplateDisplayDto."""
        return {
            "application_id": self.application_id,
            "display": {
                "description": self.description,
                "display_name": self.display_name,
                "icon": self.icon,
            },
            "application_type": self.application_type,
        }


@dataclass(frozen=True)
class Template:
    template_id: str
    template_version: str
    sso_protocol: str
    application: CatalogApplication
    settings: dict[str, dict[str, Any]]  # the four SAML settings, as the API spells them

    def document(self) -> dict[str, Any]:
        """ApplicationTemplateDto: what list_application_templates answers and what an
        application instance keeps as its template."""
        return {
            "application": self.application.display(),
            "sso_protocol": self.sso_protocol,
            "template_id": self.template_id,
            "template_version": self.template_version,
            **json.loads(json.dumps(self.settings)),  # a copy nobody can alter
        }


class Catalog:
    def __init__(self, applications: list[CatalogApplication], templates: list[Template]):
        self.applications = applications
        self.templates = templates
        self.providers = list(
            {a.provider.application_provider_id: a.provider for a in applications}.values()
        )

    def provider(self, provider_id: str) -> Provider | None:
        return next((p for p in self.providers if p.application_provider_id == provider_id), None)

    def application(self, application_id: str) -> CatalogApplication | None:
        return next((a for a in self.applications if a.application_id == application_id), None)

    def template(self, template_id: str) -> Template | None:
        return next((t for t in self.templates if t.template_id == template_id), None)

    def templates_of(self, application: CatalogApplication) -> list[Template]:
        return [t for t in self.templates if t.application is application]


def load_catalog(directory: Path = DATA) -> Catalog:
    applications: list[CatalogApplication] = []
    templates: list[Template] = []
    for path in sorted(directory.glob("*.json")):
        entry = json.loads(path.read_text(encoding="utf-8"))
        application = CatalogApplication(
            **entry["application"], provider=Provider(**entry["provider"])
        )
        applications.append(application)
        for raw in entry["templates"]:
            settings = {name: raw[name] for name in SETTINGS}
            templates.append(
                Template(
                    raw["template_id"],
                    raw["template_version"],
                    raw["sso_protocol"],
                    application,
                    settings,
                )
            )
    return Catalog(applications, templates)


class CatalogService:
    def __init__(self, store: Store, gate: IdentityCenterGate, catalog: Catalog):
        self.store = store
        self.gate = gate
        self.catalog = catalog

    def list_application_providers(self, caller: Caller, paging: PageRequest) -> Page:
        self._admit(caller, "IdentityCenter:application:listApplicationProviders")
        return _static_page(self.catalog.providers, paging)

    def describe_application_provider(self, caller: Caller, provider_id: str) -> Provider:
        self._admit(caller, "IdentityCenter:application:describeApplicationProvider")
        provider = self.catalog.provider(provider_id)
        if provider is None:
            raise not_found("application provider", provider_id)
        return provider

    def list_catalog_applications(self, caller: Caller, paging: PageRequest) -> Page:
        self._admit(caller, "IdentityCenter:application:listCatalogApplications")
        return _static_page(self.catalog.applications, paging)

    def list_application_templates(self, caller: Caller, application_id: str) -> list[Template]:
        self._admit(caller, "IdentityCenter:application:listApplicationTemplates")
        application = self.catalog.application(application_id)
        if application is None:
            raise not_found("application", application_id)
        return self.catalog.templates_of(application)

    def _admit(self, caller: Caller, action: str) -> None:
        with self.gate.organization_unit(caller, action):
            pass


def _static_page(items: list[Any], request: PageRequest) -> Page:
    """A page of a list that never changes while the server runs: the marker is a position."""
    start = request.after or 0
    rows = items[start : start + request.limit]
    more = start + request.limit < len(items)
    return Page(rows, encode_marker(start + len(rows)) if more else None)
