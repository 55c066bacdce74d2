"""An account's root credentials as a test sees them, with ready-made SDK credentials."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from idplane.iam.service import AccountCredentials
from idplane.platform.auth.caller import Caller, CredentialKind


@dataclass(frozen=True)
class IdplaneAccount:
    """Root user of one account: everything an official SDK client needs to sign as it."""

    access_key: str
    secret_key: str
    account_id: str  # the domain id, what GlobalCredentials takes
    account_name: str
    project_id: str  # the account's project in `region`, what BasicCredentials takes
    region: str
    endpoint: str  # every service is served here
    user_id: str
    user_name: str
    password: str | None = None

    @classmethod
    def from_credentials(cls, creds: AccountCredentials, endpoint: str) -> IdplaneAccount:
        return cls(
            access_key=creds.access_key,
            secret_key=creds.secret_key,
            account_id=creds.account_id,
            account_name=creds.account_name,
            project_id=creds.project_id,
            region=creds.region,
            endpoint=endpoint,
            user_id=creds.user_id,
            user_name=creds.user_name,
            password=creds.password,
        )

    def global_credentials(self) -> Any:
        """`GlobalCredentials` for IAM, Organizations, Identity Center and Identity Store."""
        from huaweicloudsdkcore.auth.credentials import GlobalCredentials

        return GlobalCredentials(self.access_key, self.secret_key, self.account_id)

    def basic_credentials(self) -> Any:
        """`BasicCredentials` (project-scoped) for regional APIs such as LakeFormation."""
        from huaweicloudsdkcore.auth.credentials import BasicCredentials

        return BasicCredentials(self.access_key, self.secret_key, self.project_id)

    def client(self, client_class: Any, credentials: Any = None) -> Any:
        """An official SDK client pointed at the server, e.g.
        `account.client(IdentityCenterStoreClient)`, signing with the kind of credentials that
        client takes (global or project-scoped) unless other credentials are given."""
        builder = client_class.new_builder()
        if credentials is None:
            kinds = getattr(builder, "_credential_type", None) or ["GlobalCredentials"]
            global_ok = "GlobalCredentials" in kinds
            credentials = self.global_credentials() if global_ok else self.basic_credentials()
        return builder.with_credentials(credentials).with_endpoints([self.endpoint]).build()

    def caller(self) -> Caller:
        """The root user as the services see a signed request from it (for arranging data)."""
        return Caller(
            account_id=self.account_id,
            account_name=self.account_name,
            user_id=self.user_id,
            user_name=self.user_name,
            is_root=True,
            kind=CredentialKind.ACCESS_KEY,
            credential_id=self.access_key,
            project_id=self.project_id,
            project_name=self.region,
        )
