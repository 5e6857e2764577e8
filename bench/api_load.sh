#!/usr/bin/env bash
# API load benchmark: GET /api/v1/applications (pages of 50 out of 10,000+) with wrk at 50
# connections on 127.0.0.1, as an HR user (session cookie), on SQLite (and PostgreSQL when
# ZHIMIAN_BENCH_PG_URL is set). Prints wrk's report and one summary line per backend.
#   bench/api_load.sh [DURATION_SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
BIN=${ZHIMIAN_BIN:-$ROOT/build/zhimian}
DURATION=${1:-20}
PY=/usr/bin/python3
PASS='Zhimian-Bench-2026!'
HR_EMAIL=$($PY -c 'import json;d=json.load(open("src/cli/demo_data.json"));print([u for u in d["users"] if u["role"]=="hr"][0]["email"])')
DEMO_PASS=$($PY -c 'import json;print(json.load(open("src/cli/demo_data.json"))["demo_password"])')

run_backend() {
  local name=$1 db_args=$2
  local dir; dir=$(mktemp -d /tmp/zhimian-bench.XXXXXX)
  local port; port=$($PY -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  ZHIMIAN_ADMIN_PASSWORD=$PASS ZHIMIAN_LOG_LEVEL=warn "$BIN" serve --demo --data-dir "$dir" $db_args \
    --listen 127.0.0.1:$port --threads 64 > "$dir/server.log" 2>&1 &
  local pid=$!
  trap "kill $pid 2>/dev/null || true" RETURN
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.1; done
  local base="http://127.0.0.1:$port"
  # An admin session creates a write token for seeding.
  local admin_csrf; admin_csrf=$(curl -s -c "$dir/admin.cj" -H 'Content-Type: application/json' \
    -d "{\"email\":\"admin@example.com\",\"password\":\"$PASS\"}" "$base/api/v1/auth/login" | $PY -c 'import json,sys;print(json.load(sys.stdin)["csrf_token"])')
  local token; token=$(curl -s -b "$dir/admin.cj" -H "X-CSRF-Token: $admin_csrf" -H 'Content-Type: application/json' \
    -d '{"name":"bench","scopes":["read","write"]}' "$base/api/v1/api-tokens" | $PY -c 'import json,sys;print(json.load(sys.stdin)["token"])')
  $PY bench/seed_applications.py "$base" "$token" 10000
  # The measured principal: an HR user with a session cookie, like the web app.
  curl -s -c "$dir/hr.cj" -H 'Content-Type: application/json' \
    -d "{\"email\":\"$HR_EMAIL\",\"password\":\"$DEMO_PASS\"}" "$base/api/v1/auth/login" >/dev/null
  local cookie; cookie=$(awk '$6=="zm_session"{print $7}' "$dir/hr.cj")
  local count; count=$(curl -s -H "Cookie: zm_session=$cookie" "$base/api/v1/applications?limit=50" | $PY -c 'import json,sys;print(len(json.load(sys.stdin)["items"]))')
  [ "$count" = "50" ] || { echo "unexpected page size $count" >&2; exit 1; }
  # The server's ceiling on this machine, same run: an empty public route.
  echo "== $name: wrk -t2 -c50 -d${DURATION}s GET /healthz (ceiling of the HTTP layer)"
  wrk -t2 -c50 -d"${DURATION}s" --latency "$base/healthz" | tee "$dir/wrk-health.txt"
  echo "== $name: wrk -t2 -c50 -d${DURATION}s GET /api/v1/applications?limit=50 (10,000+ applications, HR session)"
  wrk -t2 -c50 -d"${DURATION}s" --latency -H "Cookie: zm_session=$cookie" \
    "$base/api/v1/applications?limit=50" | tee "$dir/wrk.txt"
  local rps p50 p99
  rps=$(awk '/Requests\/sec/{print $2}' "$dir/wrk.txt")
  p50=$(awk '$1=="50%"{print $2}' "$dir/wrk.txt")
  p99=$(awk '$1=="99%"{print $2}' "$dir/wrk.txt")
  local ceiling; ceiling=$(awk '/Requests\/sec/{print $2}' "$dir/wrk-health.txt")
  echo "RESULT backend=$name requests_per_s=$rps p50=$p50 p99=$p99 healthz_requests_per_s=$ceiling ratio=$($PY -c "print(round($rps/$ceiling, 3))")"
  kill "$pid"; wait "$pid" 2>/dev/null || true
  rm -rf "$dir"
}

run_backend sqlite ""
if [ -n "${ZHIMIAN_BENCH_PG_URL:-}" ]; then
  run_backend postgresql "--db $ZHIMIAN_BENCH_PG_URL"
fi
