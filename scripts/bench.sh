#!/usr/bin/env bash
# make bench: build the large data set on PostgreSQL and Redis, serve it with gunicorn (production
# settings, 2 workers, DEBUG off), drive the key pages with wrk from another process, and write
# bench/results.json and the table in bench/README.md. Only 127.0.0.1 is ever a target.
set -euo pipefail
cd "$(dirname "$0")/.."

export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/svrp_bench}"
export CELERY_BROKER_URL="${CELERY_BROKER_URL:-redis://127.0.0.1:6379/9}"
case "$DATABASE_URL" in postgres*) ;; *) echo "make bench needs DATABASE_URL on PostgreSQL" >&2; exit 2;; esac
case "$CELERY_BROKER_URL" in redis*) ;; *) echo "make bench needs CELERY_BROKER_URL on Redis" >&2; exit 2;; esac
SCALE="${SCALE:-10}"
BENCH_PORT="${BENCH_PORT:-8111}"
export BENCH_PASSWORD="${BENCH_PASSWORD:-bench-password-not-for-production}"
export DEBUG=false SECRET_KEY="${SECRET_KEY:-bench-only-secret-key-$(date +%s)}"
export ALLOWED_HOSTS=127.0.0.1 SECURE_SSL_REDIRECT=false SESSION_COOKIE_SECURE=false CSRF_COOKIE_SECURE=false
export SVRP_REQUIRE_2FA=false LOG_LEVEL=WARNING SITE_URL="http://127.0.0.1:${BENCH_PORT}"
PY=.venv/bin/python

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }

# A fresh database each run, so the numbers are for exactly the generated data.
dbname="${DATABASE_URL##*/}"
base="${DATABASE_URL%/*}"
psql "$base/postgres" -qc "DROP DATABASE IF EXISTS \"$dbname\"" -qc "CREATE DATABASE \"$dbname\""

echo "== building the scale-$SCALE data set"
$PY manage.py migrate --no-input -v0
$PY manage.py load_reference_data >/dev/null
/usr/bin/time -f "generated in %e s, peak %M KB" $PY manage.py generate_benchmark_data --scale "$SCALE" --password "$BENCH_PASSWORD"
$PY manage.py collectstatic --no-input -v0
psql "$DATABASE_URL" -qc "VACUUM ANALYZE"

echo "== measuring queries and the quarterly report"
spec=$($PY manage.py bench_spec --scale "$SCALE")
export BENCH_SPEC="$spec"

echo "== serving with gunicorn on 127.0.0.1:${BENCH_PORT}"
.venv/bin/gunicorn svrp.wsgi --bind "127.0.0.1:${BENCH_PORT}" --workers 2 --log-level warning &
server=$!
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true' EXIT
for _ in $(seq 60); do curl -fs "http://127.0.0.1:${BENCH_PORT}/accessibility/" >/dev/null && break; sleep 0.5; done

BENCH_URL="http://127.0.0.1:${BENCH_PORT}" $PY bench/run.py
