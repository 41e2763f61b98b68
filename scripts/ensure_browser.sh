#!/usr/bin/env bash
# Browser tests (tests/e2e) drive the system Chromium through Playwright; Playwright's own
# browser download is not used, intranets and CI cannot fetch it. Chinese pages need a CJK
# font, or every character renders as a box in screenshots. Called by `make test`, not `make run`.
set -euo pipefail

CHROMIUM=/usr/bin/chromium
# fontconfig provides fc-list, used for the check below (usually already pulled in by chromium).
PACKAGES=(chromium fonts-noto-cjk fontconfig)

missing() {
    [[ ! -x $CHROMIUM ]] || [[ -z "$(fc-list :lang=zh 2>/dev/null)" ]]
}

missing || exit 0

if [[ $(id -u) -ne 0 ]]; then
    cat >&2 <<MSG
浏览器测试需要 Chromium（$CHROMIUM）和中文字体，本机缺少，且当前不是 root，无法自动安装。
请管理员执行 / Please ask an administrator to run:
    sudo apt-get update && sudo apt-get install -y --no-install-recommends ${PACKAGES[*]}
Browser tests need Chromium ($CHROMIUM) and a CJK font; they are missing and,
not being root, this script cannot install them.
MSG
    exit 1
fi

echo "安装浏览器测试依赖 Installing browser-test packages: ${PACKAGES[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends "${PACKAGES[@]}"

if missing; then
    echo "安装后仍缺少 Chromium 或中文字体 Still missing Chromium or a CJK font after apt-get install" >&2
    exit 1
fi
