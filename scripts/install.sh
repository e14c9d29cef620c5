#!/usr/bin/env bash
# Create .venv (if missing) and install the project into it. Usage: scripts/install.sh [extras]
# torch==2.13.0 goes first: it is the CPU build on this machine's disk; unpinned, pip fetches CUDA.
set -euo pipefail
cd "$(dirname "$0")/.."
extras="${1:-}"
python3 -m venv .venv 2>/dev/null || true
[ -x .venv/bin/pip ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check torch==2.13.0 2>&1 | grep -v '^WARNING: Location' || true
spec="."
# An old build's metadata in the checkout would shadow the installed one (its entry points: commands, providers).
rm -rf ./*.egg-info
[ -n "$extras" ] && spec=".[${extras}]"
.venv/bin/python -m pip install -q --disable-pip-version-check -e "$spec" 2>&1 | grep -v '^WARNING: Location' || true
.venv/bin/advisor --version >/dev/null
