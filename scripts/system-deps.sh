#!/usr/bin/env bash
# System packages the browser tests need: Debian's Chromium (driven by Playwright) and a font.
# Skipped when already installed; needs root (or sudo) and Debian's package registry.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
/usr/bin/chromium --version
