"""A LakeFormation tenant is one project of an account: v1 paths name it
(`/v1/{project_id}/...`, with a token of that project), v2 takes it from the credential
(project-scoped token or the `X-Project-Id` of a BasicCredentials signature)."""

from __future__ import annotations

from dataclasses import dataclass

from idplane.platform.auth.caller import Caller, CredentialKind
from idplane.platform.errors import Invalid

MUST_NOT_BE_NULL = "lakeformation.00000007"
PROJECT_MISMATCH = "lakeformation.00000021"
MISSING_TOKEN = "lakeformation.00000023"


@dataclass(frozen=True)
class Tenant:
    account_id: str
    project_id: str


def v1_tenant(caller: Caller, project_id: str, token_required: bool = True) -> Tenant:
    """v1 paths want a tenant token of the project they name (AK/SK alone is not enough)."""
    if token_required and caller.kind != CredentialKind.TOKEN:
        raise Invalid("X-Auth-Token is missing in the request.", MISSING_TOKEN)
    if caller.project_id != project_id:
        scope = f"project {caller.project_id}" if caller.project_id else "no project"
        raise Invalid(
            f"The credential is scoped to {scope}, not to project {project_id} of the URL.",
            PROJECT_MISMATCH,
        )
    return Tenant(caller.account_id, project_id)


def v2_tenant(caller: Caller) -> Tenant:
    """v2 paths take the project of the credential: token scope or signed X-Project-Id."""
    if caller.project_id is None:
        raise Invalid(
            "The request names no project: use a project-scoped token or sign with "
            "X-Project-Id (BasicCredentials with a project id).",
            MUST_NOT_BE_NULL,
        )
    return Tenant(caller.account_id, caller.project_id)
