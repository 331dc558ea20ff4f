#!/usr/bin/env bash
# System packages the browser tests need: Debian's Chromium (driven by Playwright) and fonts.
# Liberation Sans is the font the charts are laid out with (vl-convert measures with it); a
# browser without it or Arial draws a wider font and cuts legends (workbench.charts.FONT).
# Skipped when already installed; needs root (or sudo) and Debian's package registry.
set -euo pipefail
if [ -x /usr/bin/chromium ] && fc-list 2>/dev/null | grep -q "Liberation Sans"; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core fonts-liberation >/dev/null
/usr/bin/chromium --version
