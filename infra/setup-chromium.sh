#!/usr/bin/env bash
# Installs Debian's Chromium for the headless web-page test (Playwright drives /usr/bin/chromium;
# no browser is downloaded). A fast no-op when it is already there.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
  exit 0
fi
if [[ $(id -u) -ne 0 ]]; then
  echo "chromium is missing and this is not root: the web-page test will be skipped" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends chromium
