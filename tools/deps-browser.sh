#!/usr/bin/env bash
# deps-browser.sh - what tests/blackbox/pixel_browser.sh needs: Debian's
# chromium and playwright-core (npm, no browser download: it drives the
# system chromium). playwright-core goes into build/node (not committed).
# Idempotent; run as root (CI does) for the apt part.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    timeout 900 apt-get install -y -q --no-install-recommends chromium >/dev/null \
      || { timeout 300 apt-get update -q >/dev/null && \
           timeout 900 apt-get install -y -q --no-install-recommends chromium >/dev/null; }
  else
    echo "deps-browser: chromium missing and not root; install Debian's chromium" >&2
    exit 1
  fi
fi
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    timeout 900 apt-get install -y -q --no-install-recommends nodejs npm >/dev/null
  else
    echo "deps-browser: node/npm missing and not root" >&2
    exit 1
  fi
fi
if [ ! -f build/node/node_modules/playwright-core/package.json ]; then
  mkdir -p build/node
  [ -f build/node/package.json ] || echo '{"name":"smartplus-browser-tests","private":true}' > build/node/package.json
  (cd build/node && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 timeout 600 \
     npm install --no-audit --no-fund --loglevel=error playwright-core@1 >/dev/null)
fi
echo "deps-browser: chromium $(chromium --version 2>/dev/null | awk '{print $2}'), playwright-core $(node -p 'require("./build/node/node_modules/playwright-core/package.json").version')"
