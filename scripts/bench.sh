#!/usr/bin/env bash
# make bench: build the benchmark data set in a fresh PostgreSQL database, serve it with gunicorn
# (production settings: DEBUG off, 3 workers as docker-compose.yml runs it), drive the key pages with wrk from another process, and
# write bench/results.json and the table in bench/README.md. Only 127.0.0.1 is ever a target.
#
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/svrp_bench CELERY_BROKER_URL=redis://127.0.0.1:6379/0 make bench
#   SCALE=1 make bench     # the small set, for a quick check (the default is the large set, 10)
#   DURATION=30 make bench # the load scenarios for 30 s each instead of 3 minutes
#   SCENARIOS=0 make bench # the key pages alone, without the load scenarios
set -euo pipefail
cd "$(dirname "$0")/.."

export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/svrp_bench}"
export CELERY_BROKER_URL="${CELERY_BROKER_URL:-redis://127.0.0.1:6379/0}"
case "$DATABASE_URL" in postgres*) ;; *) echo "make bench needs DATABASE_URL on PostgreSQL." >&2; exit 2;; esac
case "$CELERY_BROKER_URL" in redis*) ;; *) echo "make bench needs CELERY_BROKER_URL on Redis." >&2; exit 2;; esac
dbname="${DATABASE_URL##*/}"
dbname="${dbname%%\?*}"
# The database is dropped and made again: refuse any whose name does not say it is the benchmark's.
case "$dbname" in *bench*) ;; *) echo "make bench drops its database: name it *bench* (not '$dbname')." >&2; exit 2;; esac
for tool in wrk psql curl; do
  command -v "$tool" >/dev/null || { echo "make bench needs $tool on the PATH." >&2; exit 2; }
done

SCALE="${SCALE:-10}"
BENCH_PORT="${BENCH_PORT:-8111}"
export BENCH_PASSWORD="${BENCH_PASSWORD:-bench-$(date +%s)-$RANDOM$RANDOM}"
# Production settings, served over plain HTTP on the loopback interface: TLS would end at the proxy in
# front of gunicorn, so the redirect and secure-cookie flags are off for this run only. Two-factor login
# stays as in production (required for staff and administrators); the board member signed in here is
# not asked for it (core.twofactor).
export DEBUG=false SECRET_KEY="${SECRET_KEY:-bench-only-$(date +%s)-$RANDOM$RANDOM$RANDOM}"
export ALLOWED_HOSTS=127.0.0.1 SECURE_SSL_REDIRECT=false SESSION_COOKIE_SECURE=false CSRF_COOKIE_SECURE=false
export LOG_LEVEL=WARNING SITE_URL="http://127.0.0.1:${BENCH_PORT}"
# As docker-compose.yml: the rendered fragments in Redis, shared by the workers (a change is rendered
# again once, not once per worker), in a database of their own, which the cold measurements empty.
export CACHE_URL="${BENCH_CACHE_URL:-${CELERY_BROKER_URL%/*}/13}"
PY=.venv/bin/python

base="${DATABASE_URL%/*}"
psql "$base/postgres" -qc "DROP DATABASE IF EXISTS \"$dbname\"" -qc "CREATE DATABASE \"$dbname\""

echo "== building the scale-$SCALE data set in $dbname"
$PY manage.py migrate --no-input -v0
$PY manage.py load_reference_data >/dev/null
start=$(date +%s%N)
$PY manage.py generate_benchmark_data --scale "$SCALE" --password "$BENCH_PASSWORD"
export BENCH_GENERATION_MS=$((($(date +%s%N) - start) / 1000000))
echo "generated in ${BENCH_GENERATION_MS} ms"
$PY manage.py collectstatic --no-input -v0
psql "$DATABASE_URL" -qc "VACUUM ANALYZE"

echo "== counting queries per page"
export BENCH_SPEC BENCH_REPORT
BENCH_SPEC=$($PY manage.py bench_spec --scale "$SCALE")
echo "== timing the last quarter's Home Office report (its own process, for its peak memory)"
BENCH_REPORT=$($PY manage.py bench_report)
echo "$BENCH_REPORT"
echo "== refusing hostile uploads (time and memory of each)"
export BENCH_UPLOADS
BENCH_UPLOADS=$($PY manage.py bench_uploads)
echo "$BENCH_UPLOADS"

# As docker-compose.yml and the Dockerfile serve the portal: three workers (a slow request, a password
# sign-in of a quarter of a second, does not leave a single worker for everyone else).
export BENCH_WORKERS=3
echo "== serving with gunicorn (${BENCH_WORKERS} workers) on 127.0.0.1:${BENCH_PORT}"
.venv/bin/gunicorn svrp.wsgi --bind "127.0.0.1:${BENCH_PORT}" --workers "$BENCH_WORKERS" --log-level warning &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true' EXIT
for _ in $(seq 120); do curl -fs -o /dev/null "http://127.0.0.1:${BENCH_PORT}/accessibility/" && break; sleep 0.5; done

status=0
BENCH_URL="http://127.0.0.1:${BENCH_PORT}" $PY bench/run.py || status=$?
[ "${SCENARIOS:-1}" = 0 ] && exit $status

echo "== load scenarios on PostgreSQL (scale $SCALE, ${DURATION:-180} s each)"
BENCH_URL="http://127.0.0.1:${BENCH_PORT}" BENCH_TARGET=postgresql BENCH_SERVER_PIDS="$server" SCALE="$SCALE" \
  $PY bench/run_scenarios.py || status=$?
kill "$server" 2>/dev/null || true
wait "$server" 2>/dev/null || true

# The embedded default, as make run serves it: SQLite and the file-system broker, Django's server and a
# Celery worker, on the small data set.
embedded=$(mktemp -d /tmp/svrp-bench-embedded.XXXXXX)
echo "== load scenarios on the embedded default (SQLite, file-system broker, scale 1) in $embedded"
(
  export DATABASE_URL="sqlite:///$embedded/bench.sqlite3" CELERY_BROKER_URL=filesystem://
  unset CACHE_URL  # make run's default: each process its own memory
  export MEDIA_ROOT="$embedded/media" SVRP_BACKUP_DIR="$embedded/backups" SITE_URL="http://127.0.0.1:$((BENCH_PORT + 1))"
  $PY manage.py migrate --no-input -v0
  $PY manage.py load_reference_data >/dev/null
  $PY manage.py generate_benchmark_data --scale 1 --password "$BENCH_PASSWORD" >/dev/null
  mkdir -p var/celery/out var/celery/processed
  $PY manage.py runserver "127.0.0.1:$((BENCH_PORT + 1))" --noreload >"$embedded/web.log" 2>&1 &
  web=$!
  .venv/bin/celery -A svrp worker --pool=solo --loglevel=WARNING >"$embedded/worker.log" 2>&1 &
  worker=$!
  trap 'kill "$web" "$worker" 2>/dev/null || true; wait 2>/dev/null || true' EXIT
  for _ in $(seq 120); do curl -fs -o /dev/null "http://127.0.0.1:$((BENCH_PORT + 1))/accessibility/" && break; sleep 0.5; done
  BENCH_URL="http://127.0.0.1:$((BENCH_PORT + 1))" BENCH_TARGET=sqlite BENCH_SERVER_PIDS="$web $worker" SCALE=1 \
    $PY bench/run_scenarios.py
) || status=$?
rm -rf "$embedded"
exit $status
