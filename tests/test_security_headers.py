"""Headers and pages (issue 14 item 4, 等保 8.1.4): a Content-Security-Policy that allows scripts
and styles only from our own static files, on our pages, the admin and the API docs; templates
with nothing inline for it to refuse; and ``Cache-Control: no-store`` on whatever a signed-in
user or a token receives, never on static files."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.templatetags.static import static
from django.test import Client, override_settings
from django.urls import reverse

from obligations.models import Region
from obligations.services.api_clients import create_api_client

ROOT = Path(__file__).resolve().parent.parent


def _directives(response) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy")
    assert header, f"{response.request['PATH_INFO']} has no Content-Security-Policy"
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def assert_strict_policy(response):
    policy = _directives(response)
    assert policy["script-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert "'unsafe-inline'" not in " ".join(sum(policy.values(), []))
    assert "'unsafe-eval'" not in " ".join(sum(policy.values(), []))


class InlineCode(HTMLParser):
    """Collects what a strict CSP refuses in an HTML text: inline scripts (other than JSON data
    islands), on… handler attributes, style="" attributes, <style> elements, javascript: URLs."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and not attributes.get("src") \
                and attributes.get("type") != "application/json":
            self.found.append(f"<script> without src at line {self.getpos()[0]}")
        if tag == "style":
            self.found.append(f"<style> at line {self.getpos()[0]}")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{name}= at line {self.getpos()[0]}")
            if name == "style":
                self.found.append(f"style= at line {self.getpos()[0]}")
            if name in {"href", "src", "action"} and (value or "").strip().lower().startswith(
                    "javascript:"):
                self.found.append(f"{name}=javascript: at line {self.getpos()[0]}")


def inline_code(html: str) -> list[str]:
    parser = InlineCode()
    parser.feed(html)
    return parser.found


def our_templates() -> list[Path]:
    """Every template of this project: the shared directory and each of our apps' (a new app is
    covered without being listed here)."""
    directories = [Path(d) for d in settings.TEMPLATES[0]["DIRS"]]
    directories += [Path(app.path) / "templates" for app in apps.get_app_configs()
                    if Path(app.path).is_relative_to(ROOT) and "site-packages" not in app.path]
    return sorted(p for d in directories if d.is_dir() for p in d.rglob("*.html"))


def test_the_template_scan_finds_what_the_csp_would_refuse():
    assert inline_code('<input onchange="go()">') == ["onchange= at line 1"]
    assert inline_code("<script>alert(1)</script>") == ["<script> without src at line 1"]
    assert inline_code('<div style="width: 3%">') == ["style= at line 1"]
    assert inline_code('<script type="application/json" id="x">{}</script>'
                       '<script src="/static/a.js"></script>') == []


def test_no_template_has_inline_scripts_handlers_or_styles():
    templates = our_templates()
    assert len(templates) > 30  # the scan reads the real template directories
    found = {}
    for path in templates:
        text = path.read_text(encoding="utf-8")
        # Comments and template tags (also inside attribute values) are not HTML: blank them
        # out, keeping the line numbers.
        text = re.sub(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}|{#.*?#}|{%.*?%}|{{.*?}}",
                      lambda m: re.sub(r"[^\n]", "x", m.group()), text, flags=re.S)
        problems = inline_code(text)
        if problems:
            found[str(path.relative_to(ROOT))] = problems
    assert found == {}


@pytest.fixture
def people(seeded):
    return {u.username: u for u in get_user_model().objects.all()}


def test_pages_admin_and_api_docs_carry_the_strict_policy(client, people):
    client.force_login(people["longde_fupin"])
    tasks = client.get(reverse("obligations:tasks"))
    assert tasks.status_code == 200
    assert_strict_policy(tasks)
    assert inline_code(tasks.content.decode()) == []

    client.force_login(people["admin"])
    for url in (reverse("admin:index"), reverse("admin:obligations_task_changelist"),
                reverse("obligations:document_uploads")):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_strict_policy(response)
        assert inline_code(response.content.decode()) == [], url

    docs = client.get(reverse("api-docs"))
    assert docs.status_code == 200
    assert_strict_policy(docs)
    html = docs.content.decode()
    assert inline_code(html) == []
    # Swagger UI's init script is its own request, JavaScript from this site.
    script = re.search(r'<script src="([^"]*script=[^"]*)"', html).group(1).replace("&amp;", "&")
    init = client.get(script)
    assert init.status_code == 200
    assert init["Content-Type"].startswith("application/javascript")
    assert b"SwaggerUIBundle" in init.content


def test_login_page_carries_the_policy_too(client, db):
    assert_strict_policy(client.get(reverse("login")))


def test_signed_in_pages_api_answers_and_exports_are_not_stored(client, people):
    client.force_login(people["longde_fupin"])
    page = client.get(reverse("obligations:tasks"))
    assert page.status_code == 200
    assert page["Cache-Control"] == "private, no-store"

    session_api = client.get("/api/v1/tasks/")
    assert session_api.status_code == 200
    assert "no-store" in session_api["Cache-Control"]

    export = client.get("/api/v1/responsibility-list/", {"format": "xlsx"})
    assert export.status_code == 200
    assert export["Content-Disposition"].startswith("attachment")
    assert "no-store" in export["Cache-Control"]

    # No session: the user comes from the token, inside the view.
    _client, key = create_api_client(name="headers", region=Region.objects.get(code="640423"),
                                     can_write=False, actor=None)
    api = Client(HTTP_AUTHORIZATION=f"Token {key}").get("/api/v1/obligations/")
    assert api.status_code == 200
    assert "no-store" in api["Cache-Control"]


def test_an_anonymous_answer_is_not_marked_by_the_middleware(client, db):
    # The API refuses the anonymous request; nothing personal is in it, no-store is not forced.
    response = client.get("/api/v1/tasks/")
    assert response.status_code in (401, 403)
    assert "no-store" not in response.get("Cache-Control", "")


@override_settings(WHITENOISE_USE_FINDERS=True)
def test_static_files_keep_their_own_caching_for_signed_in_users(people):
    client = Client()  # a new handler: whitenoise reads its settings when it starts
    client.force_login(people["longde_fupin"])
    response = client.get(static("obligations/app.js"))
    assert response.status_code == 200
    assert b"data-chosen" in b"".join(response.streaming_content)
    assert "no-store" not in response.get("Cache-Control", "")
    assert "max-age" in response["Cache-Control"]
