#!/usr/bin/env bash
# Renders a training report to PNG with headless Chromium, to look at it without a browser:
#   scripts/render-report.sh target/mnist-model.report.html [report.png]
# Needs Debian's chromium package (apt-get install chromium). The report loads nothing from the
# network; the flags keep Chromium itself from trying.
set -euo pipefail
report="$(realpath "$1")"
out="${2:-${report%.html}.png}"
command -v chromium >/dev/null || { echo "render-report: install chromium (apt-get install chromium)" >&2; exit 1; }
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$profile" --window-size=900,1900 --hide-scrollbars \
  --screenshot="$(realpath -m "$out")" "file://$report" 2>/dev/null
echo "render-report: $out" >&2
