"""Signing in through the identity store's external SAML IdP (authentication type
`EXTERNAL_IDP`): the sign-in page sends the browser to the IdP with an AuthnRequest, and the
IdP's signed response comes back to the assertion consumer service that
`get_sp_configuration_for_directory` advertises, `POST /v1/identity-stores/{id}/saml/acs`.

The response is bound to the browser that started the sign-in: the page sets a random secret
in a cookie scoped to the ACS path, and the AuthnRequest's ID is that secret's digest (so the
ID, which the IdP and its logs see, never reveals the secret). The ACS accepts only a response
whose signed InResponseTo is the digest of the cookie it receives, then drops the cookie; each
assertion is accepted once (replays are refused by its ID)."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from idplane.platform.crypto import token_digest
from idplane.platform.errors import ApiError
from idplane.platform.routing import api_router
from idplane.signin.pages import render as r
from idplane.signin.tables import ACTIVE

if TYPE_CHECKING:
    from idplane.signin.sessions.service import SessionService

PENDING_SECONDS = 600  # how long a browser may take at the IdP
MAX_RESPONSE_FORM = 384 * 1024  # a base64 SAMLResponse of up to 256 KiB, and RelayState


def acs_path(identity_store_id: str) -> str:
    return f"/v1/identity-stores/{identity_store_id}/saml/acs"


def request_id_of(secret: str) -> str:
    return "_" + token_digest(secret)  # an XML ID (NCName) starts with a letter or "_"


def hand_to_idp(
    sessions: SessionService, request: Request, identity_store_id: str, next_url: str
) -> Response | None:
    """The redirect to the store's external IdP, or None when the store has none enabled."""
    secret = secrets.token_urlsafe(32)
    url = sessions.external_sign_in_url(identity_store_id, request_id_of(secret), next_url)
    if url is None:
        return None
    response = r.redirect(url)
    # The IdP posts back from its own site: over TLS the cookie must be SameSite=None to
    # come along; plain HTTP (a local set-up, IdP on the same host) keeps Lax.
    r.set_cookie(
        response,
        request,
        r.SAML_REQUEST_COOKIE,
        secret,
        acs_path(identity_store_id),
        max_age=PENDING_SECONDS,
        same_site="none" if r.secure(request) else "lax",
    )
    return response


def create_router(sessions: SessionService) -> APIRouter:
    router = api_router(include_in_schema=False)

    @router.post("/v1/identity-stores/{identity_store_id}/saml/acs")
    async def assertion_consumer_service(identity_store_id: str, request: Request) -> Response:
        form = await r.form_of(request, MAX_RESPONSE_FORM)
        secret = request.cookies.get(r.SAML_REQUEST_COOKIE)
        portal = f"/{identity_store_id}/portal"
        try:
            view = await run_in_threadpool(
                sessions.sign_in_with_saml_response,
                identity_store_id,
                form.get("SAMLResponse", ""),
                request_id_of(secret) if secret else "",
            )
        except ApiError as error:
            response: Response = r.page(
                "done.html",
                401,
                store_id=identity_store_id,
                base=portal,
                heading="Sign-in failed",
                message=f"{error.message} Go back to the portal to sign in again.",
            )
        else:
            relay = form.get("RelayState", "")
            ok = relay == portal or relay.startswith((portal + "/", portal + "?"))
            response = r.redirect(relay if ok and view.state == ACTIVE else portal)
            r.set_cookie(response, request, r.SESSION_COOKIE, view.cookie or "", portal)
        r.clear_cookie(response, request, r.SAML_REQUEST_COOKIE, acs_path(identity_store_id))
        return response

    return router
