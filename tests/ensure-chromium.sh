#!/usr/bin/env bash
# Installs Debian's Chromium and its WebDriver when missing: the browser journeys run the
# Agents Playground's web client in headless Chromium (tests/journeys/).
set -euo pipefail
if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then
  exit 0
fi
echo "Installing Chromium (Debian packages chromium, chromium-driver)..."
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null
