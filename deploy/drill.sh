#!/usr/bin/env bash
# `make drill`: bring prod-local up, run the fault drill through it, take it down (always).
set -euo pipefail
cd "$(dirname "$0")/.."
./deploy/prod-local/down.sh >/dev/null
# The logs outlive the topology (var/drill-logs), for reading what a failed phase met.
keep_logs() {
  rm -rf var/drill-logs
  cp -r "${PROD_LOCAL_DIR:-var/prod-local}/log" var/drill-logs 2>/dev/null || true
  ./deploy/prod-local/down.sh >/dev/null
}
trap keep_logs EXIT
./deploy/prod-local/up.sh
if [ "${1:-}" = "--soak" ]; then
  shift
  .venv/bin/python deploy/soak.py "$@"
else
  .venv/bin/python deploy/faults.py "$@"
fi
