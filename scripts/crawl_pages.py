"""Walks the pages of a running `make run` as every demo account, in headless Chromium.

Reports server errors (5xx, 4xx other than 403/404), English words in page text, browser
console errors and requests that leave the app. A development aid, not a test:

    python scripts/crawl_pages.py [http://127.0.0.1:8000] [--pages 120] [--start /households/,/funds/]

Also reports any 18-digit 身份证号 in page text (personal data must be masked everywhere).
"""

from __future__ import annotations

import argparse
import re
from urllib.parse import urlsplit

from playwright.sync_api import sync_playwright

ACCOUNTS = ["longde_fupin", "longde_minzheng", "longde_chengguan", "xinbin", "xinbin_duban",
            "qingyuan", "qingyuan_duban", "qingyuan_leader", "fushun_leader", "longde_nongban",
            "longde_leader", "admin", "longde_beiguan"]
ENGLISH = re.compile(r"\b(the|and|of|not|found|error|page|Choose|Files|No file|Submit|Page)\b")
SKIP = ("/logout", "/api/", "excel", "format=", "/evidence/", "export")
TASK = re.compile(r"/tasks/\d+/")
ID18 = re.compile(r"(?<!\d)\d{17}[\dX](?!\d)")


def crawl(browser, base: str, account: str, limit: int, start=()) -> list[tuple]:
    problems: list[tuple] = []
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    external: list[str] = []
    context.on("request", lambda r: external.append(r.url) if not r.url.startswith(
        (base, "data:", "blob:", "about:")) else None)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(base + "/login/")
    page.get_by_label("用户名").fill(account)
    page.get_by_label("密码").fill("demo-2021")
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()
    seen: set[str] = set()
    queue = [base + path for path in start] + [page.url]
    while queue and len(seen) < limit:
        url = urlsplit(queue.pop(0))._replace(fragment="").geturl()
        if url in seen or any(s in url for s in SKIP) or ("/admin/" in url and account != "admin"):
            continue
        seen.add(url)
        response = page.goto(url)
        status = response.status if response else 0
        if status >= 500 or (status >= 400 and status not in (403, 404)):
            problems.append((account, url, status))
        text = page.inner_text("body")
        if "/admin/" not in url and (match := ENGLISH.search(text)):
            problems.append((account, url, "英文？", text[max(0, match.start() - 40):match.end() + 40]))
        if ID18.search(text):
            problems.append((account, url, "身份证号明文？"))
        if errors:
            problems.append((account, url, "控制台错误", errors[:3]))
            errors.clear()
        tasks_seen = sum(1 for s in seen if TASK.search(s))
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
            if href.startswith(base) and href not in seen and len(queue) < 300:
                if TASK.search(href) and tasks_seen > 8:
                    continue
                queue.append(href)
    if external:
        problems.append((account, "外部请求", external[:5]))
    print(f"{account}: {len(seen)} 页")
    context.close()
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base", nargs="?", default="http://127.0.0.1:8000")
    parser.add_argument("--pages", type=int, default=120, help="每个账号最多访问的页数")
    parser.add_argument("--start", default="", help="先访问的路径，逗号分隔，如 /households/,/funds/")
    args = parser.parse_args()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                             args=["--no-sandbox"])
        problems = [p for account in ACCOUNTS
                    for p in crawl(browser, args.base.rstrip("/"), account, args.pages,
                   [p for p in args.start.split(",") if p])]
        browser.close()
    for problem in problems:
        print(problem)
    print(f"问题：{len(problems)}")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
