#!/usr/bin/env bash
# Build the one-folder bundle from this checkout and prove the frozen program works:
# `scrdesk-cli --self-test` (demo data -> Ref021 briefing PDF -> checks -> main window, offscreen).
# Prints the build time and the bundle's size. Called by .ci/run; also run by hand on Windows
# (Git Bash) or macOS to build the bundle there.
set -euo pipefail
cd "$(dirname "$0")/.."

export QT_QPA_PLATFORM=offscreen
export PIP_DISABLE_PIP_VERSION_CHECK=1

python="${PYTHON:-.venv/bin/python}"
[ -x "$python" ] || python=".venv/Scripts/python.exe"  # Windows venv layout
"$python" -m pip install -q -e ".[build]"

started=$(date +%s)
# Build outside the source tree's dist/ of a developer, so a stale build never hides a failure.
out="${BUNDLE_OUT:-build/bundle}"
rm -rf "$out/dist"
"$python" -m PyInstaller --noconfirm --clean --log-level ERROR \
  --distpath "$out/dist" --workpath "$out/work" scrdesk.spec
echo "bundle built in $(( $(date +%s) - started )) s"

bundle="$out/dist/scrdesk"
cli="$bundle/scrdesk-cli"
[ -x "$cli" ] || cli="$bundle/scrdesk-cli.exe"

usage=$("$cli" --help 2>&1 || true)
if grep -q -- "--self-test" <<<"$usage"; then
  "$cli" --self-test
else
  # Until the command line offers --self-test, prove at least that the frozen program starts.
  echo "scrdesk-cli has no --self-test yet; checking that the frozen program starts instead"
  "$cli" --version
fi

echo "bundle size: $(du -sh "$bundle" | cut -f1) ($bundle)"
