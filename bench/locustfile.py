"""The province at a deadline, as locust users (issue 17): run by bench/load.py, which builds the
accounts and passes them in LOAD_PERSONAS (a JSON file); not a test.

- 填报人 (Official): signs in, opens the task list and a task, now and then reports with a PDF
  as evidence;
- 审核人 (Supervisor): signs in with the second factor, opens the review queue, approves;
- 领导 (Leader): signs in with the second factor, opens the overview, drills down to a city,
  a county and a unit, opens the assessment;
- 接口 (ApiClient): pulls a county's responsibility list and the obligations with a token;
- 登录 (StormUser): only signs in and opens the home page (the login storm);
- Relogin: signs out and in again (the idle baseline of the sign-in pages).

Each browser user fetches the page's static files once (then its cache holds them: they are
served with far-future caching), as a browser does. Requests are named by page, not by URL.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import random
import re
import struct
import time
from html.parser import HTMLParser
from itertools import count

from locust import FastHttpUser, between, task

PERSONAS = json.loads(open(os.environ["LOAD_PERSONAS"], encoding="utf-8").read())
THINK = between(float(os.environ.get("LOAD_THINK_MIN", "3")),
                float(os.environ.get("LOAD_THINK_MAX", "12")))
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
STATIC = re.compile(r'(?:href|src)="(/static/[^"]+)"')
APPROVE = re.compile(r'action="(/reports/\d+/approve/)"')
PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]"
       b"/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


def _pool(name):
    """Each user takes the next persona of its kind (one account per simulated person),
    from LOAD_OFFSET on: an earlier run's people may not sign in again within the same
    30-second code of their authenticator (a code is good once)."""
    people = PERSONAS[name]
    counter = count(int(os.environ.get("LOAD_OFFSET", "0")))
    return lambda: people[next(counter) % len(people)]


NEXT = {kind: _pool(kind) for kind in ("officials", "supervisors", "leaders", "api", "storm")}


def totp(key_hex: str, at: float | None = None) -> str:
    """RFC 6238 (SHA-1, 30 s, 6 digits), the authenticator app's code."""
    counter = int((at or time.time()) // 30)
    digest = hmac.new(bytes.fromhex(key_hex), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = (struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 1_000_000
    return f"{code:06d}"


class FormFields(HTMLParser):
    """The fields of the first <form> with enctype multipart (the report form) and their
    current values, as a browser would submit them untouched."""

    def __init__(self):
        super().__init__()
        self.fields: dict[str, str] = {}
        self._select = None
        self._first_option = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "input" and a.get("name") and a.get("type") not in ("file", "checkbox",
                                                                      "submit"):
            self.fields.setdefault(a["name"], a.get("value") or "")
        elif tag == "select":
            self._select, self._first_option = a.get("name"), None
        elif tag == "option" and self._select:
            if self._first_option is None:
                self._first_option = a.get("value", "")
                self.fields.setdefault(self._select, self._first_option)
            if "selected" in a:
                self.fields[self._select] = a.get("value", "")

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes, str]]):
    boundary = f"----duban{random.getrandbits(64):016x}"
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                     f"{value}\r\n".encode())
    for name, (filename, content, kind) in files.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                     f'filename="{filename}"\r\nContent-Type: {kind}\r\n\r\n'.encode()
                     + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


