#!/usr/bin/env bash
# Runs every test of the project. Used by `make test` and CI (.ci/run).
# Starts a throwaway PostgreSQL cluster on 127.0.0.1 for the storage contract tests and the
# integration tests, and stops it on exit.
#   ZM_SKIP_SANITIZER=1   skip the ASan/UBSan build and its test run
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
JOBS=${JOBS:-2}
PY=/usr/bin/python3
export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/ccache}
start_time=$(date +%s)
step() { echo; echo "==== $* ($(( $(date +%s) - start_time ))s)"; }

step "formatting (clang-format)"
bad=""
for f in $(find src bench -name '*.cc' -o -name '*.h'); do
  clang-format --dry-run --Werror "$f" >/dev/null 2>&1 || bad="$bad $f"
done
if [ -n "$bad" ]; then
  echo "clang-format would change these files (run: make format):$bad"; exit 1
fi

step "demo data check"
$PY tests/demo_data_check.py src/cli/demo_data.json

step "OpenAPI lint"
(cd tools/openapi && npm ci --no-audit --no-fund --loglevel=error >/dev/null && npm run --silent lint)

step "build (warnings are errors)"
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DZM_WERROR=ON >/dev/null
cmake --build build -j"$JOBS"

step "PostgreSQL test cluster"
PGDIR=$(mktemp -d /tmp/zhimian-pg.XXXXXX)
cleanup() { "$ROOT/scripts/pg-test-cluster.sh" stop "$PGDIR" >/dev/null 2>&1 || true; }
trap cleanup EXIT
PGPORT=${PGPORT:-$($PY -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
export ZHIMIAN_TEST_PG_URL=$("$ROOT/scripts/pg-test-cluster.sh" start "$PGDIR" "$PGPORT")
echo "PostgreSQL at 127.0.0.1:$PGPORT"

step "unit and storage contract tests (SQLite and PostgreSQL)"
ctest --test-dir build --output-on-failure -j"$JOBS"

step "integration tests (real server, SQLite and PostgreSQL)"
ZHIMIAN_BIN="$ROOT/build/zhimian" $PY -m pytest -q -p no:cacheprovider tests/integration

step "web app (vitest, i18n, browser e2e)"
ZHIMIAN_BIN="$ROOT/build/zhimian" ./scripts/web.sh test

if [ "${ZM_SKIP_SANITIZER:-0}" != "1" ]; then
  step "sanitizer build (ASan + UBSan)"
  cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DZM_SANITIZE=ON -DZM_WERROR=ON >/dev/null
  cmake --build build-asan -j"$JOBS"
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  step "unit tests under sanitizers"
  ctest --test-dir build-asan --output-on-failure -j"$JOBS"
  step "integration tests under sanitizers (SQLite)"
  ZHIMIAN_BIN="$ROOT/build-asan/zhimian" ZHIMIAN_TEST_PG_URL= $PY -m pytest -q -p no:cacheprovider tests/integration
fi

step "all tests passed"
