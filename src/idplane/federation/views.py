"""Wire shapes of the federation objects: Keystone's bodies with `links`, plus Huawei's
`sso_type`. Links are absolute, built on the server's public endpoint."""

from __future__ import annotations

from urllib.parse import urlencode

from idplane.federation.records import Listing, MappingRecord, ProtocolRecord, ProviderRecord

FEDERATION = "/v3/OS-FEDERATION"


class FederationViews:
    def __init__(self, endpoint: str):
        self.base = f"{endpoint.rstrip('/')}{FEDERATION}"

    def provider_url(self, idp_id: str) -> str:
        return f"{self.base}/identity_providers/{idp_id}"

    def identity_provider(self, record: ProviderRecord) -> dict:
        url = self.provider_url(record.id)
        return _without_nulls(
            {
                "id": record.id,
                "sso_type": record.sso_type,
                "description": record.description,
                "enabled": record.enabled,
                "remote_ids": record.remote_ids,
                "domain_id": record.domain_id,
                "authorization_ttl": record.authorization_ttl,
                "links": {"self": url, "protocols": f"{url}/protocols"},
            }
        )

    def mapping(self, record: MappingRecord) -> dict:
        return {
            "id": record.id,
            "rules": record.rules,
            "schema_version": record.schema_version,
            "links": {"self": f"{self.base}/mappings/{record.id}"},
        }

    def protocol(self, record: ProtocolRecord) -> dict:
        provider = self.provider_url(record.idp_id)
        return _without_nulls(
            {
                "id": record.id,
                "mapping_id": record.mapping_id,
                "remote_id_attribute": record.remote_id_attribute,
                "links": {
                    "self": f"{provider}/protocols/{record.id}",
                    "identity_provider": provider,
                },
            }
        )

    def collection(self, key: str, items: list[dict], listing: Listing, path: str, query) -> dict:
        """Keystone's collection: the items and `links` (`next` when there is another page)."""
        url = f"{self.base}{path}"
        params = {k: v for k, v in query.items() if v is not None and k != "marker"}
        self_url = f"{url}?{urlencode(params)}" if params else url
        links: dict = {"self": self_url, "previous": None, "next": None}
        if listing.next_marker:
            links["next"] = f"{url}?{urlencode({**params, 'marker': listing.next_marker})}"
        return {key: items, "links": links}


def _without_nulls(body: dict) -> dict:
    """Optional fields without a value are left out, as Huawei does."""
    return {key: value for key, value in body.items() if value is not None}
