"""A browser without JavaScript, for the sign-in pages: an httpx client that keeps cookies,
follows redirects and submits the page's forms with their hidden fields (CSRF token, next)."""

from __future__ import annotations

import html
import re

import httpx

_FORM = re.compile(r"<form[^>]*action=\"(?P<action>[^\"]+)\"[^>]*>(?P<body>.*?)</form>", re.S)
_HIDDEN = re.compile(
    r"<input type=\"hidden\" name=\"(?P<name>[^\"]+)\" value=\"(?P<value>[^\"]*)\""
)


class Visitor:
    def __init__(self, base_url: str):
        self.http = httpx.Client(base_url=base_url, follow_redirects=True, timeout=30)
        self.page: httpx.Response | None = None

    def open(self, url: str) -> httpx.Response:
        self.page = self.http.get(url)
        return self.page

    def submit(self, action_suffix: str, **fields: str) -> httpx.Response:
        """Posts the current page's form whose action ends with `action_suffix`."""
        assert self.page is not None
        for match in _FORM.finditer(self.page.text):
            action = html.unescape(match["action"])
            if action.endswith(action_suffix):
                hidden = {
                    m["name"]: html.unescape(m["value"]) for m in _HIDDEN.finditer(match["body"])
                }
                self.page = self.http.post(action, data={**hidden, **fields})
                return self.page
        raise AssertionError(
            f"no form posting to {action_suffix} on {self.page.url}: {self.page.text[:2000]}"
        )

    def sign_in(self, store_id: str, user_name: str, password: str) -> httpx.Response:
        if "/login" not in str(self.page.url if self.page else ""):
            self.open(f"/{store_id}/portal/login")
        return self.submit("/login", user_name=user_name, password=password)

    def text(self) -> str:
        assert self.page is not None
        return html.unescape(re.sub(r"<[^>]+>", " ", self.page.text))
