#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for tests, listening on 127.0.0.1 only.
#
#   scripts/pg-test-cluster.sh start DIR [PORT]   # prints the URL (one line) on stdout
#   scripts/pg-test-cluster.sh stop DIR           # stops the cluster and removes DIR
#
# start creates DIR/data (initdb, owned by postgres, scram-sha-256 password auth on 127.0.0.1,
# superuser password generated into DIR/pw) and a database "zhimian_test", then prints
#   postgresql://postgres:PASSWORD@127.0.0.1:PORT/zhimian_test
# Running start again on a running cluster prints the URL again. PORT defaults to 55432.
# Run as root (the server runs as the postgres user through runuser) or as postgres itself.
# Typical use:  export ZHIMIAN_TEST_PG_URL="$(scripts/pg-test-cluster.sh start /tmp/zm-pg)"
set -euo pipefail

PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
PG_USER=postgres

usage() {
  echo "usage: $0 start DIR [PORT] | stop DIR" >&2
  exit 2
}

die() {
  echo "pg-test-cluster: $*" >&2
  exit 1
}

# Runs a command as the postgres user.
as_pg() {
  if [ "$(id -un)" = "$PG_USER" ]; then
    "$@"
  else
    runuser -u "$PG_USER" -- "$@"
  fi
}

print_url() {
  local dir="$1" port
  port="$(cat "$dir/port")"
  echo "postgresql://postgres:$(cat "$dir/pw")@127.0.0.1:${port}/zhimian_test"
}

is_running() {
  local dir="$1"
  [ -f "$dir/data/postmaster.pid" ] && as_pg "$PG_BIN/pg_ctl" -D "$dir/data" status >/dev/null 2>&1
}

cmd_start() {
  local dir="$1" port="${2:-55432}"
  [[ "$port" =~ ^[0-9]+$ ]] || die "PORT must be a number"
  [ -x "$PG_BIN/initdb" ] || die "PostgreSQL 15 binaries not found in $PG_BIN"
  id "$PG_USER" >/dev/null 2>&1 || die "user $PG_USER does not exist (install postgresql)"
  mkdir -p "$dir"
  dir="$(cd "$dir" && pwd)"
  # The postgres user must reach DIR (its parents are left alone) and own what is inside it.
  if [ "$(id -u)" = 0 ]; then
    chown "$PG_USER" "$dir"
    chmod 700 "$dir"
  fi
  as_pg test -w "$dir" -a -x "$dir" ||
    die "user $PG_USER cannot write to $dir (are its parents traversable? /tmp/... works)"

  if is_running "$dir"; then
    if [ -f "$dir/port" ] && [ "$(cat "$dir/port")" != "$port" ] && [ $# -ge 2 ]; then
      die "already running in $dir on port $(cat "$dir/port")"
    fi
    print_url "$dir"
    return 0
  fi

  if [ ! -f "$dir/data/PG_VERSION" ]; then
    rm -rf "$dir/data"
    # 32 hex characters: nothing in it needs URL escaping.
    (umask 077 && od -An -N16 -tx1 /dev/urandom | tr -d ' \n' >"$dir/pw")
    chown "$PG_USER" "$dir" "$dir/pw"
    as_pg "$PG_BIN/initdb" -D "$dir/data" -U postgres --pwfile="$dir/pw" \
      --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 \
      >"$dir/initdb.log" 2>&1 || die "initdb failed, see $dir/initdb.log"
  fi
  echo "$port" >"$dir/port"
  chown "$PG_USER" "$dir/port"

  # Tuned for tests: durability off (the cluster is thrown away), connections for parallel runs.
  as_pg "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=200 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null || die "server did not start, see $dir/log"

  if ! as_pg "$PG_BIN/psql" -h "$dir" -p "$port" -U postgres -d postgres -tAq \
    -c "SELECT 1 FROM pg_database WHERE datname = 'zhimian_test'" | grep -q 1; then
    as_pg "$PG_BIN/psql" -h "$dir" -p "$port" -U postgres -d postgres -q \
      -c "CREATE DATABASE zhimian_test ENCODING 'UTF8' TEMPLATE template0" >/dev/null ||
      die "cannot create database zhimian_test"
  fi
  print_url "$dir"
}

cmd_stop() {
  local dir="$1"
  [ -d "$dir" ] || return 0
  dir="$(cd "$dir" && pwd)"
  [ "$dir" != "/" ] || die "refusing to remove /"
  if [ -f "$dir/data/postmaster.pid" ]; then
    as_pg "$PG_BIN/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null 2>&1 || true
  fi
  # Only remove what looks like our cluster directory.
  if [ -f "$dir/data/PG_VERSION" ] || [ -f "$dir/pw" ] || [ -z "$(ls -A "$dir")" ]; then
    rm -rf "$dir"
  else
    die "$dir does not look like a test cluster directory; not removing it"
  fi
}

[ $# -ge 2 ] || usage
case "$1" in
  start)
    [ $# -le 3 ] || usage
    shift
    cmd_start "$@"
    ;;
  stop)
    [ $# -eq 2 ] || usage
    cmd_stop "$2"
    ;;
  *) usage ;;
esac
