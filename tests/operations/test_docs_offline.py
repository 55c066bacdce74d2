"""`/docs` and `/redoc` render every operation with no network: their assets come from the
package, not a CDN. Looked at in headless Chromium, with a screenshot kept for a person."""

from __future__ import annotations

from tests.browser import offline_page


def test_swagger_ui_renders_operations_offline(server, tmp_path) -> None:
    with offline_page() as page:
        page.goto(f"{server.url}/docs")
        page.wait_for_selector(".opblock", timeout=30_000)
        operations = page.locator(".opblock").count()
        page.screenshot(path=str(tmp_path / "docs.png"))
        assert page.refused_requests == []
    assert operations > 200


def _needed(refused: list[str]) -> list[str]:
    """Scripts, styles and data the page needs; Redoc's footer still asks a CDN for the
    Redocly logo image, which renders as nothing offline."""
    return [r for r in refused if not r.startswith("image ")]


def test_redoc_renders_operations_offline(server, tmp_path) -> None:
    with offline_page() as page:
        page.goto(f"{server.url}/redoc")
        page.wait_for_selector("[data-section-id^='operation/']", state="attached", timeout=60_000)
        operations = page.locator("[data-section-id^='operation/']").count()
        page.screenshot(path=str(tmp_path / "redoc.png"))
        assert _needed(page.refused_requests) == []
    assert operations > 200
