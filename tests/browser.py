"""Headless Chromium for tests that look at pages as a person would: Debian's `chromium`
driven by Playwright (never a browser download). Skips, saying why, where it is missing."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

import pytest


def chromium_path() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        pytest.skip("Debian's chromium is not installed (.ci/run installs it with apt-get)")
    return path


@contextmanager
def offline_page(viewport: dict[str, int] | None = None) -> Iterator:
    """A page whose every request off this machine is refused, so a page that needs a CDN
    renders as it would for an operator with no network."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport=viewport or {"width": 1280, "height": 900})
            refused: list[str] = []

            def local_only(route) -> None:
                host = urlsplit(route.request.url).hostname
                if host in ("127.0.0.1", "localhost"):
                    route.continue_()
                else:
                    refused.append(f"{route.request.resource_type} {route.request.url}")
                    route.abort()

            page.route("**/*", local_only)
            page.refused_requests = refused  # type: ignore[attr-defined]
            yield page
        finally:
            browser.close()
