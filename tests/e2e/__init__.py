"""Browser tests: Playwright driving the system Chromium against pytest-django's live server.

Fixtures (``browser``, ``page``, ``external_requests``) are in ``conftest.py``; helpers that a
test imports (``from tests.e2e import screenshot``) are here, since a conftest is not imported.
"""

from pathlib import Path

SCREENSHOT_DIR = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def screenshot(page, name: str) -> Path:
    """Save a full-page PNG to ``var/screenshots/<name>.png`` and return its path."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
