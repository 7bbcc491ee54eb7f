#!/usr/bin/env bash
# `make drill`: bring prod-local up, run the fault drill through it, take it down (always).
set -euo pipefail
cd "$(dirname "$0")/.."
./deploy/prod-local/down.sh >/dev/null
trap './deploy/prod-local/down.sh >/dev/null' EXIT
./deploy/prod-local/up.sh
.venv/bin/python deploy/faults.py "$@"
