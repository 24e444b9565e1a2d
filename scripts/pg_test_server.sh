#!/usr/bin/env bash
# A throwaway PostgreSQL 15 server for the tests of the PostgreSQL store.
#
#   scripts/pg_test_server.sh start DIR   initdb + start in DIR (made if missing)
#   scripts/pg_test_server.sh env DIR     print the PG* variables and MT_PG_URI for it
#   scripts/pg_test_server.sh stop DIR    stop it and remove DIR
#
# The server listens on a Unix socket in DIR only (listen_addresses = ''),
# trusts local connections, and runs with fsync off: it is for tests, its
# data is thrown away. PostgreSQL refuses to run as root, so as root it
# runs as the unprivileged account minetrace-test (made with useradd when
# missing; `nobody` when useradd is not there). Exit status 3: the server
# binaries are not installed (the caller decides whether that fails).
set -euo pipefail

PGBIN=${MT_PGBIN:-/usr/lib/postgresql/15/bin}
cmd=${1:-}
dir=${2:-}
if [[ -z "$cmd" || -z "$dir" ]]; then
    echo "usage: $0 start|stop|env DIR" >&2
    exit 2
fi

run_as() {
    if [[ $(id -u) -eq 0 ]]; then
        runuser -u "$PGUSER_OS" -- "$@"
    else
        "$@"
    fi
}

PGUSER_OS=$(id -un)
if [[ $(id -u) -eq 0 ]]; then
    if id minetrace-test >/dev/null 2>&1; then
        PGUSER_OS=minetrace-test
    elif command -v useradd >/dev/null && useradd --system --no-create-home --shell /usr/sbin/nologin minetrace-test 2>/dev/null; then
        PGUSER_OS=minetrace-test
    else
        PGUSER_OS=nobody
    fi
fi

case "$cmd" in
start)
    if [[ ! -x "$PGBIN/initdb" || ! -x "$PGBIN/pg_ctl" ]]; then
        echo "pg_test_server: PostgreSQL server binaries not found in $PGBIN (install postgresql-15)" >&2
        exit 3
    fi
    # A socket path is at most 107 bytes: DIR/.s.PGSQL.5432 must fit.
    if (( ${#dir} > 80 )); then
        echo "pg_test_server: $dir is too long for a Unix socket path (at most 80 bytes)" >&2
        exit 2
    fi
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    [[ $(id -u) -eq 0 ]] && chown "$PGUSER_OS" "$dir"
    if ! run_as test -w "$dir"; then
        echo "pg_test_server: $dir is not writable by $PGUSER_OS (the server's account): use a directory of its own under /tmp" >&2
        exit 2
    fi
    run_as "$PGBIN/initdb" -D "$dir/data" -U minetrace --auth=trust --encoding=UTF8 --locale=C.UTF-8 -N \
        >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 2; }
    run_as "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-k $dir -c listen_addresses= -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=40" \
        start >/dev/null || { cat "$dir/server.log" >&2; exit 2; }
    ;;
env)
    dir=$(cd "$dir" && pwd)
    echo "export PGHOST=$dir PGPORT=5432 PGUSER=minetrace PGDATABASE=postgres"
    echo "export MT_PG_URI='postgresql:///postgres?host=$dir&user=minetrace'"
    ;;
stop)
    if [[ -d "$dir/data" ]]; then
        run_as "$PGBIN/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
*)
    echo "usage: $0 start|stop|env DIR" >&2
    exit 2
    ;;
esac
