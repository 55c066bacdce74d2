"""How the sign-in pages answer: Jinja2 templates shipped in the package (autoescaped), the
headers every page carries, the cookies (HttpOnly, SameSite, Secure over TLS), the form body
and its CSRF token."""

from __future__ import annotations

import functools
import secrets
from pathlib import Path
from typing import Any, Literal
from urllib.parse import parse_qs

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from idplane.platform.crypto import constant_time_equal

HERE = Path(__file__).parent
SESSION_COOKIE = "idplane_portal"
LOGIN_CSRF_COOKIE = "idplane_login_csrf"
SAML_REQUEST_COOKIE = "idplane_saml_request"  # binds the IdP's answer to this browser
MAX_FORM = 16 * 1024
HEADERS = {
    # The approve page must never be framed (a clickjacked "Approve" hands over the account).
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
}


@functools.cache
def _templates() -> Any:
    """Made on the first page (jinja2 is imported then, not at start-up: most servers, test
    servers above all, never render one)."""
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    return Environment(
        loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"])
    )


def page(name: str, status: int = 200, **context: Any) -> HTMLResponse:
    html = _templates().get_template(name).render(**context)
    return HTMLResponse(html, status_code=status, headers=HEADERS)


def redirect(location: str) -> RedirectResponse:
    return RedirectResponse(location, status_code=303, headers=HEADERS)


def stylesheet() -> Response:
    css = (HERE / "static" / "signin.css").read_text()
    return Response(css, media_type="text/css", headers={"Cache-Control": "max-age=3600"})


async def form_of(request: Request, limit: int = MAX_FORM) -> dict[str, str]:
    """An urlencoded form body, first value of each field; oversized bodies read as empty."""
    body = await request.body()
    if len(body) > limit:
        return {}
    fields = parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
    return {name: values[0] for name, values in fields.items()}


def secure(request: Request) -> bool:
    forwarded = request.headers.get("x-forwarded-proto", "")
    return request.url.scheme == "https" or forwarded == "https"


def set_cookie(
    response: Response,
    request: Request,
    name: str,
    value: str,
    path: str,
    max_age: int | None = None,
    same_site: Literal["lax", "strict", "none"] = "lax",
) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path=path,
        httponly=True,
        samesite=same_site,
        secure=secure(request),
    )


def clear_cookie(response: Response, request: Request, name: str, path: str) -> None:
    response.delete_cookie(name, path=path, httponly=True, secure=secure(request))


def login_csrf(request: Request) -> str:
    """Before sign-in there is no session to bind a token to: the token is a cookie's value
    echoed in the form (double submit), the cookie SameSite=Strict."""
    return request.cookies.get(LOGIN_CSRF_COOKIE) or secrets.token_urlsafe(24)


def csrf_ok(expected: str | None, form: dict[str, str]) -> bool:
    given = form.get("csrf_token", "")
    if not expected or not given:
        return False
    return constant_time_equal(expected, given)
