#!/usr/bin/env bash
# README command (2): install with test extras and run the whole test suite (lint, types, layering, default tests,
# then the slow/browser/llm markers). Exit code is non-zero when anything fails.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh test || exit 1
if ! command -v chromium >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Debian chromium and poppler-utils for the browser and report tests" >&2
  (apt-get update -qq && apt-get install -y -qq chromium poppler-utils) >/dev/null 2>&1 || echo "apt install failed" >&2
fi
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 GRADIO_ANALYTICS_ENABLED=False ANONYMIZED_TELEMETRY=False
export TOKENIZERS_PARALLELISM=false
.venv/bin/ruff check . || exit 1
.venv/bin/mypy || exit 1          # the type checker ([tool.mypy] in pyproject.toml)
.venv/bin/lint-imports || exit 1  # the layering contracts ([tool.importlinter] in pyproject.toml)
run_pytest() {
  .venv/bin/python -m pytest "$@"
  rc=$?
  # exit 5 = nothing collected for that marker selection: not a failure of the suite
  if [ $rc -eq 5 ]; then return 0; fi
  return $rc
}
run_pytest -m "not slow and not browser and not llm" || exit 1
run_pytest -m "slow or browser or llm" || exit 1
