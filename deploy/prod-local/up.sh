#!/usr/bin/env bash
# `make prod-local`: the production topology on one machine, on 127.0.0.1, from Debian's
# packages — PostgreSQL primary + streaming replica, PgBouncer (transaction pooling), Redis,
# two granian app servers, two task workers, nginx in front. For tests, drills and demos;
# `make prod-local-down` takes it all away again. Nothing listens beyond 127.0.0.1.
#
#   nginx            127.0.0.1:8080  (PROD_LOCAL_PORT)
#   app servers      127.0.0.1:8101, 127.0.0.1:8102
#   pgbouncer        127.0.0.1:6433  → primary 5433 (the replica, 5434, is read directly)
#   redis            127.0.0.1:6380
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
DIR=${PROD_LOCAL_DIR:-$ROOT/var/prod-local}
PORT=${PROD_LOCAL_PORT:-8080}
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
PY=$ROOT/.venv/bin/python

say() { printf '== %s\n' "$*"; }

# Run as the postgres system user when we are root (PostgreSQL refuses root).
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

if [ -f "$DIR/up" ]; then
  say "already up ($DIR); make prod-local-down first"; exit 1
fi

missing=()
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
command -v pgbouncer >/dev/null || [ -x /usr/sbin/pgbouncer ] || missing+=(pgbouncer)
command -v redis-server >/dev/null || missing+=(redis-server)
[ -x "$PGBIN/pg_ctl" ] || missing+=(postgresql-15)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    say "installing ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    # Debian starts the packaged services: this topology runs its own.
    pkill -x nginx 2>/dev/null || true
  else
    echo "prod-local needs Debian's ${missing[*]} (sudo apt-get install ${missing[*]})" >&2
    exit 1
  fi
fi
export PATH="/usr/sbin:$PATH"

rm -rf "$DIR"
mkdir -p "$DIR"/{log,run,static,media,nginx/tmp}
chmod 755 "$DIR" "$DIR/run" "$DIR/log"
if [ "$(id -u)" = 0 ]; then chown postgres "$DIR/run" "$DIR/log"; fi
touch "$DIR/up"
# The upload folder gets a quota of its own where we may mount one (root): a small tmpfs,
# which the fault drill fills up.
if [ "$(id -u)" = 0 ] && mount -t tmpfs -o "size=${PROD_LOCAL_MEDIA_MB:-64}m,mode=0755" tmpfs "$DIR/media" 2>/dev/null; then
  echo "$DIR/media" >"$DIR/media-quota"
