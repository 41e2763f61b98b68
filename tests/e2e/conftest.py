"""Fixtures for browser tests on the system Chromium (``/usr/bin/chromium``).

Playwright's own browser download (``playwright install``) is never used: intranets and CI cannot
fetch it. ``scripts/ensure_browser.sh`` (run by ``make test``) installs Chromium and a CJK font.

- ``browser``: one headless Chromium for the whole session.
- ``page``: a fresh context per test (zh-CN, Beijing time, 1366×768) on the live server. Every
  request it makes to another origin is recorded in ``page.external_requests``: pages must work
  on an intranet without internet, so tests assert that list is empty. Every message the
  browser logs about the Content-Security-Policy (a refused inline script, handler or style) is
  recorded in ``page.csp_violations``; a test whose pages caused one fails when it ends, so every
  page of every browser walk is checked (issue 14).
"""

import os
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import sync_playwright

# Playwright's sync API keeps an asyncio event loop marked as running in this thread, so Django
# would refuse every ORM call from the test (and the database flush after it) with
# SynchronousOnlyOperation. The ORM is still used from one thread only, which is what the check
# protects. Set here so that it holds for the rest of the session once the browser has started.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",  # root in CI has no user namespace sandbox
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Schemes that never leave the browser (Bootstrap's inline SVG icons are data: URLs).
LOCAL_SCHEMES = {"data", "blob", "about"}


@pytest.fixture(scope="session")
def browser():
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"{CHROMIUM} 不存在：请先运行 scripts/ensure_browser.sh（make test 会自动运行）"
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, transactional_db, django_db_serialized_rollback):
    """A page in a new context; the live server's data is this test's data.

    ``transactional_db`` because the live server answers from another thread and must see what
    the test wrote. Its flush after each test would also empty the rows that migrations create
    (the transition period), so ``django_db_serialized_rollback`` restores them for the next test.
    """
    context = browser.new_context(
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        viewport={"width": 1366, "height": 768},
    )
    own_origin = urlsplit(live_server.url)[:2]
    external = []

    def record_external(request):
        parts = urlsplit(request.url)
        if parts.scheme not in LOCAL_SCHEMES and parts[:2] != own_origin:
            external.append(request.url)

    # On the context, so popups and workers are covered too.
    context.on("request", record_external)
    csp_violations = []
    context.on("console", lambda message: csp_violations.append(message.text)
               if "Content Security Policy" in message.text else None)
    page = context.new_page()
    page.external_requests = external
    page.csp_violations = csp_violations
    yield page
    context.close()
    assert csp_violations == [], "页面违反了内容安全策略（CSP）"


@pytest.fixture
def external_requests(page):
    """URLs the page requested from anywhere but the live server (should stay empty)."""
    return page.external_requests
