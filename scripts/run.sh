#!/usr/bin/env bash
# Start the task worker and the web server; Ctrl-C stops both.
set -euo pipefail
PORT="${PORT:-8000}"
export PORT  # the public URL of links and QR codes follows it (config/settings/base.py)
PY=.venv/bin/python
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-config.settings.dev}"
mkdir -p var
$PY manage.py migrate --no-input -v0
$PY manage.py demo_world
echo
$PY manage.py demo_logins
echo
$PY manage.py db_worker --interval 1 --no-reload >var/worker.log 2>&1 &
WORKER=$!
.venv/bin/granian --interface wsgi --host 127.0.0.1 --port "$PORT" --workers 1 \
  --blocking-threads 4 --no-ws --log-level warning config.wsgi:application &
SERVER=$!
stop() {
  trap - INT TERM EXIT
  kill -TERM "$SERVER" "$WORKER" 2>/dev/null || true
  wait "$SERVER" "$WORKER" 2>/dev/null || true
  echo "Stopped."
  exit 0
}
trap stop INT TERM EXIT
echo "Suốt Đời is running on http://127.0.0.1:${PORT}  (task worker log: var/worker.log; Ctrl-C stops)"
# Return as soon as either process ends (or on Ctrl-C); the trap stops the other.
wait -n "$SERVER" "$WORKER"