fi
# Whatever fails from here on: show the logs' ends, take down what was started.
failed() {
  echo "prod-local did not come up; the logs' last lines:" >&2
  tail -n 8 "$DIR"/log/*.log >&2 2>/dev/null || true
  "$ROOT/deploy/prod-local/down.sh" >&2
}
trap failed ERR

# --- PostgreSQL: primary, then a replica streaming from it -------------------------------
say "PostgreSQL primary on 5433"
mkdir -p "$DIR/pg-primary" "$DIR/pg-replica"
chmod 700 "$DIR/pg-primary" "$DIR/pg-replica"
if [ "$(id -u)" = 0 ]; then chown postgres "$DIR/pg-primary" "$DIR/pg-replica"; fi
as_pg "$PGBIN/initdb" -D "$DIR/pg-primary" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
cat >>"$DIR/pg-primary/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = 5433
unix_socket_directories = '$DIR/run'
wal_level = replica
max_wal_senders = 5
max_replication_slots = 5
hot_standby = on
hot_standby_feedback = on
max_connections = 100
fsync = on
logging_collector = off
EOF
cat >"$DIR/pg-primary/pg_hba.conf" <<EOF
local all all trust
host all all 127.0.0.1/32 trust
host replication all 127.0.0.1/32 trust
EOF
as_pg "$PGBIN/pg_ctl" -D "$DIR/pg-primary" -l "$DIR/log/pg-primary.log" -w start >/dev/null
as_pg "$PGBIN/psql" -q -h 127.0.0.1 -p 5433 -U postgres -c "CREATE ROLE suotdoi LOGIN" \
  -c "CREATE DATABASE suotdoi OWNER suotdoi" >/dev/null

say "PostgreSQL replica on 5434"
as_pg "$PGBIN/pg_basebackup" -h 127.0.0.1 -p 5433 -U postgres -D "$DIR/pg-replica" -R -X stream -c fast \
  -C -S replica1 >/dev/null
sed -i 's/^port = 5433/port = 5434/' "$DIR/pg-replica/postgresql.conf"
as_pg "$PGBIN/pg_ctl" -D "$DIR/pg-replica" -l "$DIR/log/pg-replica.log" -w start >/dev/null

# --- Redis and PgBouncer -----------------------------------------------------------------
say "Redis on 6380"
redis-server --bind 127.0.0.1 --port 6380 --save "" --appendonly no --daemonize yes \
  --pidfile "$DIR/run/redis.pid" --logfile "$DIR/log/redis.log" --maxmemory 256mb \
  --maxmemory-policy allkeys-lru

say "PgBouncer on 6433 (transaction pooling)"
cat >"$DIR/pgbouncer.ini" <<EOF
[databases]
suotdoi = host=127.0.0.1 port=5433 dbname=suotdoi
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = 6433
unix_socket_dir =
auth_type = trust
auth_file = $DIR/userlist.txt
pool_mode = transaction
max_client_conn = 400
default_pool_size = 20
reserve_pool_size = 5
server_connect_timeout = 3
server_login_retry = 1
query_wait_timeout = 30
ignore_startup_parameters = extra_float_digits,options
logfile = $DIR/log/pgbouncer.log
pidfile = $DIR/run/pgbouncer.pid
EOF
echo '"suotdoi" ""' >"$DIR/userlist.txt"
if [ "$(id -u)" = 0 ]; then chown postgres "$DIR/pgbouncer.ini" "$DIR/userlist.txt"; fi
as_pg pgbouncer -d -q "$DIR/pgbouncer.ini"

# --- The application ---------------------------------------------------------------------
say "application: migrate, static files"
secret=$("$PY" -c "import secrets; print(secrets.token_urlsafe(48))")
fernet() { "$PY" -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"; }
cat >"$DIR/env" <<EOF
DJANGO_SETTINGS_MODULE=config.settings.prod
SECRET_KEY=$secret
ALLOWED_HOSTS=127.0.0.1,localhost
SUOTDOI_PUBLIC_URL=http://127.0.0.1:$PORT
SUOTDOI_PACKAGE_ORIGIN=http://localhost:$PORT
SECURE_SSL_REDIRECT=false
SECURE_HSTS_SECONDS=0
TRUSTED_PROXY_COUNT=1
DATABASE_URL=postgres://suotdoi@127.0.0.1:6433/suotdoi
DATABASE_REPLICA_URL=postgres://suotdoi@127.0.0.1:5434/suotdoi
DATABASE_DIRECT_URL=postgres://suotdoi@127.0.0.1:5433/suotdoi
DB_POOLER=transaction
REDIS_URL=redis://127.0.0.1:6380/0
MEDIA_ROOT=$DIR/media
STATIC_ROOT=$DIR/static
SUOTDOI_KEY_ENCRYPTION_KEYS=$(fernet)
SUOTDOI_PERSONAL_DATA_KEYS=$(fernet)
SUOTDOI_LOOKUP_KEYS=$("$PY" -c "import secrets; print(secrets.token_urlsafe(32))")
SMS_BACKEND=suotdoi.core.sms.FileBackend
# Shorter than production's defaults, so the fault drill sees a dead worker's task taken over
# and a stopped replica noticed within seconds.
WORKER_BEAT_SECONDS=2
WORKER_LEASE_SECONDS=10
REPLICA_CHECK_SECONDS=2
EOF
set -a; . "$DIR/env"; set +a
DATABASE_URL=$DATABASE_DIRECT_URL "$PY" manage.py migrate --no-input -v0
"$PY" manage.py collectstatic --no-input -v0

say "two app servers (granian) on 8101 and 8102, two task workers"
for p in 8101 8102; do
  setsid "$ROOT/.venv/bin/granian" --interface wsgi --host 127.0.0.1 --port $p --workers 1 \
    --blocking-threads "${PROD_LOCAL_THREADS:-8}" --backlog 1024 config.wsgi:application \
    >"$DIR/log/app-$p.log" 2>&1 < /dev/null &
  echo $! >"$DIR/run/app-$p.pid"
done
for w in 1 2; do
  setsid "$PY" manage.py task_worker --worker-id "prod-local-$w" \
    >"$DIR/log/worker-$w.log" 2>&1 < /dev/null &
  echo $! >"$DIR/run/worker-$w.pid"
done

say "nginx on 127.0.0.1:$PORT"
user_line=""
if [ "$(id -u)" = 0 ]; then user_line="user root;"; fi
cat >"$DIR/nginx/nginx.conf" <<EOF
$user_line
worker_processes 1;
pid $DIR/run/nginx.pid;
error_log $DIR/log/nginx-error.log warn;
events { worker_connections 1024; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log $DIR/log/nginx-access.log;
    client_body_temp_path $DIR/nginx/tmp/body;
    proxy_temp_path $DIR/nginx/tmp/proxy;
    fastcgi_temp_path $DIR/nginx/tmp/fastcgi;
    uwsgi_temp_path $DIR/nginx/tmp/uwsgi;
    scgi_temp_path $DIR/nginx/tmp/scgi;
    upstream suotdoi_app {
        server 127.0.0.1:8101 max_fails=1 fail_timeout=5s;
        server 127.0.0.1:8102 max_fails=1 fail_timeout=5s;
        keepalive 32;
    }
    map \$host \$suotdoi_static_root { default $DIR/static; }
    map \$host \$suotdoi_scheme { default \$scheme; }
    server {
        listen 127.0.0.1:$PORT;
        server_name 127.0.0.1 localhost;
        include $ROOT/deploy/nginx/suotdoi-proxy.conf;
    }
}
EOF
nginx -p "$DIR/nginx" -c "$DIR/nginx/nginx.conf"

say "waiting for the app servers"
for _ in $(seq 1 120); do
  ok=0
  for p in 8101 8102 $PORT; do
    curl -fsS -o /dev/null "http://127.0.0.1:$p/healthz" 2>/dev/null && ok=$((ok + 1))
  done
  [ "$ok" = 3 ] && break
  sleep 0.5
done
if [ "$ok" != 3 ]; then
  echo "the app did not come up; logs in $DIR/log" >&2
  tail -n 20 "$DIR"/log/app-*.log >&2 || true
  exit 1
fi
say "up: http://127.0.0.1:$PORT  (environment: $DIR/env, logs: $DIR/log)"
