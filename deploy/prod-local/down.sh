#!/usr/bin/env bash
# `make prod-local-down`: stop everything `make prod-local` started and remove its folder.
set -uo pipefail
cd "$(dirname "$0")/../.."
DIR=${PROD_LOCAL_DIR:-$(pwd)/var/prod-local}
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ -d "$DIR" ] || { echo "== nothing to take down ($DIR)"; exit 0; }

stop_pid() {  # a process group started with setsid, then its leader
  local f=$1 pid
  [ -f "$f" ] || return 0
  pid=$(cat "$f")
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null
  for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null
  rm -f "$f"
}

[ -f "$DIR/run/nginx.pid" ] && /usr/sbin/nginx -p "$DIR/nginx" -c "$DIR/nginx/nginx.conf" -s stop 2>/dev/null
for f in "$DIR"/run/app-*.pid "$DIR"/run/worker-*.pid; do stop_pid "$f"; done
[ -f "$DIR/run/pgbouncer.pid" ] && kill "$(cat "$DIR/run/pgbouncer.pid")" 2>/dev/null
[ -f "$DIR/run/redis.pid" ] && kill "$(cat "$DIR/run/redis.pid")" 2>/dev/null
for db in pg-replica pg-primary; do
  [ -f "$DIR/$db/postmaster.pid" ] && as_pg "$PGBIN/pg_ctl" -D "$DIR/$db" -m fast -w stop >/dev/null 2>&1
done
[ -f "$DIR/media-quota" ] && umount "$DIR/media" 2>/dev/null
rm -rf "$DIR"
echo "== prod-local is down"
