"""The sign-in and portal pages under `/<identity store id>/portal` (the portal URL that
`start_url` names): sign in, the steps after the password, approving a device's user code,
and the portal listing the user's accounts and permission sets. Server-rendered, usable
without JavaScript; every POST carries a CSRF token."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from idplane.platform.errors import ApiError
from idplane.platform.routing import api_router
from idplane.signin.pages import external
from idplane.signin.pages import render as r
from idplane.signin.sessions.service import SessionView
from idplane.signin.tables import ACTIVE, NEEDS_MFA

if TYPE_CHECKING:
    from idplane.signin.assembly import Signin

RULES = (
    "Use letters in upper and lower case, digits and symbols, as your administrator's policy asks."
)


def create_router(services: Signin) -> APIRouter:
    router = api_router(include_in_schema=False)
    sessions, approvals = services.sessions, services.approvals

    def base_of(store_id: str) -> str:
        return f"/{store_id}/portal"

    def context(store_id: str, view: SessionView | None = None, **more):
        signed_in = view if view is not None and view.state == ACTIVE else None
        csrf = view.csrf_token if view is not None else None
        return {
            "store_id": store_id,
            "base": base_of(store_id),
            "signed_in": signed_in,
            "csrf_token": csrf,
            **more,
        }

    def current(request: Request, store_id: str) -> SessionView | None:
        return sessions.current(request.cookies.get(r.SESSION_COOKIE), store_id)

    def safe_next(store_id: str, value: str | None) -> str:
        base = base_of(store_id)
        if value and (
            value == base or value.startswith(base + "/") or value.startswith(base + "?")
        ):
            return value
        return base

    def after_step(store_id: str, view: SessionView, next_url: str) -> str:
        if view.state == ACTIVE:
            return next_url
        step = "mfa" if view.state == NEEDS_MFA else "password"
        return f"{base_of(store_id)}/{step}?next={quote(next_url)}"

    def to_login(store_id: str, next_url: str) -> Response:
        return r.redirect(f"{base_of(store_id)}/login?next={quote(next_url)}")

    def unknown_store(store_id: str) -> Response | None:
        if sessions.known_store(store_id):
            return None
        return r.page(
            "done.html",
            404,
            store_id=store_id,
            base="/",
            heading="Not found",
            message="There is no portal at this address.",
        )

    @router.get("/portal-assets/signin.css")
    def signin_stylesheet() -> Response:
        return r.stylesheet()

    @router.get("/{identity_store_id}/portal")
    def portal_page(identity_store_id: str, request: Request) -> Response:
        if (missing := unknown_store(identity_store_id)) is not None:
            return missing
        view = current(request, identity_store_id)
        if view is None or view.state != ACTIVE:
            return to_login(identity_store_id, base_of(identity_store_id))
        accounts = services.portal.accounts_page(view)
        expires = view.expires_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M")
        return r.page(
            "portal.html",
            **context(
                identity_store_id,
                view,
                accounts=accounts,
                expires=expires,
                credentials_available=services.credentials_available,
            ),
        )

    @router.get("/{identity_store_id}/portal/login")
    def login_page(identity_store_id: str, request: Request, next: str | None = None) -> Response:
        if (missing := unknown_store(identity_store_id)) is not None:
            return missing
        next_url = safe_next(identity_store_id, next)
        view = current(request, identity_store_id)
        if view is not None and view.state == ACTIVE:
            return r.redirect(next_url)
        handed = external.hand_to_idp(sessions, request, identity_store_id, next_url)
        return handed or login_form(request, identity_store_id, next_url)

    def login_form(
        request: Request,
        store_id: str,
        next_url: str,
        error: str | None = None,
        user_name: str = "",
        status: int = 200,
    ) -> Response:
        token = r.login_csrf(request)
        response = r.page(
            "login.html",
            status,
            **context(
                store_id,
                csrf_token=token,
                next=next_url,
                error=error,
                user_name=user_name,
                other_methods=services.other_methods,
            ),
        )
        r.set_cookie(
            response, request, r.LOGIN_CSRF_COOKIE, token, base_of(store_id), same_site="strict"
        )
        return response

    @router.post("/{identity_store_id}/portal/login")
    async def sign_in(identity_store_id: str, request: Request) -> Response:
        if (missing := unknown_store(identity_store_id)) is not None:
            return missing
        form = await r.form_of(request)
        next_url = safe_next(identity_store_id, form.get("next"))
        user_name = form.get("user_name", "")[:128]
        if not r.csrf_ok(request.cookies.get(r.LOGIN_CSRF_COOKIE), form):
            return login_form(
                request, identity_store_id, next_url, "The form expired; try again.", user_name, 400
            )
        try:
            view = await password_step(identity_store_id, user_name, form.get("password", ""))
        except ApiError as error:
            return login_form(request, identity_store_id, next_url, error.message, user_name, 401)
        response = r.redirect(after_step(identity_store_id, view, next_url))
        r.set_cookie(
            response, request, r.SESSION_COOKIE, view.cookie or "", base_of(identity_store_id)
        )
        r.clear_cookie(response, request, r.LOGIN_CSRF_COOKIE, base_of(identity_store_id))
        return response

    async def password_step(store_id: str, user_name: str, password: str) -> SessionView:
        """The password method; the external IdP's is in pages/external.py."""
        return await run_in_threadpool(
            sessions.sign_in_with_password, store_id, user_name, password[:128]
        )

    @router.get("/{identity_store_id}/portal/mfa")
    def mfa_page(identity_store_id: str, request: Request, next: str | None = None) -> Response:
        view = current(request, identity_store_id)
        if view is None or view.state != NEEDS_MFA:
            return to_login(identity_store_id, safe_next(identity_store_id, next))
        return r.page(
            "mfa.html", **context(identity_store_id, view, next=safe_next(identity_store_id, next))
        )

    @router.post("/{identity_store_id}/portal/mfa")
    async def verify_mfa(identity_store_id: str, request: Request) -> Response:
        form = await r.form_of(request)
        next_url = safe_next(identity_store_id, form.get("next"))
        view = current(request, identity_store_id)
        if view is None or view.state != NEEDS_MFA or not r.csrf_ok(view.csrf_token, form):
            return to_login(identity_store_id, next_url)
        try:
            view = sessions.verify_totp(request.cookies[r.SESSION_COOKIE], form.get("code", ""))
        except ApiError as error:
            return r.page(
                "mfa.html",
                401,
                **context(identity_store_id, view, next=next_url, error=error.message),
            )
        return r.redirect(after_step(identity_store_id, view, next_url))

    @router.get("/{identity_store_id}/portal/password")
    def password_page(
        identity_store_id: str, request: Request, next: str | None = None
    ) -> Response:
        view = current(request, identity_store_id)
        next_url = safe_next(identity_store_id, next)
        if view is None or view.state == ACTIVE or view.state == NEEDS_MFA:
            return to_login(identity_store_id, next_url)
        return new_password_form(identity_store_id, view, next_url)

    def new_password_form(
        store_id: str, view: SessionView, next_url: str, error: str | None = None, status: int = 200
    ) -> Response:
        return r.page(
            "password.html",
            status,
            **context(
                store_id,
                view,
                next=next_url,
                error=error,
                action=f"{base_of(store_id)}/password",
                rules=RULES,
                why="Your password was set for one sign-in only. Choose your own.",
            ),
        )

    @router.post("/{identity_store_id}/portal/password")
    async def set_password(identity_store_id: str, request: Request) -> Response:
        form = await r.form_of(request)
        next_url = safe_next(identity_store_id, form.get("next"))
        view = current(request, identity_store_id)
        if (
            view is None
            or view.state in (ACTIVE, NEEDS_MFA)
            or not r.csrf_ok(view.csrf_token, form)
        ):
            return to_login(identity_store_id, next_url)
        new = form.get("new_password", "")
        if new != form.get("confirm_password"):
            return new_password_form(
                identity_store_id, view, next_url, "The two passwords differ.", 400
            )
        try:
            view = sessions.set_new_password(request.cookies[r.SESSION_COOKIE], new)
        except ApiError as error:
            return new_password_form(identity_store_id, view, next_url, error.message, 400)
        return r.redirect(after_step(identity_store_id, view, next_url))

    @router.get("/{identity_store_id}/portal/device")
    def device_page(
        identity_store_id: str, request: Request, user_code: str | None = None
    ) -> Response:
        if (missing := unknown_store(identity_store_id)) is not None:
            return missing
        view = current(request, identity_store_id)
        here = f"{base_of(identity_store_id)}/device"
        if user_code:
            here += f"?user_code={quote(user_code[:16])}"
        if view is None or view.state != ACTIVE:
            return to_login(identity_store_id, here)
        code = (user_code or "")[:16]
        client_name = approvals.pending(identity_store_id, code) if code else None
        error = "This code is not valid or has expired." if code and client_name is None else None
        return r.page(
            "device.html",
            404 if error else 200,
            **context(
                identity_store_id,
                view,
                user_code=code.upper(),
                client_name=client_name,
                error=error,
            ),
        )

    @router.post("/{identity_store_id}/portal/device")
    async def decide_device(identity_store_id: str, request: Request) -> Response:
        form = await r.form_of(request)
        view = current(request, identity_store_id)
        if view is None or view.state != ACTIVE or not r.csrf_ok(view.csrf_token, form):
            return to_login(identity_store_id, f"{base_of(identity_store_id)}/device")
        approve = form.get("decision") == "approve"
        code = form.get("user_code", "")[:16]
        if not approvals.decide(view.id, identity_store_id, code, approve):
            return r.page(
                "device.html",
                404,
                **context(
                    identity_store_id,
                    view,
                    user_code="",
                    error="This code is not valid or has expired.",
                ),
            )
        heading = "Device approved" if approve else "Request denied"
        message = (
            "You can close this window and return to your device."
            if approve
            else "The device was not given access."
        )
        return r.page(
            "done.html", **context(identity_store_id, view, heading=heading, message=message)
        )

    @router.post("/{identity_store_id}/portal/logout")
    async def sign_out(identity_store_id: str, request: Request) -> Response:
        form = await r.form_of(request)
        view = current(request, identity_store_id)
        response = to_login(identity_store_id, base_of(identity_store_id))
        if view is not None and r.csrf_ok(view.csrf_token, form):
            sessions.sign_out(request.cookies[r.SESSION_COOKIE])
            r.clear_cookie(response, request, r.SESSION_COOKIE, base_of(identity_store_id))
        return response

    @router.post("/{identity_store_id}/portal/credentials")
    async def credentials(identity_store_id: str, request: Request) -> Response:
        form = await r.form_of(request)
        view = current(request, identity_store_id)
        if view is None or view.state != ACTIVE or not r.csrf_ok(view.csrf_token, form):
            return to_login(identity_store_id, base_of(identity_store_id))
        accounts = services.portal.accounts_page(view)
        expires = view.expires_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M")
        try:
            issued = services.portal.page_credentials(
                view, form.get("account_id", ""), form.get("permission_set_id", "")
            )
        except ApiError as error:
            return r.page(
                "portal.html",
                error.status,
                **context(
                    identity_store_id,
                    view,
                    accounts=accounts,
                    expires=expires,
                    error=error.message,
                    credentials_available=services.credentials_available,
                ),
            )
        issued["expires"] = datetime.fromtimestamp(issued["expiration"], UTC).strftime(
            "%Y-%m-%d %H:%M:%S UTC"
        )
        return r.page(
            "portal.html",
            **context(
                identity_store_id,
                view,
                accounts=accounts,
                expires=expires,
                credentials=issued,
                credentials_available=services.credentials_available,
            ),
        )

    return router
