"""The browser test setup itself: system Chromium, Chinese fonts, live server, no internet."""

from tests.e2e import screenshot


def test_admin_login_renders_in_chinese_without_internet(page, live_server):
    page.goto(f"{live_server.url}/admin/login/")

    assert page.get_by_text("用户名").first.is_visible()
    path = screenshot(page, "admin_login")
    assert path.stat().st_size > 0
    # Everything (styles, scripts, fonts) came from the app itself.
    assert page.external_requests == []


def test_vendored_bootstrap_and_htmx_are_served_and_load(page, live_server):
    # Our own login page loads both (base.html), under the Content-Security-Policy and with
    # htmx told not to add its indicator <style>: the page fixture fails on a CSP violation.
    page.goto(f"{live_server.url}/login/")

    assert page.evaluate("bootstrap.Tooltip.VERSION") == "5.3.9"
    assert page.evaluate("htmx.version") == "2.0.11"
    # Bootstrap's CSS variables are in effect, so the stylesheet parsed.
    assert (
        page.evaluate("getComputedStyle(document.documentElement).getPropertyValue('--bs-primary')")
        == "#0d6efd"
    )
    assert page.external_requests == []
