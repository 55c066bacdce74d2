"""Resolves a request's credentials (AK/SK signature, security token, X-Auth-Token) to a Caller.

Storage is reached through `CredentialDirectory`, which the IAM service implements; this module
knows the protocol rules only. Failure messages are the gateway's and never echo a secret.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Protocol

from idplane.platform.auth import signing
from idplane.platform.auth.caller import Caller, CredentialKind
from idplane.platform.clock import as_utc, now
from idplane.platform.crypto import constant_time_equal, token_digest
from idplane.platform.errors import Unauthenticated

GATEWAY_CODE = "APIGW.0301"
_BAD_AKSK = "Incorrect IAM authentication information: verify aksk signature fail"
_NO_KEY = "Incorrect IAM authentication information: Get secretKey failed"
_BAD_TOKEN = "Incorrect IAM authentication information: decrypt token fail"


@dataclass(frozen=True)
class KeyRecord:
    """What the directory knows of an access key whose owner is still allowed to sign."""

    secret_key: str
    caller: Caller  # the caller this key signs as (kind ACCESS_KEY or TEMPORARY)
    security_token_digest: str | None = None
    expires_at: datetime | None = None
    # (X-Project-Id, its name if it is a project of the caller's account), when the directory
    # looked it up with the key; otherwise the authenticator asks `project_of_account`.
    project: tuple[str, str | None] | None = None


class CredentialDirectory(Protocol):
    def find_access_key(self, access_key: str, project_id: str | None = None) -> KeyRecord | None:
        """The key's record; with `project_id` (the X-Project-Id claim), it may also carry
        that project's name if it belongs to the caller's account (`KeyRecord.project`)."""

    def find_token(self, token: str) -> Caller | None: ...

    def project_of_account(self, project_id: str, account_id: str) -> str | None:
        """The project's name if it belongs to the account, else None."""


class Authenticator:
    def __init__(self, directory: CredentialDirectory):
        self.directory = directory

    def authenticate(
        self, request: signing.SignedRequest, accept: Collection[CredentialKind]
    ) -> Caller:
        authorization = request.headers.get("authorization")
        token = request.headers.get("x-auth-token")
        if authorization and not authorization.lower().startswith("bearer "):
            if not {CredentialKind.ACCESS_KEY, CredentialKind.TEMPORARY} & set(accept):
                raise Unauthenticated("This API does not accept AK/SK signatures", GATEWAY_CODE)
            return self._from_signature(request, authorization)
        if token:
            if CredentialKind.TOKEN not in accept:
                raise Unauthenticated("This API does not accept X-Auth-Token", GATEWAY_CODE)
            return self._from_token(token, request.headers)
        raise Unauthenticated(
            "Incorrect IAM authentication information: Authorization or X-Auth-Token is missing",
            GATEWAY_CODE,
        )

    def _from_signature(self, request: signing.SignedRequest, authorization: str) -> Caller:
        try:
            auth = signing.parse_authorization(authorization)
        except signing.SignatureError as error:
            raise Unauthenticated(
                f"Incorrect IAM authentication information: {error}", GATEWAY_CODE
            ) from None
        claimed_project = request.headers.get("x-project-id") or None
        record = self.directory.find_access_key(auth.access_key, claimed_project)
        if record is None:
            raise Unauthenticated(_NO_KEY, GATEWAY_CODE)
        try:
            signing.verify(request, auth, record.secret_key, now())
        except signing.SignatureError as error:
            message = (
                _BAD_AKSK
                if "signature fail" in str(error)
                else f"Incorrect IAM authentication information: {error}"
            )
            raise Unauthenticated(message, GATEWAY_CODE) from None
        self._check_temporary(record, request.headers)
        return self._with_claims(record.caller, request.headers, record.project)

    @staticmethod
    def _check_temporary(record: KeyRecord, headers: dict[str, str]) -> None:
        if record.security_token_digest is None:
            return
        presented = headers.get("x-security-token")
        if not presented or not constant_time_equal(
            token_digest(presented), record.security_token_digest
        ):
            raise Unauthenticated(
                "Incorrect IAM authentication information: "
                "X-Security-Token is missing or does not match",
                GATEWAY_CODE,
            )
        if record.expires_at is not None and as_utc(record.expires_at) <= now():
            raise Unauthenticated(
                "Incorrect IAM authentication information: the temporary credential has expired",
                GATEWAY_CODE,
            )

    def _from_token(self, token: str, headers: dict[str, str]) -> Caller:
        caller = self.directory.find_token(token)
        if caller is None:
            raise Unauthenticated(_BAD_TOKEN, GATEWAY_CODE)
        return caller

    def _with_claims(
        self,
        caller: Caller,
        headers: dict[str, str],
        looked_up: tuple[str, str | None] | None = None,
    ) -> Caller:
        """X-Domain-Id / X-Project-Id are claims: they must name the key's own account."""
        domain_id = headers.get("x-domain-id")
        if domain_id and domain_id != caller.account_id:
            raise Unauthenticated(
                "Incorrect IAM authentication information: X-Domain-Id does "
                "not belong to the access key's account",
                GATEWAY_CODE,
            )
        project_id = headers.get("x-project-id")
        if project_id:
            if looked_up is not None and looked_up[0] == project_id:
                name = looked_up[1]
            else:
                name = self.directory.project_of_account(project_id, caller.account_id)
            if name is None:
                raise Unauthenticated(
                    "Incorrect IAM authentication information: X-Project-Id "
                    "does not belong to the access key's account",
                    GATEWAY_CODE,
                )
            return replace(caller, project_id=project_id, project_name=name)
        return caller
