#!/usr/bin/env bash
# README command (1): install into .venv and start the product on its embedded default.
# The index is built under ADVISOR_DATA_DIR on first run; the chat UI and API are served on
# http://127.0.0.1:7860 (ADVISOR_HOST / ADVISOR_PORT change that).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
export GRADIO_ANALYTICS_ENABLED=False HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 ANONYMIZED_TELEMETRY=False
exec .venv/bin/advisor serve "$@"