class Browser(FastHttpUser):
    """A person in a browser: signs in once, keeps the session, caches static files."""

    abstract = True
    wait_time = THINK
    kind = ""

    def on_start(self):
        self.person = NEXT[self.kind]()
        self.cached: set[str] = set()
        self.sign_in()

    def page(self, url, name, signed_in=True, **params):
        with self.client.get(url, name=name, params=params or None,
                             catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}")
            elif signed_in and "/login/" in (response.url or ""):
                response.failure("已退出登录")
            self.statics(response.text or "")
            return response

    def statics(self, html):
        for path in STATIC.findall(html):
            if path not in self.cached:
                self.cached.add(path)
                self.client.get(path, name="静态文件（首次，之后由浏览器缓存）")

    def post(self, url, name, fields, **kwargs):
        with self.client.post(url, name=name, data=fields, allow_redirects=False,
                              catch_response=True, **kwargs) as response:
            if response.status_code not in (200, 302):
                response.failure(f"{response.status_code}")
            return response

    def csrf(self, html):
        match = CSRF.search(html or "")
        return match.group(1) if match else ""

    def sign_in(self):
        login = self.page("/login/", "登录页", signed_in=False)
        answer = self.post("/login/", "登录（提交密码）", {
            "csrfmiddlewaretoken": self.csrf(login.text), "username": self.person["username"],
            "password": self.person["password"], "next": "/"})
        if answer.status_code != 302:
            return
        if self.person.get("totp"):
            form = self.page("/account/mfa/?next=/", "二次验证页")
            self.post("/account/mfa/", "二次验证（提交动态口令）", {
                "csrfmiddlewaretoken": self.csrf(form.text),
                "token": totp(self.person["totp"]), "next": "/"})
        self.page("/", "首页")


class Official(Browser):
    weight = 12
    kind = "officials"

    @task(4)
    def task_list(self):
        self.page("/tasks/", "任务列表")

    @task(4)
    def task_page(self):
        self.page(f"/tasks/{random.choice(self.person['tasks'])}/", "任务页")

    @task(1)
    def report(self):
        task_id = random.choice(self.person["tasks"])
        form = self.page(f"/tasks/{task_id}/report/", "填报页")
        parser = FormFields()
        parser.feed(form.text or "")
        fields = {**parser.fields, "status": "in_progress",
                  "percent": str(random.randint(10, 90)), "narrative": "按计划推进，佐证材料见附件。"}
        body, kind = multipart(fields, {"uploads": ("佐证材料.pdf", PDF, "application/pdf")})
        self.post(f"/tasks/{task_id}/report/", "提交进展（含佐证材料）", body,
                  headers={"Content-Type": kind})


class Supervisor(Browser):
    weight = 3
    kind = "supervisors"

    @task(3)
    def queue(self):
        self.page("/review/", "审核队列")

    @task(2)
    def approve(self):
        queue = self.page("/review/", "审核队列")
        actions = APPROVE.findall(queue.text or "")
        if actions:
            self.post(random.choice(actions), "审核通过", {
                "csrfmiddlewaretoken": self.csrf(queue.text)})


class Leader(Browser):
    weight = 3
    kind = "leaders"

    @task(3)
    def overview(self):
        self.page("/dashboard/", "看板：总览", year=PERSONAS["year"])

    @task(2)
    def drill_down(self):
        place = random.choice(self.person["places"])
        self.page(f"/dashboard/region/{place['city']}/", "看板：市", year=PERSONAS["year"])
        self.page(f"/dashboard/region/{place['county']}/", "看板：县", year=PERSONAS["year"])
        self.page(f"/dashboard/unit/{place['unit']}/", "看板：单位", year=PERSONAS["year"])

    @task(1)
    def assessment(self):
        self.page(f"/dashboard/assessment/{PERSONAS['assessment_year']}/", "看板：年度考核")


class ApiClient(FastHttpUser):
    weight = 2
    wait_time = THINK

    def on_start(self):
        self.token = NEXT["api"]()["token"]

    def pull(self, url, name):
        with self.client.get(url, name=name, headers={"Authorization": f"Token {self.token}"},
                             catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}")

    @task(2)
    def responsibility_list(self):
        self.pull("/api/v1/responsibility-list/", "接口：责任清单")

    @task(1)
    def obligations(self):
        self.pull("/api/v1/obligations/?page_size=100", "接口：任务清单（每页100条）")


class Relogin(Browser):
    """The idle baseline of signing in: sign out and in again, one person at a time."""

    kind = "storm"

    @task
    def again(self):
        home = self.page("/tasks/", "任务列表")
        self.post("/logout/", "退出登录", {"csrfmiddlewaretoken": self.csrf(home.text)})
        self.sign_in()


class StormUser(Browser):
    """The login storm: sign in, the home page, then stay (a long think time)."""

    kind = "storm"
    wait_time = between(600, 600)

    @task
    def idle(self):
        pass
